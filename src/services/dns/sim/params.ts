/**
 * @module services/dns/sim/params
 * How Technitium reads request parameters: flat query or form fields (never JSON),
 * booleans through .NET `bool.Parse` (only `true`/`false`, any case), TTLs as seconds
 * or zone-file style (`1h30m`), and a `DnsWebServiceException` for a missing parameter.
 */
import type { SimRequest } from '../../../lab/sim-server.js';

/** An error Technitium reports as `status: "error"` (still HTTP 200). */
export class DnsSimError extends Error {}

/** An error Technitium reports as `status: "invalid-token"`. */
export class DnsSimInvalidToken extends Error {
  constructor() {
    super('Invalid token or session expired.');
  }
}

/** An error Technitium reports as `status: "2fa-required"`. */
export class DnsSimTwoFactorRequired extends Error {
  constructor() {
    super('A time-based one-time password (TOTP) is required.');
  }
}

/** The merged query and form parameters of one request (query wins, as in `GetQueryOrForm`). */
export class Params {
  private readonly values = new Map<string, string>();

  constructor(sim: SimRequest) {
    const type = sim.req.headers['content-type'] ?? '';
    if (sim.method === 'POST' && type.includes('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(sim.body)) this.values.set(k, v);
    }
    for (const [k, v] of sim.query) this.values.set(k, v);
  }

  /** The raw value, or undefined when absent or empty. */
  get(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  /** The first present of several names (a parameter and its alias). */
  any(...names: string[]): string | undefined {
    for (const n of names) {
      const v = this.get(n);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** A required parameter: `Parameter 'x' missing.` otherwise. */
  need(name: string, ...aliases: string[]): string {
    const v = this.any(name, ...aliases);
    if (v === undefined) throw new DnsSimError(`Parameter '${name}' missing.`);
    return v;
  }

  /** A boolean parsed like .NET `bool.Parse`; `fallback` when absent. */
  bool(name: string, fallback = false): boolean {
    const v = this.get(name);
    return v === undefined ? fallback : parseDotnetBool(v);
  }

  /** An integer parameter. */
  int(name: string, fallback?: number): number {
    const v = this.get(name);
    if (v === undefined) {
      if (fallback === undefined) throw new DnsSimError(`Parameter '${name}' missing.`);
      return fallback;
    }
    if (!/^-?\d+$/.test(v.trim())) throw new DnsSimError(`The input string '${v}' was not in a correct format.`);
    return Number(v);
  }
}

/** .NET `bool.Parse`: `true`/`false` in any case (surrounding spaces allowed); anything else throws. */
export function parseDotnetBool(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new DnsSimError(`String '${value}' was not recognized as a valid Boolean.`);
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A TTL in seconds, or zone-file style like `1h`, `1h30m`, `2d`. */
export function parseTtl(value: string): number {
  const v = value.trim().toLowerCase();
  if (/^\d+$/.test(v)) return Number(v);
  const parts = [...v.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== v) throw new DnsSimError(`Invalid TTL value: ${value}`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (TTL_UNITS[p[2] as string] ?? 0), 0);
}

/** A TTL as Technitium displays it: `1h`, `5m`, `1d 2h`. */
export function ttlString(seconds: number): string {
  if (seconds === 0) return '0s';
  const out: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [['w', 604800], ['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      out.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return out.join(' ');
}

const LABEL = /^(?!-)[a-z0-9_*-]{1,63}(?<!-)$/i;

/** Normalises a domain parameter (trailing dot removed, lower case) and checks its labels. */
export function normaliseDomain(value: string): string {
  const d = value.trim().replace(/\.$/, '').toLowerCase();
  if (d === '') return d;
  if (d.length > 253 || !d.split('.').every((l) => LABEL.test(l))) throw new DnsSimError(`Invalid domain name: ${value}`);
  return d;
}
