/**
 * Listings run by `homelab batch` refresh the completion cache as the same commands run
 * alone do, each line in its own lab: a `pve list` line stores the batch's lab's guests, a
 * `--context office pve list` line office's; Tab then offers each lab's own VMIDs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedValues } from '../../../src/surfaces/cli/completion/cache.js';
import { runCli } from '../../helpers/cli.js';
import { startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';

let labs: TwoLabs;
beforeAll(async () => { labs = await startTwoLabs(['pve']); });
afterAll(async () => { await labs?.close(); });

describe('batch and the completion cache', () => {
  it('stores each listing line\'s values under the line\'s lab', async () => {
    expect(cachedValues(labs.env, 'default', 'pve.guest')).toEqual([]);
    const r = await runCli(['batch'], labs.env, { input: 'pve list\n--context office pve list\n', timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const home = cachedValues(labs.env, 'default', 'pve.guest').map((v) => v.value);
    const office = cachedValues(labs.env, 'office', 'pve.guest').map((v) => v.value);
    expect(home).toContain('201');
    expect(home).not.toContain('1000');
    expect(office).toEqual(expect.arrayContaining(['201', '1000', '1001', '1002']));
    const tab = await runCli(['__complete', 'bash', '--context', 'office', 'pve', 'start', '100'], labs.env);
    expect(tab.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(expect.arrayContaining(['words', '1000', '1001', '1002']));
  }, 90_000);
});
