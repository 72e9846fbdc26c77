/**
 * @module services/pve/operations-configs
 * `pve configs`: the configuration of many guests in one run. The cluster's guests are
 * read once (`/cluster/resources`), then every config is fetched concurrently, at most
 * `--concurrency` at a time (default 16). Asking `pve config` once per guest resolves
 * the guest each time, which reads the whole guest list again: quadratic on a large
 * cluster. Each entry adds what checks need without parsing PVE's property strings:
 * `onboot`, the static addresses and gateways of the network config, and a VM's creation
 * time (`meta: ctime`, which tells a reused VMID's older backups apart). `offset` and
 * `limit` ask for a window of the (filtered, VMID-ordered) guest list: only its configs are
 * fetched (`Operation.page`), and `total` counts the whole list.
 */
import { z } from 'zod';
import { settleParts, toHomelabError } from '../../core/errors.js';
import { canonicalAddress } from '../../core/ip-address.js';
import { settleLimit } from '../../core/map-limit.js';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned } from '../../core/render.js';
import { creationTime } from './backup-listing.js';
import { pveClientFactory } from './factory.js';
import { nodeSchema } from './inputs.js';
import { knownNode } from './lifecycle-common.js';
import type { GuestRef } from './schemas.js';

/** JSON shape of one `pve configs` entry. */
export interface GuestConfigEntry {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  status: string;
  template: boolean;
  /** `onboot: 1` in the config. */
  onboot: boolean;
  /** Static addresses of the network config (`ipconfigN` for VMs, `netN` `ip=`/`ip6=` for containers), without prefix length, IPv6 in its canonical spelling (`fd00:0::50` → `fd00::50`). */
  addresses: string[];
  /** Gateways of the network config. */
  gateways: string[];
  /** `dhcp` (or `auto`/SLAAC) on some interface: the address is only known to the guest (see `pve ip`). */
  dynamic: boolean;
  /** A VM's creation time (`meta: …,ctime=<epoch>`, epoch seconds); null for a container, or a VM whose config does not tell. */
  created: number | null;
  config: Record<string, unknown>;
}

/** JSON shape of `pve configs`. */
export interface GuestConfigs {
  guests: GuestConfigEntry[];
  /** Guests whose config could not be read. */
  failed: { vmid: number; error: string }[];
  /** How many guests match, in the window asked for or not. */
  total: number;
}

/** The `key=value` parts of a PVE property string. */
function parts(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/** Static addresses, gateways and whether any interface is dynamic, from a guest config. */
export function networkOf(type: 'qemu' | 'lxc', config: Record<string, unknown>): Pick<GuestConfigEntry, 'addresses' | 'gateways' | 'dynamic'> {
  const addresses = new Set<string>();
  const gateways = new Set<string>();
  let dynamic = false;
  const keys = Object.keys(config).filter((k) => (type === 'qemu' ? /^ipconfig\d+$/ : /^net\d+$/).test(k)).sort();
  for (const key of keys) {
    const p = parts(String(config[key] ?? ''));
    for (const [addrKey, gwKey] of [['ip', 'gw'], ['ip6', 'gw6']] as const) {
      const ip = p.get(addrKey);
      if (ip === 'dhcp' || ip === 'auto') dynamic = true;
      else if (ip && ip !== 'manual') addresses.add(canonicalAddress(ip.replace(/\/\d+$/, '')));
      const gw = p.get(gwKey);
      if (gw) gateways.add(canonicalAddress(gw));
    }
  }
  return { addresses: [...addresses], gateways: [...gateways], dynamic };
}

const isOn = (v: unknown): boolean => v === 1 || v === '1' || v === true;

/** `pve configs`. */
export const pveConfigs = defineOperation({
  id: 'pve.configs',
  summary: 'The configuration of many guests at once, fetched concurrently (onboot and static addresses included)',
  description: 'Reads the guest list once, then every matching config at most --concurrency at a time. A config that cannot be read is listed under failed (exit 1, or 4 when PVE was unreachable), the others still show.',
  input: z.object({
    type: z.enum(['qemu', 'lxc']).optional().describe('only VMs (qemu) or containers (lxc)'),
    node: nodeSchema.optional(),
    status: z.enum(['running', 'stopped']).optional().describe('only guests in this state'),
    concurrency: z.number({ error: 'concurrency must be an integer from 1 to 64' }).int().min(1).max(64).default(16).describe('configs fetched at once'),
    offset: z.number({ error: 'offset must be a whole number, 0 or more' }).int().min(0).optional().describe('skip this many matching guests first (by VMID)'),
    limit: z.number({ error: 'limit must be a whole number, 1 or more' }).int().min(1).optional().describe('fetch the configs of at most this many guests'),
  }),
  risk: 'read',
  pages: 'guests',
  page: 'window',
  examples: ['pve configs', 'pve configs --status stopped --json', 'pve configs --node pve2 --concurrency 4', 'pve configs --limit 50 --offset 100'],
  async run(ctx, input): Promise<GuestConfigs> {
    const client = await ctx.client(pveClientFactory);
    const [all] = await Promise.all([client.guests(ctx.signal), input.node ? knownNode(client, input.node, ctx.signal) : undefined]);
    const matching: GuestRef[] = all
      .filter((g) => g.vmid !== undefined && g.node !== undefined && (g.type === 'qemu' || g.type === 'lxc'))
      .map((g) => ({ vmid: g.vmid as number, type: g.type as 'qemu' | 'lxc', node: g.node as string, name: g.name ?? '', status: g.status ?? 'unknown', template: g.template === 1 }))
      .filter((g) => (!input.type || g.type === input.type) && (!input.node || g.node === input.node) && (!input.status || g.status === input.status))
      .sort((a, b) => a.vmid - b.vmid);
    const start = input.offset ?? 0;
    const refs = matching.slice(start, input.limit === undefined ? undefined : start + input.limit);
    const settled = await settleLimit(refs, input.concurrency, (g) => client.configOnce(g, ctx.signal));
    const result: GuestConfigs = { guests: [], failed: [], total: matching.length };
    const failures: { part: string; exitCode: number }[] = [];
    settled.forEach((s, i) => {
      const g = refs[i] as GuestRef;
      if (s.status === 'rejected') {
        const e = toHomelabError(s.reason);
        result.failed.push({ vmid: g.vmid, error: e.message });
        failures.push({ part: String(g.vmid), exitCode: e.exitCode });
        return;
      }
      const config = s.value;
      const created = g.type === 'qemu' ? creationTime(config) ?? null : null;
      result.guests.push({ ...g, onboot: isOn(config.onboot), ...networkOf(g.type, config), created, config });
    });
    if (ctx.signal.aborted) throw toHomelabError(ctx.signal.reason);
    return settleParts('pve configs', result, refs.length, 'guests', failures);
  },
  render: (r) => [
    table(['vmid>', 'name', 'type', 'node', 'status', 'onboot', 'addresses'], r.guests.map((g) => [
      g.vmid, g.name, g.template ? `${g.type} (tmpl)` : g.type, g.node, toned(g.status, g.status === 'running' ? 'ok' : 'dim'),
      g.onboot ? 'yes' : '-', [...g.addresses, ...(g.dynamic ? ['dhcp'] : [])].join(', ') || '-',
    ]), { empty: 'no guests match' }),
    ...r.failed.map((f) => text(`${f.vmid}: ${f.error}`, 'bad')),
  ],
});
