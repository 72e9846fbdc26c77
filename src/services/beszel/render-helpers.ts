/**
 * @module services/beszel/render-helpers
 * Small formatters shared by the beszel renders: percentages with thresholds, rates,
 * PocketBase datetimes and system status tones.
 */
import { formatBytes } from '../../core/format.js';
import { toned, type Cell, type Tone } from '../../core/render.js';

/** A 0–100 percentage, toned warn/bad above the thresholds. */
export function pct(value: number | null, warn = 80, bad = 90): Cell {
  if (value === null) return '-';
  const tone: Tone | undefined = value >= bad ? 'bad' : value >= warn ? 'warn' : undefined;
  return toned(`${value.toFixed(1)}%`, tone);
}

/** Bytes per second: `1.2 MiB/s`. */
export function rate(bps: number | null): string {
  return bps === null ? '-' : `${formatBytes(bps)}/s`;
}

/** The tone of a system status. */
export function statusTone(status: string): Tone {
  return status === 'up' ? 'ok' : status === 'down' ? 'bad' : status === 'paused' ? 'dim' : 'warn';
}

/** A PocketBase datetime (`2026-08-21 17:30:19.123Z`) as ISO 8601, or null. */
export function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const date = new Date(value.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A PocketBase datetime for filters: UTC with a space separator. */
export function pbTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ');
}

/** An ISO time as `2026-08-21 17:30` (UTC), or `-`. */
export function shortTime(iso: string | null): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '-';
}
