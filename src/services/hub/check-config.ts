/**
 * @module services/hub/check-config
 * The `check:` section of config.yaml: where `check --probe` connects, and which machines are
 * not guests. `probe_map` sends the probe of a forward target (`host:port`, as the proxy host
 * names it) to another address instead; `probe_unmapped: false` probes mapped targets only.
 * The simulated lab writes both, mapping every simulated guest's app to a loopback listener
 * it owns, so a probe in the lab never leaves the machine. `hosts` lists the addresses or
 * names of machines of the lab that are not guests (a NAS, a printer): check treats them as
 * known hosts, as it does PVE nodes and gateways. An unknown key is refused naming the known
 * one a typo is close to (`core/config-keys`).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { describeIssues, type HomelabConfig } from '../../core/config.js';
import { unknownKeys } from '../../core/config-keys.js';
import { ConfigError } from '../../core/errors.js';
import { canonicalAddress } from '../../core/ip-address.js';
import { isHostname } from '../../core/validate.js';

const ENDPOINT = /^(\[[0-9a-f:.]+\]|[^\s:[\]/]+):(\d{1,5})$/i;
const endpoint = z.string()
  .regex(ENDPOINT, 'must be host:port (an IPv6 address in brackets: [fd00::1]:80)')
  .refine((s) => { const port = Number(ENDPOINT.exec(s)?.[2]); return port >= 1 && port <= 65535; }, 'the port must be 1 to 65535')
  .transform((s) => s.toLowerCase());

/** The `check:` section. */
export const checkConfigSchema = z.strictObject({
  /** Forward target (`host:port`) → where the probe connects instead (`host:port`). */
  probe_map: z.record(z.string(), endpoint).default({}),
  /** Whether targets without a `probe_map` entry are probed at their own address (default true). */
  probe_unmapped: z.boolean().default(true),
  /** Machines that are not guests (a NAS, a printer): addresses, or names (of the zone, or fully qualified). */
  hosts: z.array(z.string().trim().toLowerCase().transform((s) => canonicalAddress(s.replace(/^\[|\]$/g, '').replace(/\.$/, '')))
    .refine((s) => isIP(s) !== 0 || isHostname(s), 'must be an address or a host name')).default([]),
}, { error: unknownKeys }).superRefine((c, ctx) => {
  for (const key of Object.keys(c.probe_map)) {
    if (!endpoint.safeParse(key).success) ctx.addIssue({ code: 'custom', path: ['probe_map', key], message: 'the key must be host:port, as a proxy host forwards to it' });
  }
});

/** The validated `check:` section. */
export interface CheckConfig {
  /** `host:port` in one spelling (`probeKeyOf`) → `host:port`. */
  probeMap: Map<string, string>;
  probeUnmapped: boolean;
  /** Addresses (canonical spelling) and lower-case names of machines that are not guests. */
  hosts: string[];
}

/** Reads the `check:` section (absent: probe every target at its own address). */
export function checkConfig(config: HomelabConfig): CheckConfig {
  const parsed = checkConfigSchema.safeParse(config.check ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, `${config.origin ?? ''}check`, parsed.error));
  return {
    probeMap: new Map(Object.entries(parsed.data.probe_map).map(([k, v]) => [probeKeyOf(k), v])),
    probeUnmapped: parsed.data.probe_unmapped,
    hosts: parsed.data.hosts,
  };
}

/** Splits `host:port` (`[v6]:port`) into its host, without brackets, and port. */
export function splitEndpoint(value: string): { host: string; port: number } {
  const m = ENDPOINT.exec(value);
  if (!m) throw new Error(`not host:port: ${value}`);
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/**
 * A `host:port` in one spelling, for looking up `probe_map`: lower case, an IPv6 address
 * canonical and in brackets (`[FD00:0::50]:80` → `[fd00::50]:80`); anything else lower-cased.
 */
export function probeKeyOf(value: string): string {
  const m = ENDPOINT.exec(value);
  if (!m) return value.toLowerCase();
  const host = canonicalAddress((m[1] as string).replace(/^\[|\]$/g, ''));
  return `${isIP(host) === 6 ? `[${host}]` : host}:${Number(m[2])}`;
}
