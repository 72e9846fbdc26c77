/**
 * Fault suite, Uptime Kuma: each fault injected by the Kuma simulator (or a closed port),
 * on both of Kuma's paths — `/metrics` over HTTP (`kuma status`) and the Socket.IO
 * session (`kuma list`, `add`, `pause`) — through the built CLI, with the exit code, the
 * one error line, and from the simulator's logs that a change is never sent twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KumaListEntry, KumaStatus } from '../../src/services/kuma/index.js';
import { METRICS_IMPOSTORS } from '../../src/services/kuma/sim/faults.js';
import { renderMetrics } from '../../src/services/kuma/sim/metrics.js';
import { startKumaSim, type KumaSim } from '../../src/services/kuma/sim/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { kumaHome, type KumaHome } from '../services/kuma/home.js';
import { closedPort } from './ports.js';
import { cellText, faultRecorder } from './record.js';
import { runInTerminal } from './terminal.js';

const record = faultRecorder('kuma');

let sim: KumaSim;
let home: KumaHome;
const homes: KumaHome[] = [];
beforeAll(async () => {
  sim = await startKumaSim({ afterLoginDelayMs: 0 });
  home = kumaHome(sim, { timeout_seconds: 1 });
});
afterAll(async () => {
  await sim.close();
  for (const h of [home, ...homes]) h.remove();
});
afterEach(() => {
  Object.assign(sim.faults, { latencyMs: 0, hangNext: 0, resetNext: 0, badJsonNext: 0, failNext: undefined });
  Object.assign(sim.kumaFaults, { eventLatencyMs: 0, hang: undefined, dropAfter: undefined, badAnswer: undefined, metricsResetMidBody: 0, metrics: undefined });
});

/** The error line of a failed run: exactly one `homelab:` line, no stack trace. */
function errorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines[0]).toMatch(/^homelab: /);
  expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
  expect(result.stderr).not.toMatch(/\n\s+at |<html|<body/i);
  return (lines[0] as string).replace(/^homelab: /, '');
}

const count = (event: string): number => sim.events.filter((e) => e.event === event).length;
const metricsRequests = (): number => sim.requests.filter((r) => r.path === '/metrics').length;

describe('kuma under faults', () => {
  it('timeout: no answer past the time limit is exit 4 naming kuma and the limit', async () => {
    sim.faults.hangNext = 5;
    const status = await runCli(['kuma', 'status'], home.env);
    expect(status.code).toBe(4);
    const metricsLine = errorLine(status);
    expect(metricsLine).toBe('kuma: GET /metrics timed out after 1 s');
    sim.kumaFaults.hang = { event: 'add', count: 1 };
    const adds = count('add');
    const add = await runCli(['kuma', 'add', 'ping', 'hang-test', '10.5.0.99'], home.env);
    expect(add.code).toBe(4);
    const addLine = errorLine(add);
    // A change that went out and got no answer may have been done all the same: said, with how to check.
    expect(addLine).toBe('kuma: no answer to add within 1 s; it may or may not have been done');
    expect(add.stderr).toContain('\n  check with: homelab kuma list');
    expect(count('add') - adds).toBe(1);
    sim.kumaFaults.hang = { event: 'editMonitor', count: 1 };
    const edits = count('editMonitor');
    const edit = await runCli(['kuma', 'edit', 'pve1', '--retries', '1'], home.env);
    expect(edit.code).toBe(4);
    expect(errorLine(edit)).toBe('kuma: no answer to editMonitor within 1 s; it may or may not have been done');
    expect(count('editMonitor') - edits).toBe(1);
    record({ column: 'kuma', fault: 'timeout', outcome: cellText(`exit 4 · "${metricsLine}" · socket: "${addLine}"`) });
  });

  it('refused: exit 4 on both paths', async () => {
    const port = await closedPort();
    const refused = kumaHome(sim, { url: `http://127.0.0.1:${port}` });
    homes.push(refused);
    const status = await runCli(['kuma', 'status'], refused.env);
    expect(status.code).toBe(4);
    const metricsLine = errorLine(status);
    expect(metricsLine).toMatch(new RegExp(`^kuma: cannot reach http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
    // The Socket.IO path with the default time limit (10 s): it gives up after three refused
    // attempts, as the HTTP read does, instead of reconnecting until the limit (which would
    // end in a timeout line, not this one).
    const list = await runCli(['kuma', 'list'], refused.env);
    expect(list.code).toBe(4);
    const socketLine = errorLine(list);
    expect(socketLine).toBe(`kuma: cannot connect to http://127.0.0.1:${port} (Socket.IO): ECONNREFUSED after 3 attempts`);
    record({ column: 'kuma', fault: 'refused', outcome: cellText(`exit 4 · "${metricsLine.replace(/http:\S+:/, '<url>:')}" · socket: "…ECONNREFUSED after 3 attempts"`) });
  });

  it('reset: /metrics cut mid-body is retried with backoff; a change cut off is never resent (exit 4)', async () => {
    sim.kumaFaults.metricsResetMidBody = 1;
    let before = metricsRequests();
    const retried = await runCli(['kuma', 'status', '--json'], home.env);
    expect(retried.code).toBe(0);
    expect((JSON.parse(retried.stdout) as KumaStatus).down).toBe(1);
    expect(metricsRequests() - before).toBe(2);
    sim.kumaFaults.metricsResetMidBody = 10;
    before = metricsRequests();
    const gaveUp = await runCli(['kuma', 'status'], home.env);
    expect(gaveUp.code).toBe(4);
    const metricsLine = errorLine(gaveUp);
    expect(metricsLine).toMatch(/^kuma: cannot reach http:\/\/127\.0\.0\.1:\d+: /);
    expect(metricsRequests() - before).toBe(3);

    sim.kumaFaults.dropAfter = { event: 'add', count: 1 };
    const adds = count('add');
    const add = await runCli(['kuma', 'add', 'ping', 'reset-test', '10.5.0.98'], home.env);
    expect(add.code).toBe(4);
    const addLine = errorLine(add);
    expect(addLine).toBe('kuma: the connection dropped during add; it may or may not have been done');
    expect(add.stderr).toContain('check with: homelab kuma list');
    expect(count('add') - adds).toBe(1);
    expect([...sim.state.monitors.values()].filter((m) => m.name === 'reset-test')).toHaveLength(1);

    sim.kumaFaults.dropAfter = { event: 'pauseMonitor', count: 1 };
    const pauses = count('pauseMonitor');
    const pause = await runCli(['kuma', 'pause', 'reset-test'], home.env);
    expect(pause.code).toBe(4);
    expect(errorLine(pause)).toBe('kuma: the connection dropped during pauseMonitor; it may or may not have been done');
    expect(count('pauseMonitor') - pauses).toBe(1);
    record({
      column: 'kuma', fault: 'reset',
      outcome: cellText('exit 4 · read: 1 reset retried → ok, 3 → exit 4 · add, pause: exit 4, each sent once'),
    });
  });

  it('html-5xx: a proxy error page is exit 1 with the status and a short excerpt', async () => {
    sim.kumaFaults.metrics = METRICS_IMPOSTORS.proxy502;
    const status = await runCli(['kuma', 'status'], home.env);
    expect(status.code).toBe(1);
    const line = errorLine(status);
    expect(line).toBe('kuma: /metrics answered HTTP 502: 502 Bad Gateway · nginx/1.24.0');
    expect(line.length).toBeLessThan(200);
    record({ column: 'kuma', fault: 'html-5xx', outcome: cellText(`exit 1 · "${line}"`) });
  });

  it('bad-json: a cut or malformed answer is exit 1 "unexpected answer from kuma"; a change answered with garbage is not resent', async () => {
    const full = renderMetrics(sim.state);
    sim.kumaFaults.metrics = { status: 200, contentType: 'text/plain; version=0.0.4', body: full.slice(0, full.indexOf('monitor_status{') + 30) };
    const cut = await runCli(['kuma', 'status'], home.env);
    expect(cut.code).toBe(1);
    const metricsLine = errorLine(cut);
    expect(metricsLine).toBe('unexpected answer from kuma: /metrics was cut short (its last line is incomplete)');
    sim.kumaFaults.metrics = METRICS_IMPOSTORS.json;
    const json = await runCli(['kuma', 'status'], home.env);
    expect(json.code).toBe(1);
    expect(errorLine(json)).toBe('unexpected answer from kuma: /metrics is not Prometheus metrics (no monitor_status lines): "{"ok":true,"monitors":[]}"');
    sim.kumaFaults.badAnswer = { event: 'add', count: 1 };
    const adds = count('add');
    const add = await runCli(['kuma', 'add', 'ping', 'garbled', '10.5.0.97'], home.env);
    expect(add.code).toBe(1);
    const addLine = errorLine(add);
    expect(addLine).toMatch(/^unexpected answer from kuma: add: /);
    expect(count('add') - adds).toBe(1);
    record({ column: 'kuma', fault: 'bad-json', outcome: cellText(`exit 1 · "${metricsLine.replace(/ \(.*/, '')}" · add: "${addLine.slice(0, 34)}…", sent once`) });
  });

  it('token-expired: a stale login token is replaced by one password login; a revoked API key or changed password is exit 5', async () => {
    const warm = await runCli(['kuma', 'list', '--json'], home.env);
    expect(warm.code).toBe(0);
    sim.auth.rotateSecret();
    const [byToken, logins] = [count('loginByToken'), count('login')];
    const relogin = await runCli(['kuma', 'list', '--json'], home.env);
    expect(relogin.code).toBe(0);
    expect((JSON.parse(relogin.stdout) as KumaListEntry[]).length).toBeGreaterThan(5);
    expect([count('loginByToken') - byToken, count('login') - logins]).toEqual([1, 1]);

    const key = sim.auth.apiKeys[0];
    if (!key) throw new Error('the simulator has no API key');
    key.active = false;
    try {
      const revoked = await runCli(['kuma', 'status'], home.env);
      expect(revoked.code).toBe(5);
      expect(errorLine(revoked)).toBe('kuma: /metrics refused the credentials (HTTP 401)');
    } finally {
      key.active = true;
    }
    sim.auth.setPassword('rotated-password');
    sim.auth.rotateSecret();
    try {
      const refused = await runCli(['kuma', 'list'], home.env);
      expect(refused.code).toBe(5);
      expect(errorLine(refused)).toMatch(/^kuma: login refused: incorrect username or password/);
      expect(refused.stderr).not.toContain('kuma-lab-password');
    } finally {
      sim.auth.setPassword('kuma-lab-password');
    }
    record({
      column: 'kuma', fault: 'token-expired',
      outcome: cellText('stale token: 1 password login, exit 0; API key revoked or password changed: exit 5'),
    });
  });

  it('tls-mismatch: a certificate not matching the pin is refused before any request, both fingerprints shown (exit 4)', async () => {
    const tls = await startKumaSim({ tls: true, afterLoginDelayMs: 0 });
    const wrong = 'AB:'.repeat(31) + 'AB';
    const pinned = kumaHome(tls, { fingerprint: wrong, timeout_seconds: 2 });
    homes.push(pinned);
    try {
      const status = await runCli(['kuma', 'status'], pinned.env);
      expect(status.code).toBe(4);
      const line = errorLine(status);
      expect(line).toBe(`kuma: TLS certificate fingerprint ${tls.fingerprint} does not match the pinned ${wrong}; credentials were not sent`);
      const list = await runCli(['kuma', 'list'], pinned.env);
      expect(list.code).toBe(4);
      expect(errorLine(list)).toBe(line);
      expect(tls.requests).toHaveLength(0);
      expect(tls.events).toHaveLength(0);
      record({ column: 'kuma', fault: 'tls-mismatch', outcome: cellText('exit 4 · "fingerprint <actual> does not match the pinned <pin>" · 0 requests, 0 socket events') });
    } finally {
      await tls.close();
    }
  });

  it('slow: every answer 2 s late is still correct, with progress on a terminal', async () => {
    const slow = kumaHome(sim, { timeout_seconds: 10 });
    homes.push(slow);
    const quick = await runInTerminal(['kuma', 'status', '--json'], slow.env);
    expect(quick.code).toBe(0);
    expect(quick.stderr).not.toContain('waiting for kuma');
    sim.faults.latencyMs = 2000;
    const { code, stdout, stderr } = await runInTerminal(['kuma', 'status', '--json'], slow.env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(quick.stdout));
    expect(stderr).toContain('waiting for kuma (GET /metrics)…');
    sim.faults.latencyMs = 0;
    sim.kumaFaults.eventLatencyMs = 2000;
    const list = await runInTerminal(['kuma', 'list', '--json'], slow.env);
    expect(list.code).toBe(0);
    expect(list.stderr).toContain('connecting to Uptime Kuma at');
    expect((JSON.parse(list.stdout) as KumaListEntry[]).find((m) => m.name === 'media')?.lastHeartbeat?.status).toBe('down');
    record({ column: 'kuma', fault: 'slow', outcome: cellText('exit 0, the same result as without the delay · TTY: "waiting for kuma (GET /metrics)…"') });
  }, 60_000);
});
