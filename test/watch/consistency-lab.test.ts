/**
 * A consistency alert carries its finding's fix in its text, which no surface rewrites: an alert
 * of a lab other than config.yaml's current one names that lab in it (`fix: homelab --context
 * office pve start 201`), so the line pasted acts where it was found; the current lab's alerts
 * stay bare. Runs the built CLI against two simulated labs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trouble } from '../../src/lab/trouble.js';
import { runCli } from '../helpers/cli.js';
import { startTwoLabs, type TwoLabs } from '../helpers/two-labs.js';

let labs: TwoLabs;
beforeAll(async () => {
  labs = await startTwoLabs();
  labs.writeConfig({ watch: { for: '0s' } });
});
afterAll(async () => { await labs?.close(); });

const fixesOf = (text: string): string[] => text.split('\n').filter((l) => l.includes('(fix: '));

describe('consistency alerts name their lab in their fix', () => {
  it('watch --once in another lab: every fix line names it; in the current lab, bare', async () => {
    const office = await runCli(['--context', 'office', 'watch', '--once', '--stdout'], labs.env, { timeoutMs: 60_000 });
    expect(office.stdout).toContain(`(fix: homelab --context office pve start ${trouble.stoppedGuest})`);
    expect(fixesOf(office.stdout).length).toBeGreaterThan(0);
    expect(office.stdout).not.toMatch(/fix: homelab (?!--context office )[a-z]/);
    const home = await runCli(['watch', '--once', '--stdout'], labs.env, { timeoutMs: 60_000 });
    expect(home.stdout).toContain(`(fix: homelab pve start ${trouble.stoppedGuest})`);
    expect(home.stdout).not.toContain('--context');
  }, 120_000);

  it('watch run consistency in another lab, also from a shell in it: named (an alert is read away from the shell)', async () => {
    const run = await runCli(['watch', 'run', 'consistency'], { ...labs.env, HOMELAB_CONTEXT: 'office' }, { timeoutMs: 60_000 });
    expect(run.stdout).toContain(`(fix: homelab --context office pve start ${trouble.stoppedGuest})`);
  }, 120_000);
});
