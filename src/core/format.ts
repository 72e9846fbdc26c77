/**
 * @module core/format
 * Small formatters for human output: sizes, percentages, durations, ages, a part's error line.
 */

/** Bytes as a short binary size: `1.5 GiB`. */
export function formatBytes(bytes: number | undefined | null): string {
  if (bytes === undefined || bytes === null || !Number.isFinite(bytes)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

/** A 0..1 fraction as a percentage: `12.5%`. */
export function formatPercent(fraction: number | undefined | null, digits = 1): string {
  if (fraction === undefined || fraction === null || !Number.isFinite(fraction)) return '-';
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Seconds as a compact duration: `3d 4h`, `5h 12m`, `42s`. */
export function formatDuration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null || !Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Epoch seconds as `2026-11-25 18:03` (UTC). */
export function formatTime(epochSeconds: number | undefined | null): string {
  if (!epochSeconds) return '-';
  return new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Age of an epoch-seconds timestamp relative to now: `5h 2m ago`. */
export function formatAge(epochSeconds: number | undefined | null, now = Date.now()): string {
  if (!epochSeconds) return '-';
  return `${formatDuration(now / 1000 - epochSeconds)} ago`;
}

/** Parses a duration like `90s`, `15m`, `24h`, `7d`, `2w` into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/i.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] as string).toLowerCase();
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[unit] ?? 0;
  return Number(match[1]) * factor;
}

/**
 * `message` without a leading `<part>: `: a service's error already names it (`dns: cannot
 * reach …`), so a line that names the part itself does not say it twice.
 */
export function withoutPart(part: string, message: string): string {
  return message.startsWith(`${part}: `) ? message.slice(part.length + 2) : message;
}

/** A line about one part (a service, a target) and what went wrong with it, naming the part once: `dns: cannot reach …`. */
export function partLine(part: string, message: string): string {
  return `${part}: ${withoutPart(part, message)}`;
}
