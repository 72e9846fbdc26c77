/**
 * Command lines homelab writes in a result are pasted into the shell the CLI ran in, which runs
 * a bare `homelab` in its HOMELAB_CONTEXT, else in the config's current lab: a run in another lab
 * names it in them (`homelab --context office pve start 201`), on every CLI path (one command, a
 * batch line, `status --all-contexts`), in its results and its errors' hints, and only there. Through the built CLI against two simulated labs; the rewording itself
 * against the real command index.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trouble } from '../../../src/lab/trouble.js';
import { loadCommandIndex, type CommandIndex } from '../../../src/surfaces/cli/command-index.js';
import { Writable } from 'node:stream';
import { OperationError, UsageError } from '../../../src/core/errors.js';
import { namingLabIn } from '../../../src/surfaces/cli/lab-commands.js';
import { reportError } from '../../../src/surfaces/cli/report-error.js';
import { runCli } from '../../helpers/cli.js';
import { startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';

let labs: TwoLabs;
let index: CommandIndex;
beforeAll(async () => {
  [labs, index] = await Promise.all([startTwoLabs(), loadCommandIndex()]);
});
afterAll(async () => { await labs?.close(); });

const fixes = (stdout: string): string[] => stdout.split('\n').filter((l) => l.includes('fix: homelab '));

describe('command lines of a run in another lab', () => {
  it('name the lab after homelab, and only homelab followed by one of its commands', () => {
    expect(namingLabIn('fix: homelab pve start 201', 'office', index)).toBe('fix: homelab --context office pve start 201');
    expect(namingLabIn('3 changes; homelab apply makes these changes', 'office', index)).toBe('3 changes; homelab --context office apply makes these changes');
    expect(namingLabIn('see: homelab updates check, or homelab watch', 'office', index)).toBe('see: homelab --context office updates check, or homelab --context office watch');
    // Prose, a path, a name, and a line that names its lab already stay as they are.
    for (const same of ['a record homelab made', 'see /etc/homelab/x', 'homelab-bot restart', 'homelab --context home pve list']) {
      expect(namingLabIn(same, 'office', index)).toBe(same);
    }
  });

  it('check in another lab prints fixes that run there; in the current lab, as before', async () => {
    const office = await runCli(['--context', 'office', 'check'], labs.env, { timeoutMs: 60_000 });
    expect(office.code, office.stderr).toBe(1);
    expect(fixes(office.stdout).length).toBeGreaterThan(0);
    for (const line of fixes(office.stdout)) expect(line).toContain('fix: homelab --context office ');
    expect(office.stdout).toContain(`fix: homelab --context office pve start ${trouble.stoppedGuest}`);
    for (const run of [runCli(['check'], labs.env, { timeoutMs: 60_000 }), runCli(['--context', 'default', 'check'], labs.env, { timeoutMs: 60_000 })]) {
      const home = await run;
      expect(home.stdout).toContain(`fix: homelab pve start ${trouble.stoppedGuest}`);
      expect(home.stdout).not.toContain('--context');
    }
    // HOMELAB_CONTEXT=office in the shell: a bare line pasted there runs in office, so it stays bare.
    for (const args of [['check'], ['--context', 'office', 'check']]) {
      const shell = await runCli(args, { ...labs.env, HOMELAB_CONTEXT: 'office' }, { timeoutMs: 60_000 });
      expect(shell.stdout).toContain(`fix: homelab pve start ${trouble.stoppedGuest}`);
      expect(shell.stdout).not.toContain('--context');
    }
    // --json is data: the fix as the finding has it.
    const json = await runCli(['--context', 'office', 'check', '--json'], labs.env, { timeoutMs: 60_000 });
    expect(json.stdout).toContain(`"fix": "homelab pve start ${trouble.stoppedGuest}"`);
  });

  it('a batch line in another lab names it; the batch\'s own lines do not', async () => {
    const r = await runCli(['batch', '--keep-going'], labs.env, { input: '--context office check\ncheck\n', timeoutMs: 60_000 });
    const [first, second] = r.stdout.split(/^failed +2 /m);
    expect(fixes(first ?? '').every((l) => l.includes('homelab --context office '))).toBe(true);
    expect(fixes(first ?? '').length).toBeGreaterThan(0);
    expect(fixes(second ?? '').length).toBeGreaterThan(0);
    expect(second).not.toContain('--context');
  });

  it('an error\'s hint names the lab too; in the current lab, as before', async () => {
    const office = await runCli(['--context', 'office', 'pve', 'start', '9999'], labs.env);
    expect(office.code).toBe(2);
    expect(office.stderr).toBe('homelab: no guest with vmid 9999 in the cluster\n  homelab --context office pve list shows the guests\n');
    const env = await runCli(['pve', 'start', '9999'], { ...labs.env, HOMELAB_CONTEXT: 'office' });
    expect(env.stderr).toBe('homelab: no guest with vmid 9999 in the cluster\n  homelab pve list shows the guests\n');
    for (const args of [['pve', 'start', '9999'], ['--context', 'default', 'pve', 'start', '9999']]) {
      const home = await runCli(args, labs.env);
      expect(home.stderr).toBe('homelab: no guest with vmid 9999 in the cluster\n  homelab pve list shows the guests\n');
    }
  });

  it('leaves homelab context … as it is: it works on the config\'s labs from any lab', async () => {
    expect(namingLabIn('see: homelab context --help', 'office', index)).toBe('see: homelab context --help');
    expect(namingLabIn('homelab context use office, then homelab pve list', 'office', index)).toBe('homelab context use office, then homelab --context office pve list');
    const r = await runCli(['context', 'bogus'], { ...labs.env, HOMELAB_CONTEXT: 'office' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\n  see: homelab context --help\n');
    expect(r.stderr).not.toContain('--context');
  });

  it('rewords an error\'s hint and details, never its message (it may echo what was typed or what a server said)', () => {
    let text = '';
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { text += chunk.toString(); done(); } });
    const wording = (said: string): string => namingLabIn(said, 'office', index);
    const plain = (s: string): string => s;
    reportError(new UsageError('the server said: run homelab pve list first', 'homelab pve list shows the guests'), sink, {}, plain, wording);
    expect(text).toBe('homelab: the server said: run homelab pve list first\n  homelab --context office pve list shows the guests\n');
    text = '';
    reportError(new OperationError('task failed', undefined, ['retry: homelab pve start 201']), sink, {}, plain, wording);
    expect(text).toBe('homelab: task failed\n  retry: homelab --context office pve start 201\n');
  });

  it('a failed batch line in another lab names it in its hint; the batch\'s own lines do not', async () => {
    const r = await runCli(['batch', '--keep-going'], labs.env, { input: '--context office pve start 9999 --yes\npve start 9999 --yes\n' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('failed    1  --context office pve start 9999 --yes: no guest with vmid 9999 in the cluster (exit 2)\n        homelab --context office pve list shows the guests\n');
    expect(r.stdout).toContain('failed    2  pve start 9999 --yes: no guest with vmid 9999 in the cluster (exit 2)\n        homelab pve list shows the guests\n');
  });

  it('status --all-contexts names each lab but the current one in its command lines', async () => {
    labs.writeConfig({}, { spare: { services: {} } });
    try {
      const r = await runCli(['status', '--all-contexts'], labs.env, { timeoutMs: 60_000 });
      const spare = r.stdout.slice(r.stdout.indexOf('── spare ──'));
      expect(spare).toContain('no services configured: run homelab --context spare init, or see homelab --context spare services');
      const own = await runCli(['--context', 'spare', 'status'], labs.env);
      expect(own.stdout).toContain('run homelab --context spare init');
      expect(r.stdout.slice(0, r.stdout.indexOf('── spare ──'))).not.toContain('--context');
    } finally {
      labs.writeConfig();
    }
  });

  it('a run in the current lab from a shell whose HOMELAB_CONTEXT names another names the current lab', async () => {
    const shell = { ...labs.env, HOMELAB_CONTEXT: 'office' };
    const check = await runCli(['--context', 'default', 'check'], shell, { timeoutMs: 60_000 });
    expect(fixes(check.stdout).length).toBeGreaterThan(0);
    for (const line of fixes(check.stdout)) expect(line).toContain('fix: homelab --context default ');
    const start = await runCli(['--context', 'default', 'pve', 'start', '9999'], shell);
    expect(start.stderr).toBe('homelab: no guest with vmid 9999 in the cluster\n  homelab --context default pve list shows the guests\n');
    // A batch run in office from that shell: its own lines bare, a line in default named.
    const batch = await runCli(['batch', '--keep-going'], shell, { input: '--context default pve start 9999 --yes\npve start 9999 --yes\n' });
    expect(batch.stdout).toContain('failed    1  --context default pve start 9999 --yes: no guest with vmid 9999 in the cluster (exit 2)\n        homelab --context default pve list shows the guests\n');
    expect(batch.stdout).toContain('failed    2  pve start 9999 --yes: no guest with vmid 9999 in the cluster (exit 2)\n        homelab pve list shows the guests\n');
  });

  it('status --all-contexts from a shell whose HOMELAB_CONTEXT names a lab leaves that lab\'s lines bare', async () => {
    labs.writeConfig({}, { spare: { services: {} } });
    try {
      const r = await runCli(['status', '--all-contexts'], { ...labs.env, HOMELAB_CONTEXT: 'spare' }, { timeoutMs: 60_000 });
      const spare = r.stdout.slice(r.stdout.indexOf('── spare ──'));
      expect(spare).toContain('no services configured: run homelab init, or see homelab services');
    } finally {
      labs.writeConfig();
    }
  });

  it('proxy show of an unknown host: the listing command is the hint, naming the lab', async () => {
    const office = await runCli(['--context', 'office', 'proxy', 'show', 'nosuch.home.lan'], labs.env);
    expect(office.code).toBe(1);
    expect(office.stderr).toBe('homelab: proxy: no proxy host for nosuch.home.lan\n  homelab --context office proxy list shows them\n');
    const home = await runCli(['proxy', 'show', 'nosuch.home.lan'], labs.env);
    expect(home.stderr).toBe('homelab: proxy: no proxy host for nosuch.home.lan\n  homelab proxy list shows them\n');
  });
});
