/**
 * @module services/pve/sim/routes/network
 * `GET /nodes/{node}/network`: a node's network configuration as PVE parses
 * `/etc/network/interfaces` — its physical port (`eth`) and its Linux bridges, the
 * first carrying the node's address and gateway. `type` filters (`bridge`, `eth`,
 * `any_bridge`, `any_local_bridge`). Guest NICs name one of these bridges; a guest whose
 * bridge the node lacks fails to start (see `missingBridge`).
 */
import { lab } from '../../../../lab/inventory.js';
import { req, str, type RouteTable } from '../context.js';
import type { GuestConfig, SimNode } from '../state.js';

/** The physical port each node's first bridge uses. */
const PORT: Record<string, string> = { pve1: 'enp5s0', pve2: 'eno1' };

/** The interfaces of a node, as `GET /nodes/{node}/network` lists them. */
export function nodeInterfaces(n: SimNode): Record<string, unknown>[] {
  const port = PORT[n.name] ?? 'eno1';
  const prefix = Number(lab.subnet.split('/')[1] ?? 24);
  const out: Record<string, unknown>[] = [
    { iface: port, type: 'eth', method: 'manual', method6: 'manual', families: ['inet'], active: 1, exists: 1, autostart: 0, priority: 3 },
  ];
  n.bridges.forEach((bridge, i) => {
    const entry: Record<string, unknown> = {
      iface: bridge, type: 'bridge', method: i === 0 ? 'static' : 'manual', method6: 'manual', families: ['inet'],
      active: 1, autostart: 1, priority: 4 + i,
    };
    if (i === 0) Object.assign(entry, { bridge_ports: port, address: n.ip, netmask: String(prefix), cidr: `${n.ip}/${prefix}`, gateway: lab.gateway });
    out.push(entry);
  });
  return out;
}

/** The first bridge a guest config's NICs name that the node lacks, if any. */
export function missingBridge(n: SimNode | undefined, config: GuestConfig): string | undefined {
  if (!n) return undefined;
  for (const [key, value] of Object.entries(config)) {
    if (!/^net\d+$/.test(key) || typeof value !== 'string') continue;
    const bridge = /(?:^|,)bridge=([^,]+)/.exec(value)?.[1];
    if (bridge && !n.bridges.includes(bridge)) return bridge;
  }
  return undefined;
}

/** The network routes. */
export const networkRoutes: RouteTable = {
  'GET /nodes/{node}/network': (ctx) => {
    const n = ctx.state.nodes.get(req(ctx, 'node'));
    const type = str(ctx, 'type');
    const all = n ? nodeInterfaces(n) : [];
    const wanted = (t: unknown): boolean => type === undefined || type === 'include_sdn' || t === type
      || ((type === 'any_bridge' || type === 'any_local_bridge') && (t === 'bridge' || t === 'OVSBridge'));
    return { data: all.filter((i) => wanted(i.type)) };
  },
};
