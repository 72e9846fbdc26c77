/**
 * @module services/pve/sim/noise
 * Deterministic "random" numbers for the seeded world: the same inventory always gives
 * the same MAC addresses, UUIDs, loads and sizes, so demos and tests are repeatable.
 */
import { createHash } from 'node:crypto';

/** A number in [0, 1) derived from `key`. */
export function unit(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/** An integer in [min, max] derived from `key`. */
export function intIn(key: string, min: number, max: number): number {
  return min + Math.floor(unit(key) * (max - min + 1));
}

/** `n` hex bytes derived from `key`, upper case, joined by `sep`. */
export function hexBytes(key: string, n: number, sep = ''): string {
  const bytes = createHash('sha256').update(key).digest().subarray(0, n);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(sep);
}

/** A UUID-shaped string derived from `key` (lower case). */
export function uuidFrom(key: string): string {
  const h = hexBytes(key, 16).toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
