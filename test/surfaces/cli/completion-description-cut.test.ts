/**
 * `homelab __complete` cuts a long description (shown beside a candidate by zsh and fish) to
 * 80 characters between graphemes: an emoji at the cut is dropped whole, never half of one
 * (a lone surrogate, which the shell shows as `�`). The built CLI, no lab: the values come
 * from the completion cache alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storeCompletions } from '../../../src/surfaces/cli/completion/cache.js';
import { runCli } from '../../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'homelab-completion-cut-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a long completion description', () => {
  it('is cut before an emoji that does not fit, not inside it', async () => {
    const env = { HOMELAB_CONFIG_HOME: join(work, 'config'), HOMELAB_DATA_HOME: join(work, 'data') };
    const description = `${'d'.repeat(78)}😀 and more`;
    storeCompletions(env, 'default', [{ kind: 'kuma.monitor', values: [{ value: 'web', description }, { value: 'wiki', description: 'short' }] }]);
    const out = await runCli(['__complete', 'zsh', 'kuma', 'pause', 'w'], env);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout.split('\n')).toContain(`web\t${'d'.repeat(78)}…`);
    expect(out.stdout).not.toContain('\ufffd');
  });
});
