/**
 * @module services/pve/operations-guests
 * Read operations on guests: `pve list`, `pve status`, `pve config`.
 */
import { z } from 'zod';
import { formatBytes, formatDuration, formatPercent } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { fields, table, toned } from '../../core/render.js';
import { pveClientFactory } from './factory.js';
import { nodeSchema, vmidSchema } from './inputs.js';
import { knownNode } from './lifecycle-common.js';

/** JSON shape of one `pve list` entry. */
export interface GuestSummary {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  status: string;
  /** CPU usage, 0..1 of the guest's cores. */
  cpu: number | null;
  cpus: number | null;
  mem: number | null;
  maxmem: number | null;
  /** Seconds. */
  uptime: number | null;
  tags: string[];
  template: boolean;
}

const statusTone = (s: string) => (s === 'running' ? 'ok' : s === 'stopped' ? 'dim' : 'warn') as 'ok' | 'dim' | 'warn';

/** `pve list`: guests across the cluster from /cluster/resources. */
export const pveList = defineOperation({
  id: 'pve.list',
  summary: 'List VMs and containers across the cluster',
  input: z.object({
    type: z.enum(['qemu', 'lxc']).optional().describe('only VMs (qemu) or containers (lxc)'),
    node: nodeSchema.optional(),
    status: z.enum(['running', 'stopped']).optional().describe('only guests in this state'),
  }),
  risk: 'read',
  pages: true,
  examples: ['pve list', 'pve list --type lxc --status running'],
  async run(ctx, input): Promise<GuestSummary[]> {
    const client = await ctx.client(pveClientFactory);
    const [guests] = await Promise.all([client.guests(ctx.signal), input.node ? knownNode(client, input.node, ctx.signal) : undefined]);
    return guests
      .filter((g) => (!input.type || g.type === input.type) && (!input.node || g.node === input.node) && (!input.status || g.status === input.status))
      .map((g) => ({
        vmid: g.vmid ?? 0,
        name: g.name ?? '',
        type: g.type as 'qemu' | 'lxc',
        node: g.node ?? '',
        status: g.status ?? 'unknown',
        cpu: g.cpu ?? null,
        cpus: g.maxcpu ?? null,
        mem: g.mem ?? null,
        maxmem: g.maxmem ?? null,
        uptime: g.uptime ?? null,
        tags: g.tags ? g.tags.split(/[;, ]+/).filter(Boolean) : [],
        template: g.template === 1,
      }))
      .sort((a, b) => a.vmid - b.vmid);
  },
  completions: (guests, input) => [
    { kind: 'pve.guest', values: guests.map((g) => ({ value: String(g.vmid), description: g.name })), partial: Boolean(input.type || input.node || input.status) },
    { kind: 'pve.node', values: [...new Set(guests.map((g) => g.node).filter(Boolean))].map((node) => ({ value: node })), partial: true },
  ],
  render: (guests) => [
    table(
      ['vmid>', 'name', 'type', 'node', 'status', 'cpu>', 'mem>', 'uptime>'],
      guests.map((g) => [
        g.vmid, g.name, g.template ? `${g.type} (tmpl)` : g.type, g.node,
        toned(g.status, statusTone(g.status)),
        g.status === 'running' ? formatPercent(g.cpu) : '-',
        g.status === 'running' ? `${formatBytes(g.mem)} / ${formatBytes(g.maxmem)}` : formatBytes(g.maxmem),
        g.status === 'running' ? formatDuration(g.uptime) : '-',
      ]),
      { empty: 'no guests match' },
    ),
  ],
});

/** JSON shape of `pve status`. */
export interface GuestStatus extends Record<string, unknown> {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  status: string;
}

/** `pve status <vmid>`: one guest's current status. */
export const pveStatus = defineOperation({
  id: 'pve.status',
  summary: "Show one guest's current status",
  args: ['vmid'],
  input: z.object({ vmid: vmidSchema }),
  risk: 'read',
  examples: ['pve status 200'],
  async run(ctx, input): Promise<GuestStatus> {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    const current = await client.currentStatus(guest, ctx.signal);
    return { ...current, vmid: guest.vmid, name: guest.name, type: guest.type, node: guest.node, status: String(current.status ?? guest.status) };
  },
  render: (s) => {
    const n = (k: string): number | undefined => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
    const running = s.status === 'running';
    return [
      fields(
        [
          ['guest', `${s.type === 'qemu' ? 'VM' : 'CT'} ${s.vmid} (${s.name})`],
          ['node', s.node],
          ['status', toned(typeof s.qmpstatus === 'string' && s.qmpstatus !== s.status ? `${s.status} (${s.qmpstatus})` : s.status, statusTone(s.status))],
          ['cpu', running ? `${formatPercent(n('cpu'))} of ${n('cpus') ?? '?'} cores` : `${n('cpus') ?? '?'} cores`],
          ['memory', running ? `${formatBytes(n('mem'))} / ${formatBytes(n('maxmem'))}` : formatBytes(n('maxmem'))],
          ['disk', n('maxdisk') ? `${running && n('disk') ? `${formatBytes(n('disk'))} / ` : ''}${formatBytes(n('maxdisk'))}` : '-'],
          ['uptime', running ? formatDuration(n('uptime')) : '-'],
          ['network', running ? `in ${formatBytes(n('netin'))}, out ${formatBytes(n('netout'))}` : '-'],
          ...(typeof s.lock === 'string' ? [['lock', toned(s.lock, 'warn')] as [string, string | { text: string }]] : []),
        ],
      ),
    ];
  },
});

/** `pve config <vmid>`: the guest's configuration. */
export const pveConfig = defineOperation({
  id: 'pve.config',
  summary: "Show a guest's configuration",
  args: ['vmid'],
  input: z.object({ vmid: vmidSchema }),
  risk: 'read',
  examples: ['pve config 102'],
  async run(ctx, input): Promise<{ vmid: number; type: 'qemu' | 'lxc'; node: string; config: Record<string, unknown> }> {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    return { vmid: guest.vmid, type: guest.type, node: guest.node, config: await client.config(guest, ctx.signal) };
  },
  render: (r) => [
    fields(
      Object.entries(r.config)
        .filter(([k]) => k !== 'digest')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, typeof v === 'string' ? v.replace(/\n/g, ' ') : JSON.stringify(v)]),
      `${r.type === 'qemu' ? 'VM' : 'CT'} ${r.vmid} on ${r.node}`,
    ),
  ],
});
