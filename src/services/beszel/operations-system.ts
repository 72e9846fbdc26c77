/**
 * @module services/beszel/operations-system
 * `beszel system <name>`: one system in detail — the summary, temperatures, network
 * interfaces and extra filesystems from the latest `1m` sample (the latest of any bucket
 * only when the system has none, e.g. because it is down), per-container CPU and memory
 * likewise, and the `1m` samples of the last minutes. Stats have no view rule: lists + filters.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { formatBytes, formatDuration } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { fields, table, toned, type Block } from '../../core/render.js';
import { filterValue } from './client.js';
import { beszelClientFactory } from './factory.js';
import {
  filesystems, interfaces, num, statsSample, systemSummary, temperatures,
  type FilesystemUsage, type NetworkInterface, type StatsSample, type SystemSummary,
} from './mapping.js';
import { isoTime, pbTime, pct, rate, shortTime, statusTone } from './render-helpers.js';
import { containerStatsSchema, systemRecordSchema, systemStatsSchema } from './schemas.js';

/** One container's usage from the latest `container_stats` sample. */
export interface ContainerUsage {
  name: string;
  cpuPercent: number | null;
  memoryMb: number | null;
  netSentBps: number | null;
  netRecvBps: number | null;
}

/** JSON shape of `beszel system`. Times are ISO 8601. */
export interface BeszelSystemDetail extends SystemSummary {
  port: string | null;
  temperatures: Record<string, number>;
  interfaces: NetworkInterface[];
  filesystems: FilesystemUsage[];
  /** The latest `1m` sample (of any bucket size only when there is none). */
  latest: StatsSample | null;
  /** `1m` samples of the last `minutes`, oldest first. */
  recent: StatsSample[];
  containers: ContainerUsage[];
  containersAt: string | null;
}

/** `beszel system <name>`. */
export const beszelSystem = defineOperation({
  id: 'beszel.system',
  summary: 'One system in detail: temperatures, network, containers, recent stats',
  args: ['name'],
  input: z.object({
    name: z.string().min(1).max(200).describe('system name (or record id)'),
    minutes: z.number().int().min(1).max(60).default(10).describe('how many minutes of 1-minute samples to show'),
  }),
  risk: 'read',
  examples: ['beszel system pve1', 'beszel system dockge --minutes 30 --json'],
  async run(ctx, input): Promise<BeszelSystemDetail> {
    const client = await ctx.client(beszelClientFactory);
    const match = await client.list('systems', systemRecordSchema, { filter: `name = ${filterValue(input.name)} || id = ${filterValue(input.name)}`, perPage: 2 }, ctx.signal);
    const record = match.items[0];
    if (!record) throw new UsageError(`Beszel has no system named ${input.name}`, 'homelab beszel systems lists them');
    const bySystem = `system = ${filterValue(record.id)}`;
    /**
     * The newest `1m` record of a stats collection; the newest of any bucket only when there is
     * none (a system down for long): the hub writes a longer bucket's average with `created` =
     * when it ran, so for a while after each run the newest record of all is an average.
     */
    const newest = async <T extends z.ZodType>(collection: string, schema: T): Promise<z.infer<T> | undefined> => {
      const oneMinute = await client.list(collection, schema, { filter: `${bySystem} && type = '1m'`, sort: '-created', perPage: 1, skipTotal: true }, ctx.signal);
      return oneMinute.items[0] ?? (await client.list(collection, schema, { filter: bySystem, sort: '-created', perPage: 1, skipTotal: true }, ctx.signal)).items[0];
    };
    const [recentPage, latest, containerRecord] = await Promise.all([
      client.list('system_stats', systemStatsSchema, { filter: `${bySystem} && type = '1m' && created >= ${filterValue(pbTime(Date.now() - input.minutes * 60_000))}`, sort: 'created', perPage: 60 }, ctx.signal),
      newest('system_stats', systemStatsSchema),
      newest('container_stats', containerStatsSchema),
    ]);
    return {
      ...systemSummary(record),
      updated: isoTime(record.updated),
      port: record.port ?? null,
      temperatures: latest ? temperatures(latest.stats) : {},
      interfaces: latest ? interfaces(latest.stats) : [],
      filesystems: latest ? filesystems(latest.stats) : [],
      latest: latest ? statsSample(isoTime(latest.created) ?? latest.created, latest.stats) : null,
      recent: recentPage.items.map((s) => statsSample(isoTime(s.created) ?? s.created, s.stats)),
      containers: (containerRecord?.stats ?? []).map((c) => ({
        name: c.n, cpuPercent: num(c.c), memoryMb: num(c.m),
        netSentBps: c.b?.[0] ?? (c.ns === undefined ? null : Math.round(c.ns * 1_048_576)),
        netRecvBps: c.b?.[1] ?? (c.nr === undefined ? null : Math.round(c.nr * 1_048_576)),
      })).sort((a, b) => (b.cpuPercent ?? 0) - (a.cpuPercent ?? 0)),
      containersAt: isoTime(containerRecord?.created),
    };
  },
  render: (s) => {
    const gb = (v: number | null): string => (v === null ? '?' : `${v.toFixed(1)} GB`);
    const l = s.latest;
    const blocks: Block[] = [
      fields([
        ['system', `${s.name} (${s.host}${s.port ? `:${s.port}` : ''})`],
        ['status', toned(s.status, statusTone(s.status))],
        ['cpu', pct(s.cpuPercent, 90, 101)],
        ['memory', l?.memUsedGb != null ? `${gb(l.memUsedGb)} of ${gb(l.memTotalGb)} (${s.memPercent?.toFixed(1) ?? '?'}%)` : pct(s.memPercent, 90, 101)],
        ['disk', l?.diskUsedGb != null ? toned(`${gb(l.diskUsedGb)} of ${gb(l.diskTotalGb)} (${s.diskPercent?.toFixed(1) ?? '?'}%)`, (s.diskPercent ?? 0) >= 90 ? 'bad' : (s.diskPercent ?? 0) >= 80 ? 'warn' : undefined) : pct(s.diskPercent)],
        ['load', s.load ? s.load.map((v) => v.toFixed(2)).join(' ') : '-'],
        ['network', rate(s.bandwidthBps)],
        ['uptime', s.status === 'up' ? formatDuration(s.uptime) : '-'],
        ['agent', s.agentVersion ?? '-'],
        ['last sample', shortTime(l?.time ?? null)],
      ], s.name),
    ];
    const temps = Object.entries(s.temperatures);
    if (temps.length) blocks.push(table(['sensor', '°C>'], temps.map(([k, v]) => [k, toned(v.toFixed(1), v >= 80 ? 'bad' : v >= 70 ? 'warn' : undefined)]), { title: 'Temperatures' }));
    if (s.interfaces.length) {
      blocks.push(table(['interface', 'up>', 'down>', 'sent total>', 'received total>'],
        s.interfaces.map((i) => [i.name, rate(i.upBps), rate(i.downBps), formatBytes(i.totalUpBytes), formatBytes(i.totalDownBytes)]), { title: 'Network' }));
    }
    if (s.filesystems.length) blocks.push(table(['filesystem', 'used>', 'size>'], s.filesystems.map((f) => [f.name, pct(f.percent), f.totalGb === null ? '-' : `${f.totalGb} GB`]), { title: 'Extra filesystems' }));
    if (s.containers.length) {
      blocks.push(table(['container', 'cpu>', 'memory>', 'net out>', 'net in>'],
        s.containers.map((c) => [c.name, pct(c.cpuPercent, 90, 101), c.memoryMb === null ? '-' : `${c.memoryMb.toFixed(0)} MB`, rate(c.netSentBps), rate(c.netRecvBps)]), { title: 'Containers' }));
    }
    blocks.push(table(['time', 'cpu>', 'mem>', 'disk>', 'net out>', 'net in>'],
      s.recent.map((r) => [r.time.slice(11, 16), pct(r.cpuPercent, 90, 101), pct(r.memPercent, 90, 101), pct(r.diskPercent), rate(r.netSentBps), rate(r.netRecvBps)]),
      { title: 'Recent (1-minute samples, UTC)', empty: 'no samples in this window' }));
    return blocks;
  },
});
