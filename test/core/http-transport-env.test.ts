/**
 * `HOMELAB_HTTP_TRANSPORT` picks the wire under every HTTP client (core/http/transport):
 * `node` (the default, also when empty) or `undici`. Any other value, a typo included, is
 * refused with one line and exit 3 before anything is sent, as `HOMELAB_LAB_SSH_SERVER` is,
 * instead of silently running on the default.
 */
import { describe, expect, it } from 'vitest';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['pve'] });

describe('HOMELAB_HTTP_TRANSPORT', () => {
  it('runs on node, undici, or the default when unset or empty', async () => {
    for (const transport of ['node', 'undici', '']) {
      const run = await runCli(['pve', 'list', '--json'], { ...lab.current.env, HOMELAB_HTTP_TRANSPORT: transport });
      expect([transport, run.code, run.stderr]).toEqual([transport, 0, '']);
    }
  });

  it('refuses any other value with one line, exit 3, before a request is sent', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const before = pve.requests.length;
    const run = await runCli(['pve', 'list'], { ...lab.current.env, HOMELAB_HTTP_TRANSPORT: 'Undici' });
    expect([run.code, run.stdout, run.stderr]).toEqual([3, '', 'homelab: HOMELAB_HTTP_TRANSPORT must be node or undici, not "Undici"\n']);
    expect(pve.requests.length).toBe(before);
  });
});
