/**
 * The kuma commands as a user runs them: the built binary against the simulated Uptime
 * Kuma over real sockets — `status` from /metrics, `list`, every `add`, pause/resume by
 * name, delete with confirmation, edit, the token cache across runs, 2FA, both server
 * generations, --json shapes and exit codes.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from 'otpauth';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { KumaAdded, KumaEdited, KumaListEntry, KumaStatus, KumaToggled } from '../../../src/services/kuma/index.js';
import { startKumaSim, type KumaSim, type KumaSimOptions } from '../../../src/services/kuma/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): KumaSim => lab.current.sims.get('kuma') as KumaSim;

const homes: string[] = [];
afterAll(() => { for (const h of homes) rmSync(h, { recursive: true, force: true }); });

/** A config home pointing at a simulator started by the test itself. */
async function ownSim(options: KumaSimOptions): Promise<{ sim: KumaSim; env: Record<string, string> }> {
  const own = await startKumaSim({ afterLoginDelayMs: 0, ...options });
  const home = mkdtempSync(join(tmpdir(), 'kuma-cli-'));
  homes.push(home);
  mkdirSync(join(home, 'config', 'homelab'), { recursive: true });
  mkdirSync(join(home, 'config', 'kuma'), { recursive: true });
  writeFileSync(join(home, 'config', 'homelab', 'config.yaml'), stringify({ services: { kuma: own.configSection } }));
  const creds = join(home, 'config', 'kuma', 'credentials');
  writeFileSync(creds, Object.entries(own.credentials.values).map(([k, v]) => `${k}=${v}\n`).join(''));
  chmodSync(creds, 0o600);
  return { sim: own, env: { HOMELAB_CONFIG_HOME: join(home, 'config'), HOMELAB_DATA_HOME: join(home, 'data') } };
}

describe('homelab kuma (CLI)', () => {
  it('shows status from /metrics without logging in, with the trouble called out', async () => {
    const logins = sim().events.length;
    const result = await runCli(['kuma', 'status'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NAME\s+TYPE\s+STATUS\s+RESPONSE\s+CERT\s+TARGET/m);
    expect(result.stdout.split('\n')[1]).toMatch(/^media\s+http\s+down\s+-\s+48 d\s+https:\/\/media\.home\.lan/);
    expect(result.stdout).toMatch(/^forgejo\s+http\s+up\s+\d+ ms\s+5 d\s+https:\/\/git\.home\.lan/m);
    expect(result.stdout).toMatch(/\d+ up, 1 down \(media\) · certificate of forgejo \(git\.home\.lan\) expires in 5 days/);
    expect(sim().events.length).toBe(logins);
    const json = await runCliJson<KumaStatus>(['kuma', 'status'], env());
    expect(json.down).toBe(1);
    expect(json.certificatesExpiring).toEqual([{ name: 'forgejo', host: 'git.home.lan', daysLeft: 5 }]);
    expect(json.monitors.find((m) => m.name === 'pve1')).toMatchObject({ id: sim().monitorId('pve1'), type: 'ping', status: 'up', target: '10.5.0.1', certDaysLeft: null });
  });

  it('lists monitors with their last heartbeat, and logs in only once across runs', async () => {
    const list = await runCliJson<KumaListEntry[]>(['kuma', 'list'], env());
    expect(list.find((m) => m.name === 'media')).toMatchObject({ type: 'http', target: 'https://media.home.lan', interval: 60, retries: 0, active: true, lastHeartbeat: { status: 'down', msg: 'Request failed with status code 502' } });
    expect(list.find((m) => m.name === 'media')?.lastHeartbeat?.time).toMatch(/Z$/);
    const table = await runCli(['kuma', 'list'], env());
    expect(table.stdout).toMatch(/^\s*\d+\s+beszel-heartbeat\s+push\s+-\s+120s\s+active\s+up /m);
    const logins = sim().events.filter((e) => e.event === 'login').length;
    expect(logins).toBe(1);
    expect(sim().events.filter((e) => e.event === 'loginByToken').length).toBeGreaterThanOrEqual(1);
  });

  it('pauses and resumes by name; a paused monitor leaves /metrics', async () => {
    const paused = await runCliJson<KumaToggled>(['kuma', 'pause', 'media'], env());
    expect(paused).toEqual({ id: sim().monitorId('media'), name: 'media', active: false });
    expect(sim().state.monitors.get(sim().monitorId('media'))?.active).toBe(false);
    const status = await runCliJson<KumaStatus>(['kuma', 'status'], env());
    expect(status.monitors.some((m) => m.name === 'media')).toBe(false);
    const list = await runCli(['kuma', 'list'], env());
    expect(list.stdout).toMatch(/media\s+http\s+https:\/\/media\.home\.lan\s+60s\s+paused/);
    const resumed = await runCliJson<KumaToggled>(['kuma', 'resume', 'MEDIA'], env());
    expect(resumed.active).toBe(true);
  });

  it('adds http, ping, port and keyword monitors with the defaults', async () => {
    const http = await runCliJson<KumaAdded>(['kuma', 'add', 'http', 'wiki', 'https://wiki.home.lan'], env());
    expect(http).toEqual({ id: expect.any(Number), name: 'wiki', type: 'http', target: 'https://wiki.home.lan', interval: 60, retries: 0, description: null });
    expect(sim().state.monitors.get(http.id)).toMatchObject({ url: 'https://wiki.home.lan', accepted_statuscodes: ['200-299'], conditions: [], active: true });
    const ping = await runCliJson<KumaAdded>(['kuma', 'add', 'ping', 'nas', '10.5.0.30', '--interval', '120', '--retries', '3'], env());
    expect(sim().state.monitors.get(ping.id)).toMatchObject({ type: 'ping', hostname: '10.5.0.30', interval: 120, retryInterval: 120, maxretries: 3 });
    const port = await runCliJson<KumaAdded>(['kuma', 'add', 'port', 'pbs-api', '10.5.0.6', '8007'], env());
    expect(port.target).toBe('10.5.0.6:8007');
    const keyword = await runCliJson<KumaAdded>(['kuma', 'add', 'keyword', 'git-login', 'https://git.home.lan/user/login', 'Sign in'], env());
    expect(sim().state.monitors.get(keyword.id)).toMatchObject({ type: 'keyword', keyword: 'Sign in' });
    const text = await runCli(['kuma', 'add', 'http', 'wiki', 'https://wiki2.home.lan'], env());
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`a monitor named wiki exists already (id ${http.id})`);
  });

  it('adds a push monitor and prints a push URL that works', async () => {
    const result = await runCli(['kuma', 'add', 'push', 'nightly-backup', '--interval', '90000'], env());
    expect(result.code).toBe(0);
    const url = /push URL\s+(\S+)/.exec(result.stdout)?.[1] ?? '';
    expect(url).toMatch(new RegExp(`^${sim().url}/api/push/[A-Za-z0-9]{32}\\?status=up&msg=OK&ping=$`));
    const res = await fetch(`${url}5`);
    expect(await res.json()).toEqual({ ok: true });
    expect(sim().state.last(sim().monitorId('nightly-backup'))).toMatchObject({ status: 1, ping: 5 });
  });

  it('edits by fetching the whole monitor and sending it back whole', async () => {
    const before = structuredClone(sim().state.monitors.get(sim().monitorId('forgejo')));
    const edited = await runCliJson<KumaEdited>(['kuma', 'edit', 'forgejo', '--interval', '300', '--retries', '2'], env());
    expect(edited.changed).toEqual({ interval: { from: 60, to: 300 }, maxretries: { from: 0, to: 2 } });
    const after = sim().state.monitors.get(sim().monitorId('forgejo'));
    expect(after).toEqual({ ...before, interval: 300, retryInterval: 300, maxretries: 2 });
    const nothing = await runCli(['kuma', 'edit', 'forgejo'], env());
    expect(nothing.code).toBe(2);
  });

  it('asks before deleting, deletes with --yes', async () => {
    await runCliJson(['kuma', 'add', 'ping', 'doomed', '10.5.0.99'], env());
    const refused = await runCli(['kuma', 'delete', 'doomed'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Delete the Uptime Kuma monitor doomed');
    const id = sim().monitorId('doomed');
    const done = await runCliJson<{ id: number; deleted: boolean }>(['kuma', 'delete', 'doomed', '--yes'], env());
    expect(done).toEqual({ id, name: 'doomed', deleted: true });
    expect(sim().state.monitors.has(id)).toBe(false);
  });

  it('refuses bad input with exit 2 before connecting', async () => {
    const events = sim().events.length;
    for (const args of [
      ['kuma', 'add', 'http', 'x', 'not-a-url'], ['kuma', 'add', 'port', 'x', '10.5.0.1', '99999'], ['kuma', 'add', 'ping', 'x', 'bad host!'],
      ['kuma', 'add', 'http', 'x', 'https://x.home.lan', '--interval', '0'],
    ]) {
      const result = await runCli(args, env());
      expect(result.code, args.join(' ')).toBe(2);
    }
    expect(sim().events.length).toBe(events);
    const unknown = await runCli(['kuma', 'pause', 'nosuch'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Uptime Kuma has no monitor named "nosuch"');
  });

  it('logs in with a code from KUMA_TOTP_SECRET when 2FA is on, and says what to do without one (exit 3)', async () => {
    const { sim: own, env: ownEnv } = await ownSim({ totpSecret: new Secret({ size: 20 }).base32 });
    try {
      const list = await runCliJson<KumaListEntry[]>(['kuma', 'list'], ownEnv);
      expect(list.length).toBeGreaterThan(5);
      const logins = own.events.filter((e) => e.event === 'login');
      expect(logins).toHaveLength(2);
      expect((logins[1]?.args[0] as { token?: string }).token).toMatch(/^\d{6}$/);
      writeFileSync(join(ownEnv.HOMELAB_CONFIG_HOME ?? '', 'kuma', 'credentials'), `KUMA_USERNAME=${own.credentials.values.KUMA_USERNAME}\nKUMA_PASSWORD=${own.credentials.values.KUMA_PASSWORD}\n`, { mode: 0o600 });
      rmSync(join(ownEnv.HOMELAB_DATA_HOME ?? '', 'kuma'), { recursive: true, force: true });
      const result = await runCli(['kuma', 'list'], ownEnv, { timeoutMs: 15_000 });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('2FA is on for the Uptime Kuma user');
      expect(result.stderr).toContain('KUMA_TOTP_SECRET');
    } finally {
      await own.close();
    }
  });

  it('exits 5 on a wrong password, without printing it and without hanging', async () => {
    const { sim: own, env: ownEnv } = await ownSim({});
    try {
      writeFileSync(join(ownEnv.HOMELAB_CONFIG_HOME ?? '', 'kuma', 'credentials'), 'KUMA_USERNAME=admin\nKUMA_PASSWORD=wrong-pass-987\n', { mode: 0o600 });
      const result = await runCli(['kuma', 'list'], ownEnv, { timeoutMs: 15_000 });
      expect(result.code).toBe(5);
      expect(result.stderr).toContain('kuma: login refused: incorrect username or password');
      expect(result.stderr).not.toContain('wrong-pass-987');
    } finally {
      await own.close();
    }
  });

  it('manages a 1.23 server: no 2.x columns on add, the two-argument delete', async () => {
    const { sim: own, env: ownEnv } = await ownSim({ version: '1.23.17' });
    try {
      const added = await runCliJson<KumaAdded>(['kuma', 'add', 'http', 'old-wiki', 'https://old.home.lan'], ownEnv);
      expect(own.state.monitors.get(added.id)).not.toHaveProperty('conditions');
      const deleted = await runCliJson<{ deleted: boolean }>(['kuma', 'delete', 'old-wiki', '--yes'], ownEnv);
      expect(deleted.deleted).toBe(true);
      const status = await runCliJson<KumaStatus>(['kuma', 'status'], ownEnv);
      expect(status.monitors.every((m) => m.id === null)).toBe(true);
      expect(status.down).toBe(1);
    } finally {
      await own.close();
    }
  });
});
