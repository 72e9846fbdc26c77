/**
 * The Uptime Kuma defects a hostile probe found, each against the simulator over real
 * sockets: `/metrics` answered by something that is not Kuma (a login page, garbage,
 * `null`, JSON, a page cut short) must fail — in `kuma status`, the watch check and the
 * status headline — instead of reporting "no active monitors"; 1.23's `info` push
 * arriving just after `monitorList` must not leave `kuma add` waiting for the next push;
 * and `kuma status` says what /metrics leaves out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HomelabError } from '../../../src/core/errors.js';
import type { KumaStatus } from '../../../src/services/kuma/index.js';
import { METRICS_IMPOSTORS } from '../../../src/services/kuma/sim/faults.js';
import { renderMetrics } from '../../../src/services/kuma/sim/metrics.js';
import { startKumaSim, type KumaSim } from '../../../src/services/kuma/sim/index.js';
import type { StatusResult } from '../../../src/services/hub/status.js';
import type { CheckFindings } from '../../../src/services/watch/operations-run.js';
import { KumaClient } from '../../../src/services/kuma/client.js';
import { KumaTokenCache } from '../../../src/services/kuma/token-cache.js';
import { summariseKuma } from '../../../src/services/hub/headlines/kuma.js';
import { runCli } from '../../helpers/cli.js';
import { homeContext, kumaHome, runOp, type KumaHome } from './home.js';

const failure = (p: Promise<unknown>): Promise<HomelabError> => p.then(
  () => { throw new Error('expected a failure'); },
  (err: unknown) => {
    if (!(err instanceof HomelabError)) throw err;
    return err;
  },
);

describe('/metrics that is not Prometheus metrics', () => {
  let sim: KumaSim;
  let home: KumaHome;
  beforeAll(async () => {
    sim = await startKumaSim({ afterLoginDelayMs: 0 });
    home = kumaHome(sim);
  });
  afterAll(async () => {
    await sim.close();
    home.remove();
  });

  for (const [kind, answer] of Object.entries(METRICS_IMPOSTORS).filter(([k]) => k !== 'proxy502')) {
    it(`fails on ${kind} instead of "no monitors": kuma status, the watch check and the status headline`, async () => {
      sim.kumaFaults.metrics = answer;
      const { ctx, close } = homeContext(home);
      try {
        const err = await failure(runOp('kuma.status', {}, ctx));
        expect(err.exitCode).toBe(1);
        expect(err.message).toMatch(/^unexpected answer from kuma: \/metrics is not Prometheus metrics/);
        expect(err.message).not.toMatch(/<|\u001b|\u0000/);
        // A check that could not run fails `watch run` (never exit 0), carrying the results.
        const watch = await failure(runOp<CheckFindings[]>('watch.run', { check: 'monitors' }, ctx));
        expect(watch.exitCode).toBe(1);
        const [monitors] = (watch as HomelabError & { result: CheckFindings[] }).result;
        expect(monitors).toMatchObject({ check: 'monitors', outcome: 'error', detail: expect.stringContaining('not Prometheus metrics') });
        const status = (await failure(runOp<StatusResult>('status', {}, ctx)) as HomelabError & { result: StatusResult }).result;
        expect(status.services.find((s) => s.service === 'kuma')).toMatchObject({ state: 'down', tone: 'bad', headline: expect.stringContaining('not Prometheus metrics') });
      } finally {
        sim.kumaFaults.metrics = undefined;
        await close();
      }
    });
  }

  it('exits 1 on the CLI with one line, and never prints the page', async () => {
    sim.kumaFaults.metrics = METRICS_IMPOSTORS.loginPage;
    try {
      const result = await runCli(['kuma', 'status'], home.env);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^homelab: unexpected answer from kuma: \/metrics is not Prometheus metrics \(no monitor_status lines\): "Sign in/);
      expect(result.stderr).not.toContain('<form');
    } finally {
      sim.kumaFaults.metrics = undefined;
    }
  });

  it('fails on a metrics page cut short, but not on a server with no monitors yet', async () => {
    const full = renderMetrics(sim.state);
    sim.kumaFaults.metrics = { status: 200, contentType: 'text/plain; version=0.0.4', body: full.slice(0, full.indexOf('monitor_status{') + 40) };
    const { ctx, close } = homeContext(home);
    try {
      const err = await failure(runOp('kuma.status', {}, ctx));
      expect([err.exitCode, err.message]).toEqual([1, 'unexpected answer from kuma: /metrics was cut short (its last line is incomplete)']);
    } finally {
      sim.kumaFaults.metrics = undefined;
      await close();
    }
    const empty = await startKumaSim({ empty: true });
    const emptyHome = kumaHome(empty);
    const own = homeContext(emptyHome);
    try {
      const status = await runOp<KumaStatus>('kuma.status', {}, own.ctx);
      expect([status.monitors, status.up, status.down]).toEqual([[], 0, 0]);
    } finally {
      await own.close();
      await empty.close();
      emptyHome.remove();
    }
  });
});

describe('Uptime Kuma 1.23', () => {
  let sim: KumaSim;
  let home: KumaHome;
  beforeAll(async () => {
    sim = await startKumaSim({ version: '1.23.17', empty: true });
    home = kumaHome(sim);
  });
  afterAll(async () => {
    await sim.close();
    home.remove();
  });

  it('knows the version as soon as info arrives, though it follows monitorList (no wait for the next push)', async () => {
    const client = new KumaClient({
      url: sim.url, timeoutMs: 20_000, username: 'admin', password: 'kuma-lab-password', tokens: new KumaTokenCache(home.dir, sim.url, 'admin'),
    });
    try {
      const session = await client.socket();
      await session.monitorList();
      // Nothing else is pushed to an empty 1.23 server: before the fix this waited the whole 20 s time limit.
      const version = await Promise.race([session.serverVersion(), new Promise((r) => setTimeout(() => r('still waiting after 3 s'), 3000))]);
      expect(version).toBe('1.23.17');
    } finally {
      await client.close();
    }
  });

  it('adds the first monitor of a session without waiting out the time limit', async () => {
    const { ctx, close } = homeContext(home);
    try {
      const added = runOp<{ id: number }>('kuma.add.http', { name: 'wiki', url: 'https://wiki.home.lan' }, ctx);
      const first = await Promise.race([added, new Promise((r) => setTimeout(() => r('still waiting after 3 s'), 3000))]);
      expect(first).toMatchObject({ id: expect.any(Number) });
      expect(sim.events.filter((e) => e.event === 'add')).toHaveLength(1);
    } finally {
      await close();
    }
  });

  it('says that paused monitors and monitors without a heartbeat are not in /metrics', async () => {
    const id = sim.monitorId('wiki');
    const { ctx, close } = homeContext(home);
    try {
      await runOp('kuma.pause', { monitor: 'wiki' }, ctx);
      expect(sim.state.monitors.get(id)?.active).toBe(false);
      const json = await runOp<KumaStatus>('kuma.status', {}, ctx);
      expect(json.monitors).toEqual([]);
      expect(json.note).toMatch(/^not shown: paused monitors and monitors without a heartbeat yet \(a push monitor within its first interval\)/);
    } finally {
      await close();
    }
    const result = await runCli(['kuma', 'status'], home.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('no active monitors');
    expect(result.stdout).toContain('not shown: paused monitors and monitors without a heartbeat yet (a push monitor within its first interval), which /metrics leaves out; kuma list shows every monitor');
  });
});

describe('the kuma status headline', () => {
  it('never says all good about an answer it cannot read', () => {
    for (const result of [null, 'garbage', { ok: true }, [{ nope: 1 }]]) {
      expect(summariseKuma(new Map([['kuma.status', result]]))).toEqual({ text: 'unexpected answer from kuma (no monitor list)', tone: 'bad' });
    }
    expect(summariseKuma(new Map([['kuma.status', { monitors: [] }]]))).toEqual({ text: '0 monitors, none down', tone: 'ok' });
  });
});
