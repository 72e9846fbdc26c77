/**
 * Gaps in expose, unexpose, export and plan as a user meets them: the built binary against
 * the lab's PVE, DNS, NPM and Kuma simulators over real sockets. A redacted export
 * (`monitor_url: https://***@…`) plans no change and keeps the credentials; an exported
 * file is 0600; a mistyped IPv4 address is refused before anything is sent; a monitor URL
 * with --no-monitor is refused; unexpose reports an unmarked monitor of the app's URL; and a
 * rollback re-creates a deleted monitor paused and a proxy host with its HTTP/2 and access
 * list, naming what it cannot bring back.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { lab, env, dns, proxy, hostFor, monitorNamed, mutations } = useHubLab();

type Outcome = { ok: boolean; steps: { key: string; status: string; describe: string; note: string | null }[] };
type PlanResult = { plan: { title: string; steps: { key: string; op: string; state?: string; describe: string }[] }; dryRun: boolean; outcome: Outcome | null };

function dir(): string {
  const d = join(lab.current.dir, 'gaps');
  mkdirSync(d, { recursive: true });
  return d;
}

describe('a redacted export', () => {
  it('plans no change for a monitor URL with credentials, keeps them on apply, and a written file is 0600', async () => {
    const url = 'https://admin:hunter2@sec.home.lan/';
    await runCliJson(['expose', 'sec', '10.5.0.41:3000', '--monitor-url', url, '--yes'], env());
    expect(monitorNamed('sec')?.url).toBe(url);

    const piped = await runCli(['export', '-'], env());
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toContain('monitor_url: https://***@sec.home.lan/');
    expect(piped.stdout).not.toContain('hunter2');
    const pipedFile = join(dir(), 'piped.yaml');
    writeFileSync(pipedFile, piped.stdout);
    const plan = await runCliJson<{ changes: number; plan: { steps: { key: string; state: string; describe: string }[] } }>(['plan', pipedFile], env());
    expect(plan.changes, JSON.stringify(plan.plan.steps.filter((s) => s.state !== 'unchanged'))).toBe(0);
    const before = mutations().length;
    const applied = await runCli(['apply', pipedFile, '--yes'], env());
    expect(applied.code, applied.stderr).toBe(0);
    expect(mutations().length).toBe(before);
    expect(monitorNamed('sec')?.url).toBe(url);

    // With no monitor of the app to keep, the placeholder is refused, never written.
    writeFileSync(pipedFile, 'apps:\n  sec2:\n    target: 10.5.0.41:3000\n    monitor_url: https://***@sec2.home.lan/\n');
    const refused = await runCli(['plan', pipedFile], env());
    expect(refused.code).toBe(3);
    expect(refused.stderr.split('\n')[0]).toBe(`homelab: ${pipedFile}:4: apps.sec2.monitor_url: the monitor URL holds *** where homelab's output hid a secret, but the app has no monitor whose URL it could keep`);

    const file = join(dir(), 'sec.yaml');
    const written = await runCli(['export', file], env());
    expect(written.code, written.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(`monitor_url: ${url}`);
    const old = join(dir(), 'old.yaml');
    writeFileSync(old, 'x\n', { mode: 0o644 });
    expect((await runCli(['export', old, '--force'], env())).code).toBe(0);
    expect(statSync(old).mode & 0o777).toBe(0o600);
    expect(readFileSync(old, 'utf8')).toContain('hunter2');
    // Replaced by a rename: no temporary file is left beside it.
    expect(readdirSync(dir()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Through a symlink (lab.yaml kept in a dotfiles folder): the target is replaced, the link stays.
    const dotfiles = join(dir(), 'dotfiles');
    mkdirSync(dotfiles, { recursive: true });
    writeFileSync(join(dotfiles, 'lab.yaml'), 'old\n', { mode: 0o644 });
    const link = join(dir(), 'linked.yaml');
    symlinkSync(join(dotfiles, 'lab.yaml'), link);
    expect((await runCli(['export', link, '--force'], env())).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dotfiles, 'lab.yaml'), 'utf8')).toContain('hunter2');
    expect(statSync(join(dotfiles, 'lab.yaml')).mode & 0o777).toBe(0o600);
    await runCliJson(['unexpose', 'sec', '--yes'], env());
  });
});

describe('expose input', () => {
  it('refuses a mistyped IPv4 address and a monitor URL with --no-monitor with exit 2, sending nothing', async () => {
    const before = mutations().length;
    for (const args of [
      ['expose', 'typo', '10.5.0.256:80', '--dns', '10.5.0.256', '--yes'], ['expose', 'typo', '10.5.0:80', '--yes'], ['expose', 'typo', '300.1.1.1:80', '--yes'],
      ['expose', 'typo', '10.5.0.41:80', '--dns', '10.5.0.256', '--yes'],
    ]) {
      const res = await runCli(args, env());
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toContain('is not a valid IPv4 address or host name');
    }
    const both = await runCli(['expose', 'typo', '10.5.0.41:80', '--no-monitor', '--monitor-url', 'https://typo.home.lan/', '--yes'], env());
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--monitor-url (monitor_url) and --no-monitor (monitor: false) cannot go together');
    expect(mutations().length).toBe(before);
    expect(dns().store.records.some((r) => r.name === 'typo.home.lan')).toBe(false);
  });
});

describe('unexpose', () => {
  it('reports an unmarked monitor that checks the app\'s URL as left alone', async () => {
    await runCliJson(['kuma', 'add', 'http', 'watcher-u7', 'https://u7.home.lan/'], env());
    await runCliJson(['kuma', 'add', 'http', 'health-u7', 'https://u7.home.lan/health'], env());
    await runCliJson(['kuma', 'add', 'http', 'other-u7', 'https://u70.home.lan/'], env());
    await runCliJson(['expose', 'u7', '10.5.0.41:8080', '--no-monitor', '--yes'], env());
    const res = await runCliJson<PlanResult>(['unexpose', 'u7', '--yes'], env());
    // A path on the app's name counts; another name that starts the same does not.
    expect(res.plan.steps.filter((s) => s.state === 'unchanged').map((s) => s.describe).sort()).toEqual([
      expect.stringMatching(/^left alone \(not homelab's for this app\): Kuma monitor health-u7 \(id \d+, checks https:\/\/u7\.home\.lan\/health\)$/),
      expect.stringMatching(/^left alone \(not homelab's for this app\): Kuma monitor watcher-u7 \(id \d+, checks https:\/\/u7\.home\.lan\/\)$/),
    ]);
    expect(monitorNamed('watcher-u7')).toBeDefined();
    expect(hostFor('u7.home.lan')).toBeUndefined();
  });

  it('undoes its deletes faithfully: a paused monitor comes back paused, the proxy host with HTTP/2 and its access list, and says what it could not restore', async () => {
    await runCliJson(['expose', 'roll', '10.5.0.41:8080', '--yes'], env());
    await runCliJson(['kuma', 'pause', 'roll'], env());
    const host = hostFor('roll.home.lan');
    if (!host) throw new Error('roll.home.lan has no proxy host');
    const lan = proxy().db.accessLists.live().find((l) => l.name === 'LAN only');
    Object.assign(host, { http2_support: true, hsts_enabled: true, access_list_id: lan?.id, advanced_config: `${String(host.advanced_config)}\nproxy_read_timeout 600;` });
    dns().faults.failNext = { count: 3, status: 500 };
    dns().faults.only = { method: 'POST', path: /records\/delete/ };
    try {
      const res = await runCli(['unexpose', 'roll', '--yes', '--json'], env());
      expect(res.code).toBe(1);
      const outcome = (JSON.parse(res.stdout) as PlanResult).outcome as Outcome;
      expect(outcome.steps.map((s) => s.status)).toEqual(['undone', 'undone', 'failed']);
      expect(outcome.steps[0]?.note).toMatch(/^re-created with defaults: a new id, its check history/);
      expect(outcome.steps[1]?.note).toBe('re-created with defaults: HSTS, advanced config (1 line)');
      expect(res.stderr).toContain('re-created with defaults: HSTS, advanced config (1 line)');
    } finally {
      dns().faults.failNext = undefined;
      dns().faults.only = undefined;
    }
    expect(monitorNamed('roll')).toMatchObject({ url: 'https://roll.home.lan', active: false });
    expect(String(monitorNamed('roll')?.description)).toContain('managed-by: homelab app=roll');
    expect(hostFor('roll.home.lan')).toMatchObject({ http2_support: true, access_list_id: lan?.id, ssl_forced: true });
    expect(String(hostFor('roll.home.lan')?.advanced_config)).toContain('managed-by: homelab app=roll');
    await runCliJson(['unexpose', 'roll', '--yes'], env());
  });
});
