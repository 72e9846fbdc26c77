/**
 * @module services/pve/sim/routes/addresses
 * A guest's addresses: the QEMU guest agent's `network-get-interfaces` (refused as
 * qemu-server does: `VM 200 is not running`, `No QEMU guest agent configured`,
 * `QEMU guest agent is not running`) and a container's `interfaces` (running only).
 */
import type { RouteTable } from '../context.js';
import { die } from '../errors.js';
import { guestOf } from './guest-of.js';
import { agentInterfaces, containerInterfaces } from '../guest-net.js';
import type { SimGuest } from '../state.js';

/** Whether the config enables the agent (`agent: 1` or `agent: enabled=1,…`). */
function agentEnabled(g: SimGuest): boolean {
  const v = String(g.config.agent ?? '0');
  return /^(1|enabled=1)(,|$)/.test(v) || /(^|,)enabled=1(,|$)/.test(v);
}

/** The address routes. */
export const addressRoutes: RouteTable = {
  'GET /nodes/{node}/qemu/{vmid}/agent/network-get-interfaces': (ctx) => {
    const g = guestOf(ctx, 'qemu');
    if (g.status !== 'running') throw die(`VM ${g.vmid} is not running`);
    if (!agentEnabled(g)) throw die('No QEMU guest agent configured');
    if (g.agentDown) throw die('QEMU guest agent is not running');
    return { data: agentInterfaces(g) };
  },
  'GET /nodes/{node}/lxc/{vmid}/interfaces': (ctx) => {
    const g = guestOf(ctx, 'lxc');
    if (g.status !== 'running') throw die(`CT ${g.vmid} not running`);
    return { data: containerInterfaces(g) };
  },
};
