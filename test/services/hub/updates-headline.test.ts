/**
 * The updates line of `status` calls a failed target "unreachable" only when it was not
 * reached (exit 4); one whose check was refused (PVE refused the token: 5) or whose config
 * is invalid (3) is "not checked", so the line does not send a user to debug the network.
 */
import { describe, expect, it } from 'vitest';
import { summariseUpdates } from '../../../src/services/hub/headlines/updates.js';

const target = (name: string, exitCode?: number): Record<string, unknown> => ({
  name, ok: exitCode === undefined, counts: { total: exitCode === undefined ? 3 : 0 },
  error: exitCode === undefined ? null : { message: 'failed', hint: null, exitCode },
});

describe('the updates headline', () => {
  it('names unreachable and not-checked targets apart', () => {
    const results = new Map<string, unknown>([['updates.check', {
      totals: { targets: 4, failed: 3, packages: 3, security: 0, rebootRequired: 0 },
      targets: [target('dns'), target('forgejo', 4), target('pve', 5), target('pve2', 3)],
    }]]);
    expect(summariseUpdates(results).text).toBe('3 pending on 1 target · unreachable: forgejo · not checked: pve, pve2');
  });

  it('with only a refused target, says nothing of unreachable', () => {
    const results = new Map<string, unknown>([['updates.check', {
      totals: { targets: 2, failed: 1, packages: 3, security: 0, rebootRequired: 0 },
      targets: [target('dns'), target('pve', 5)],
    }]]);
    expect(summariseUpdates(results)).toEqual({ text: '3 pending on 1 target · not checked: pve', tone: 'warn' });
  });
});
