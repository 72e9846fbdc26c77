/**
 * @module services/beszel/mapping
 * Beszel's short JSON keys turned into named values (shared/api/beszel.md §5–6), read
 * defensively: newer keys before deprecated ones (`la` before `l1`/`l5`/`l15`, `bb`
 * bytes/s before `b` MB/s, `b[]` before `ns`/`nr`), anything missing is null.
 */
import type { SystemRecord } from './schemas.js';

const MB = 1_048_576;

/** A number, or null for anything else. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function numbers(value: unknown): number[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? value : null;
}

function numberMap(value: unknown): Record<string, number> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number');
  return entries.length ? Object.fromEntries(entries) : null;
}

/** `beszel systems`: one system's summary. Percentages are 0–100 as Beszel reports them. */
export interface SystemSummary {
  id: string;
  name: string;
  host: string;
  status: string;
  cpuPercent: number | null;
  memPercent: number | null;
  diskPercent: number | null;
  /** Load average [1, 5, 15 min]. */
  load: number[] | null;
  /** Seconds. */
  uptime: number | null;
  agentVersion: string | null;
  /** Dashboard temperature (°C). */
  temperature: number | null;
  /** Total network bandwidth, bytes/s. */
  bandwidthBps: number | null;
  /** Extra filesystems: name → used %. */
  extraFilesystems: Record<string, number> | null;
  /** Time of the last update the hub recorded (PocketBase datetime). */
  updated: string | null;
}

/** Maps a `systems` record and its `info` keys. */
export function systemSummary(record: SystemRecord): SystemSummary {
  const info = record.info;
  const la = numbers(info.la);
  const legacyLoad = [num(info.l1), num(info.l5), num(info.l15)];
  const bb = num(info.bb);
  const b = num(info.b);
  return {
    id: record.id,
    name: record.name,
    host: record.host,
    status: record.status,
    cpuPercent: num(info.cpu),
    memPercent: num(info.mp),
    diskPercent: num(info.dp),
    load: la ?? (legacyLoad.every((v) => v !== null) ? legacyLoad : null),
    uptime: num(info.u),
    agentVersion: typeof info.v === 'string' ? info.v : null,
    temperature: num(info.dt),
    bandwidthBps: bb ?? (b === null ? null : Math.round(b * MB)),
    extraFilesystems: numberMap(info.efs),
    updated: record.updated ?? null,
  };
}

/** One sample of `system_stats`, named. */
export interface StatsSample {
  time: string;
  cpuPercent: number | null;
  memPercent: number | null;
  memUsedGb: number | null;
  memTotalGb: number | null;
  diskPercent: number | null;
  diskUsedGb: number | null;
  diskTotalGb: number | null;
  /** Network sent / received, bytes/s. */
  netSentBps: number | null;
  netRecvBps: number | null;
}

/** Maps a `system_stats.stats` object. */
export function statsSample(time: string, stats: Record<string, unknown>): StatsSample {
  const b = numbers(stats.b);
  const ns = num(stats.ns);
  const nr = num(stats.nr);
  return {
    time,
    cpuPercent: num(stats.cpu),
    memPercent: num(stats.mp),
    memUsedGb: num(stats.mu),
    memTotalGb: num(stats.m),
    diskPercent: num(stats.dp),
    diskUsedGb: num(stats.du),
    diskTotalGb: num(stats.d),
    netSentBps: b?.[0] ?? (ns === null ? null : Math.round(ns * MB)),
    netRecvBps: b?.[1] ?? (nr === null ? null : Math.round(nr * MB)),
  };
}

/** One network interface from `stats.ni`. */
export interface NetworkInterface {
  name: string;
  upBps: number | null;
  downBps: number | null;
  totalUpBytes: number | null;
  totalDownBytes: number | null;
}

/** Maps `stats.ni` (`{iface: [up B/s, down B/s, total up B, total down B]}`). */
export function interfaces(stats: Record<string, unknown>): NetworkInterface[] {
  const ni = stats.ni;
  if (!ni || typeof ni !== 'object') return [];
  return Object.entries(ni as Record<string, unknown>).map(([name, v]) => {
    const values = numbers(v) ?? [];
    return { name, upBps: values[0] ?? null, downBps: values[1] ?? null, totalUpBytes: values[2] ?? null, totalDownBytes: values[3] ?? null };
  });
}

/** Maps `stats.t` (`{sensor: °C}`). */
export function temperatures(stats: Record<string, unknown>): Record<string, number> {
  return numberMap(stats.t) ?? {};
}

/** One extra filesystem from `stats.efs` (`{fs: {d, du, …}}`). */
export interface FilesystemUsage {
  name: string;
  totalGb: number | null;
  usedGb: number | null;
  percent: number | null;
}

/** Maps `stats.efs`. */
export function filesystems(stats: Record<string, unknown>): FilesystemUsage[] {
  const efs = stats.efs;
  if (!efs || typeof efs !== 'object') return [];
  return Object.entries(efs as Record<string, Record<string, unknown>>).map(([name, fs]) => {
    const total = num(fs?.d);
    const used = num(fs?.du);
    return { name, totalGb: total, usedGb: used, percent: total && used !== null ? Math.round((used / total) * 1000) / 10 : null };
  });
}
