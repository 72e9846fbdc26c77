/**
 * Uptime Kuma answering what no Kuma sends, through the built CLI over real sockets (the
 * Kuma simulator's fault knobs): a login ack that is not an object or whose token no header
 * could carry is an unexpected answer (exit 1), never a refusal and never cached; a cached
 * token that is not header-safe is dropped; a monitor list with an entry that does not fit
 * fails naming it instead of hiding the monitor (which would let `kuma add` create a second
 * monitor of the same name); a heartbeat list that does not fit leaves that monitor's last
 * beat unknown, saying why, in `kuma list` (and `exposed`), and fails `kuma show` of it; a
 * push over the 32 MiB cap fails at the cap; and a read cut off with its connection "cannot
 * reach", while a change "may or may not have been done" (over the cap too, saying so).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isHeaderSafe } from '../../src/core/http/index.js';
import type { KumaListEntry } from '../../src/services/kuma/operations-read.js';
import { startKumaSim, type KumaSim } from '../../src/services/kuma/sim/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { kumaHome, type KumaHome } from '../services/kuma/home.js';

let sim: KumaSim;
const homes: KumaHome[] = [];
/** A fresh config home (no cached token) with a 1 s call limit. */
const freshHome = (): KumaHome => {
  const home = kumaHome(sim, { timeout_seconds: 1 });
  homes.push(home);
  return home;
};
const tokenFile = (home: KumaHome): string => join(home.env.HOMELAB_DATA_HOME, 'kuma', 'token.json');

beforeAll(async () => {
  sim = await startKumaSim({ afterLoginDelayMs: 0 });
});
afterAll(async () => {
  await sim.close();
  for (const h of homes) h.remove();
});
afterEach(() => {
  Object.assign(sim.kumaFaults, { answer: undefined, monitorListPush: undefined, heartbeatListPush: undefined, heartbeatListPushOf: undefined, dropAfter: undefined, oversizedAfter: undefined, metrics: undefined });
});

const count = (event: string): number => sim.events.filter((e) => e.event === event).length;
/** The one error line of a failed run, without a stack trace. */
function errorLine(r: CliResult): string {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return (r.stderr.split('\n')[0] ?? '').replace(/^homelab: /, '');
}
/** A monitor as the simulator pushes it, changed by `change`. */
function pushedMonitor(change: Record<string, unknown>): Record<string, unknown> {
  return { id: 1, name: 'mon1', type: 'http', url: 'https://mon1.example', active: true, interval: 60, maxretries: 0, description: null, ...change };
}

describe('kuma login answers', () => {
  it('a null login ack is an unexpected answer (exit 1), not a refusal', async () => {
    sim.kumaFaults.answer = { event: 'login', count: 1, value: null };
    const r = await runCli(['kuma', 'list'], freshHome().env);
    expect(r.code).toBe(1);
    expect(errorLine(r)).toMatch(/^unexpected answer from kuma: login: value: .*expected object/);
  });

  it('a login that says ok with a token no header can carry is an unexpected answer, and nothing is cached', async () => {
    const home = freshHome();
    for (const token of ['abc\ndef', 'abc\u001b]0;x\u0007', '']) {
      sim.kumaFaults.answer = { event: 'login', count: 1, value: { ok: true, token } };
      const r = await runCli(['kuma', 'list'], home.env);
      expect(r.code).toBe(1);
      expect(errorLine(r)).toMatch(/^unexpected answer from kuma: login: token: the token (holds characters a header cannot carry|is empty)$/);
      expect(r.stderr).not.toContain('\u001b');
      expect(existsSync(tokenFile(home))).toBe(false);
    }
  });

  it('a cached token that is not header-safe is dropped: the run logs in with the password and caches a good token', async () => {
    const home = freshHome();
    mkdirSync(join(home.env.HOMELAB_DATA_HOME, 'kuma'), { recursive: true, mode: 0o700 });
    writeFileSync(tokenFile(home), JSON.stringify({ url: sim.url.replace(/\/+$/, ''), username: sim.credentials.values.KUMA_USERNAME, token: 'abc\ndef' }), { mode: 0o600 });
    const byToken = count('loginByToken');
    const r = await runCli(['kuma', 'list', '--json'], home.env);
    expect(r.code, r.stderr).toBe(0);
    expect(count('loginByToken') - byToken).toBe(0);
    const cached = JSON.parse(readFileSync(tokenFile(home), 'utf8')) as { token: string };
    expect(isHeaderSafe(cached.token)).toBe(true);
  });
});

describe('kuma pushes of the wrong shape', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an id that is a string', { 1: pushedMonitor({ id: '1' }) }, /^unexpected answer from kuma: monitorList: 1\.id: .*expected number/],
    ['a null entry', { 1: pushedMonitor({}), 2: null }, /^unexpected answer from kuma: monitorList: 2: .*expected object/],
    ['an entry without active', { 1: pushedMonitor({ active: undefined }) }, /^unexpected answer from kuma: monitorList: 1\.active: /],
    ['no map at all', 'bad', /^unexpected answer from kuma: monitorList: a string instead of a map of monitors by id$/],
  ];
  it.each(cases)('a monitor list with %s fails list, add and delete naming the first bad key; nothing is added', async (_label, push, message) => {
    sim.kumaFaults.monitorListPush = push;
    const home = freshHome();
    const list = await runCli(['kuma', 'list'], home.env);
    expect(list.code).toBe(1);
    expect(errorLine(list)).toMatch(message);
    const adds = count('add');
    const add = await runCli(['kuma', 'add', 'http', 'mon1', 'https://mon1.example', '--yes'], home.env);
    expect(add.code).toBe(1);
    expect(errorLine(add)).toMatch(message);
    expect(count('add') - adds).toBe(0);
    const deletes = count('deleteMonitor');
    const del = await runCli(['kuma', 'delete', 'mon1', '--yes'], home.env);
    expect(del.code).toBe(1);
    expect(errorLine(del)).toMatch(message);
    expect(count('deleteMonitor') - deletes).toBe(0);
  });

  it('an empty monitor list is no monitors (exit 0)', async () => {
    sim.kumaFaults.monitorListPush = {};
    const r = await runCli(['kuma', 'list'], freshHome().env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no monitors');
  });

  it("a heartbeat list that does not fit leaves that monitor's last beat unknown in kuma list, saying why; the others are shown; kuma show of it fails", async () => {
    const home = freshHome();
    const all = JSON.parse((await runCli(['kuma', 'list', '--json'], home.env)).stdout) as KumaListEntry[];
    const [bad, good] = all.filter((m) => m.lastHeartbeat !== null);
    if (!bad || !good) throw new Error('the simulator seeds monitors with heartbeats');
    for (const [value, why] of [['bad', 'a string instead of a list of heartbeats'], [[{ status: 'up', time: 5, monitor_id: bad.id }], '0.status: ']] as const) {
      sim.kumaFaults.heartbeatListPushOf = { monitorId: bad.id, value };
      const json = await runCli(['kuma', 'list', '--json'], home.env);
      expect(json.code, json.stderr).toBe(0);
      const list = JSON.parse(json.stdout) as KumaListEntry[];
      expect(list.find((m) => m.id === bad.id)?.lastHeartbeat).toEqual({ status: 'unknown', time: null, ping: null,
        msg: expect.stringContaining(`unexpected answer from kuma: heartbeatList of monitor ${bad.id}: ${why}`) as string });
      expect(list.find((m) => m.id === good.id)?.lastHeartbeat).toEqual(good.lastHeartbeat);
      const table = await runCli(['kuma', 'list'], home.env);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(`${bad.name}: last beat unknown: unexpected answer from kuma: heartbeatList of monitor ${bad.id}: ${why}`);
      const show = await runCli(['kuma', 'show', String(bad.id)], home.env);
      expect(show.code).toBe(1);
      expect(errorLine(show)).toContain(`unexpected answer from kuma: heartbeatList of monitor ${bad.id}: ${why}`);
      expect((await runCli(['kuma', 'show', String(good.id)], home.env)).code).toBe(0);
    }
  });
});

describe('kuma size cap and dropped connections', () => {
  it('a monitor list over 32 MiB fails at the cap as an unexpected answer (exit 1), not "connection dropped"', async () => {
    sim.kumaFaults.monitorListPush = { 1: pushedMonitor({ description: 'x'.repeat(33 * 1024 * 1024) }) };
    const r = await runCli(['kuma', 'list'], freshHome().env);
    expect(r.code).toBe(1);
    expect(errorLine(r)).toBe('unexpected answer from kuma: a Socket.IO message larger than 32 MiB');
  });

  it('a change cut off by a push over the cap may or may not have been done (exit 4), and says why', async () => {
    const home = freshHome();
    const name = (JSON.parse((await runCli(['kuma', 'list', '--json'], home.env)).stdout) as KumaListEntry[]).find((m) => m.active)?.name as string;
    sim.kumaFaults.oversizedAfter = { event: 'pauseMonitor', count: 1 };
    const pauses = count('pauseMonitor');
    const r = await runCli(['kuma', 'pause', name, '--yes'], home.env);
    expect(r.code).toBe(4);
    expect(errorLine(r)).toBe('kuma: the connection dropped during pauseMonitor (the server sent a Socket.IO message larger than 32 MiB); it may or may not have been done');
    expect(count('pauseMonitor') - pauses).toBe(1);
    await runCli(['kuma', 'resume', name, '--yes'], home.env);
  });

  it('a read cut off with its connection cannot reach (exit 4); the change after it is never sent', async () => {
    const home = freshHome();
    const before = await runCli(['kuma', 'list', '--json'], home.env);
    const name = (JSON.parse(before.stdout) as { name: string }[])[0]?.name as string;
    sim.kumaFaults.dropAfter = { event: 'getMonitor', count: 100 };
    const edits = count('editMonitor');
    const r = await runCli(['kuma', 'edit', name, '--interval', '300', '--yes'], home.env);
    expect(r.code).toBe(4);
    expect(errorLine(r)).toBe(`kuma: cannot reach ${sim.url.replace(/\/+$/, '')} (connection dropped during getMonitor)`);
    expect(count('editMonitor') - edits).toBe(0);
  });
});

describe('kuma /metrics values', () => {
  it('a value that is not finite counts as absent, never "-Infinity d"', async () => {
    const labels = 'monitor_id="1",monitor_name="web",monitor_type="http",monitor_url="https://web.example",monitor_hostname="null",monitor_port="null"';
    const body = [
      '# HELP monitor_status Monitor Status (1 = UP, 0= DOWN, 2= PENDING, 3= MAINTENANCE)', '# TYPE monitor_status gauge',
      `monitor_status{${labels}} 1`, `monitor_cert_days_remaining{${labels}} -5e308`, `monitor_response_time{${labels}} NaN`,
      `monitor_cert_is_valid{${labels}} 1`, '',
    ].join('\n');
    sim.kumaFaults.metrics = { status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', body };
    const home = freshHome();
    const json = await runCli(['kuma', 'status', '--json'], home.env);
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout) as { monitors: { name: string; status: string; certDaysLeft: number | null; responseMs: number | null }[] };
    expect(status.monitors).toEqual([expect.objectContaining({ name: 'web', status: 'up', certDaysLeft: null, responseMs: null })]);
    const table = await runCli(['kuma', 'status'], home.env);
    expect(table.stdout).not.toMatch(/Infinity|NaN/);
  });
});
