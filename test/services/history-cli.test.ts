/**
 * The history reads the dashboard draws (`pve node-history`, `beszel history`, `pbs usage`,
 * `proxy certs`' timeline) as a user runs them: the built binary against the lab's
 * simulators over real sockets, then the chart specs made from those very results.
 */
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { chartsOf, type LineChart, type TimelineChart } from '../../src/core/chart.js';
import type { BeszelHistory } from '../../src/services/beszel/operations-history.js';
import { beszelHistory } from '../../src/services/beszel/operations-history.js';
import type { DatastoreUsage } from '../../src/services/pbs/operations-usage.js';
import { pbsUsage } from '../../src/services/pbs/operations-usage.js';
import type { PbsSim } from '../../src/services/pbs/sim/index.js';
import { estimatedFullDate } from '../../src/services/pbs/sim/seed-datastore.js';
import { proxyCerts, type ProxyCertificate } from '../../src/services/proxy/operations-lists.js';
import type { NodeHistory } from '../../src/services/pve/operations-history.js';
import { pveNodeHistory } from '../../src/services/pve/operations-history.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';

const lab = useLab({ services: ['pve', 'pbs', 'beszel', 'proxy'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const steps = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - (xs[i] ?? 0));

/** Every series of a line chart has one value per x. */
function expectAligned(chart: LineChart): void {
  for (const s of chart.series) expect(s.values).toHaveLength(chart.x.length);
  expect(steps(chart.x).every((d) => d > 0)).toBe(true);
}

describe('pve node-history', () => {
  it('reads every online node\'s last hour, a row a minute, and draws CPU and memory', async () => {
    const nodes = await runCliJson<NodeHistory[]>(['pve', 'node-history'], env());
    expect(nodes.map((n) => n.node)).toEqual(['pve1', 'pve2']);
    for (const n of nodes) {
      expect(n.points).toHaveLength(70);
      expect(new Set(steps(n.points.map((p) => p.time)))).toEqual(new Set([60]));
      for (const p of n.points) {
        expect(p.cpu).toBeGreaterThan(0);
        expect(p.cpu).toBeLessThanOrEqual(1);
        expect(p.memUsed).toBeLessThanOrEqual(p.memTotal ?? 0);
      }
      expect(n.cpuPeak).toBeGreaterThanOrEqual(n.cpuMean ?? Infinity);
    }
    const [chart] = chartsOf(pveNodeHistory, nodes.slice(0, 1), { timeframe: 'hour' }) as LineChart[];
    expect(chart?.series.map((s) => s.label)).toEqual(['CPU %', 'Memory %']);
    expectAligned(chart as LineChart);
    expect(chart?.series[0]?.values[0]).toBeCloseTo((nodes[0]?.points[0]?.cpu ?? 0) * 100, 1);
    expect((lab.current.sims.get('pve') as PveSim).schemaViolations).toEqual([]);
  });

  it('takes a node, a timeframe and peaks, and prints each row for one node', async () => {
    const [avg] = await runCliJson<NodeHistory[]>(['pve', 'node-history', 'pve2', '--timeframe', 'day'], env());
    const [max] = await runCliJson<NodeHistory[]>(['pve', 'node-history', 'pve2', '--timeframe', 'day', '--cf', 'max'], env());
    expect(new Set(steps(avg?.points.map((p) => p.time) ?? []))).toEqual(new Set([1800]));
    expect(max?.cpuPeak).toBeGreaterThan(avg?.cpuPeak ?? Infinity);
    const text = await runCli(['pve', 'node-history', 'pve1'], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^NODE\s+STATUS\s+SAMPLES\s+CPU MEAN/m);
    expect(text.stdout).toMatch(/^TIME\s+CPU\s+IOWAIT\s+LOAD\s+MEMORY/m);
    expect(text.stdout.split('\n').filter((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d/.test(l))).toHaveLength(70);
    expect((lab.current.sims.get('pve') as PveSim).schemaViolations).toEqual([]);
  });

  it('refuses a timeframe PVE does not keep, before asking it', async () => {
    const bad = await runCli(['pve', 'node-history', '--timeframe', 'fortnight'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/timeframe/);
  });
});

describe('beszel history', () => {
  it('reads the bucket Beszel keeps for the range, oldest first, and draws it', async () => {
    const hour = await runCliJson<BeszelHistory>(['beszel', 'history', 'pve1'], env());
    expect(hour).toMatchObject({ name: 'pve1', status: 'up', range: '1h', bucket: '1m' });
    expect(hour.samples).toHaveLength(60);
    const times = hour.samples.map((s) => Date.parse(s.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const half = await runCliJson<BeszelHistory>(['beszel', 'history', 'pve1', '--range', '12h'], env());
    expect(half).toMatchObject({ bucket: '10m' });
    expect(half.samples).toHaveLength(72);
    const [chart] = chartsOf(beszelHistory, half, {}) as LineChart[];
    expectAligned(chart as LineChart);
    expect(chart?.series[1]?.values).toEqual(half.samples.map((s) => s.memPercent));
    expect(chart?.caption).toMatch(/72 samples of Beszel's 10m bucket/);
  });

  it('shows a down system\'s last samples in the week and none in the last hour', async () => {
    const week = await runCliJson<BeszelHistory>(['beszel', 'history', 'media', '--range', '1w'], env());
    expect(week).toMatchObject({ status: 'down', bucket: '120m' });
    expect(week.samples).toHaveLength(12);
    const hour = await runCli(['beszel', 'history', 'media'], env());
    expect(hour.code).toBe(0);
    expect(hour.stdout).toMatch(/no samples in this range \(the system is down\)/);
    expect(chartsOf(beszelHistory, await runCliJson<BeszelHistory>(['beszel', 'history', 'media'], env()), {})).toEqual([]);
    const unknown = await runCli(['beszel', 'history', 'nosuch'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no system named nosuch/);
  });
});

describe('pbs usage', () => {
  it('gives the month of history and PBS\'s own full date, and draws the forecast to 100 %', async () => {
    const [main] = await runCliJson<DatastoreUsage[]>(['pbs', 'usage'], env());
    const ds = (lab.current.sims.get('pbs') as PbsSim).state.datastores.get('main');
    expect(main?.store).toBe('main');
    expect(main?.history).toHaveLength(31);
    expect(new Set(steps(main?.history.map((h) => h.time) ?? []))).toEqual(new Set([86_400]));
    expect(main?.history.at(-1)?.fraction).toBeCloseTo(0.93, 2);
    expect(main?.estimatedFull).toBe(ds ? estimatedFullDate(ds) : -1);
    expect(main?.daysLeft).toBeGreaterThan(7);
    expect(main?.daysLeft).toBeLessThan(60);
    const [chart] = chartsOf(pbsUsage, [main], {}) as LineChart[];
    expectAligned(chart as LineChart);
    const forecast = chart?.series.find((s) => s.dashed);
    expect(forecast?.values.filter((v) => v !== null)).toHaveLength(2);
    expect(forecast?.values.at(-1)).toBe(100);
    expect(chart?.x.at(-1)).toBe(main?.estimatedFull);
  });

  it('prints the table and refuses an unknown store', async () => {
    const text = await runCli(['pbs', 'usage', 'main'], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^DATASTORE\s+USED\s+SIZE\s+USE%\s+A MONTH AGO\s+FULL BY\s+DAYS LEFT/m);
    expect(text.stdout).toMatch(/^main\s.*93\.0%/m);
    const bad = await runCli(['pbs', 'usage', 'nosuch'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no datastore nosuch/);
  });
});

describe('proxy certs timeline', () => {
  it('puts every certificate on the time axis and marks the expiring one', async () => {
    const certs = await runCliJson<ProxyCertificate[]>(['proxy', 'certs'], env());
    const [timeline] = chartsOf(proxyCerts, certs, {}) as TimelineChart[];
    expect(timeline?.kind).toBe('timeline');
    expect(timeline?.items).toHaveLength(certs.filter((c) => c.expiresOn).length);
    const expiring = timeline?.items.find((i) => i.label.includes('git'));
    expect(expiring?.tone).toBe('bad');
    expect(expiring?.note).toMatch(/^in \d day/);
    expect(timeline?.items.map((i) => i.at)).toEqual([...(timeline?.items ?? [])].map((i) => i.at).sort((a, b) => a - b));
    expect(timeline?.caption).toMatch(/within 30 days/);
  });
});
