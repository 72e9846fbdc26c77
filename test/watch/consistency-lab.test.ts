/**
 * A consistency alert carries its finding's fix in its text, which no surface rewrites and which
 * is read later (after a `context use`, from a shell pinned to another lab): with two labs in
 * config.yaml every alert names its own lab (`fix: homelab --context office pve start 201`), so
 * the line pasted acts where it was found. Runs the built CLI against two simulated labs.
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
  it('watch --once: every fix line names its lab, the current one\'s too', async () => {
    const office = await runCli(['--context', 'office', 'watch', '--once', '--stdout'], labs.env, { timeoutMs: 60_000 });
    expect(office.stdout).toContain(`(fix: homelab --context office pve start ${trouble.stoppedGuest})`);
    expect(fixesOf(office.stdout).length).toBeGreaterThan(0);
    expect(office.stdout).not.toMatch(/fix: homelab (?!--context office )[a-z]/);
    const home = await runCli(['watch', '--once', '--stdout'], labs.env, { timeoutMs: 60_000 });
    expect(home.stdout).toContain(`(fix: homelab --context default pve start ${trouble.stoppedGuest})`);
    expect(home.stdout).not.toMatch(/fix: homelab (?!--context default )[a-z]/);
  }, 120_000);

  it('an alert kept from before a context use still names the lab it was made in', async () => {
    const made = await runCli(['watch', 'run', 'consistency'], labs.env, { timeoutMs: 60_000 });
    expect(made.stdout).toContain(`(fix: homelab --context default pve start ${trouble.stoppedGuest})`);
    expect((await runCli(['watch', '--once', '--stdout'], labs.env, { timeoutMs: 60_000 })).code).toBe(0);
    expect((await runCli(['context', 'use', 'office'], labs.env)).code).toBe(0);
    try {
      const status = await runCli(['--context', 'default', 'watch', 'status'], labs.env);
      const kept = status.stdout.split('\n').filter((l) => l.includes('fix: homelab'));
      expect(kept.length, status.stdout).toBeGreaterThan(0);
      for (const line of kept) expect(line).toContain('fix: homelab --context default ');
    } finally {
      await runCli(['context', 'use', 'default'], labs.env);
    }
  }, 120_000);

  it('watch run consistency from a shell pinned to the lab: named all the same (an alert is read away from the shell)', async () => {
    const run = await runCli(['watch', 'run', 'consistency'], { ...labs.env, HOMELAB_CONTEXT: 'office' }, { timeoutMs: 60_000 });
    expect(run.stdout).toContain(`(fix: homelab --context office pve start ${trouble.stoppedGuest})`);
  }, 120_000);
});
