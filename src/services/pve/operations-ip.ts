/**
 * @module services/pve/operations-ip
 * `pve ip <vmid>`: a guest's addresses, from the QEMU guest agent for VMs and from the
 * container's interfaces for containers, with a clear line when there is nothing to ask
 * (the guest is a template or stopped, the agent is not enabled, or enabled but not answering).
 */
import { z } from 'zod';
import { ApiError, OperationError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { table } from '../../core/render.js';
import { agentInterfaces, containerInterfaces } from './api-lifecycle.js';
import { pveClientFactory } from './factory.js';
import { guestLabel } from './guest-lock.js';
import { vmidSchema } from './inputs.js';
import type { GuestRef } from './schemas.js';

/** JSON shape of `pve ip`. */
export interface GuestAddresses {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  /** `agent` (QEMU guest agent) or `container` (the container's interfaces). */
  source: 'agent' | 'container';
  interfaces: { name: string; mac: string | null; addresses: string[] }[];
}

/** The one line (and hint) for an agent that cannot be asked. */
function agentRefusal(guest: GuestRef, err: ApiError): OperationError | undefined {
  const label = guestLabel(guest);
  if (/No QEMU guest agent configured/i.test(err.message)) {
    return new OperationError(`${label} has no guest agent enabled, so PVE cannot see its addresses`,
      `enable it (qm set ${guest.vmid} --agent enabled=1, then restart the VM) and install qemu-guest-agent in the guest`);
  }
  if (/guest agent is not running/i.test(err.message)) {
    return new OperationError(`the guest agent of ${label} does not answer`,
      'is qemu-guest-agent installed and running in the guest? (it starts a little after boot)');
  }
  if (/is not running|not running/i.test(err.message)) {
    return new OperationError(`${label} is not running, so it has no addresses to report`, `start it: homelab pve start ${guest.vmid}`);
  }
  return undefined;
}

/** `pve ip <vmid>`. */
export const pveIp = defineOperation({
  id: 'pve.ip',
  summary: "A guest's IP addresses (QEMU guest agent or container interfaces)",
  args: ['vmid'],
  input: z.object({ vmid: vmidSchema }),
  risk: 'read',
  examples: ['pve ip 200', 'pve ip 107'],
  async run(ctx, input): Promise<GuestAddresses> {
    const client = await ctx.client(pveClientFactory);
    const guest = await client.resolveGuest(input.vmid, ctx.signal);
    if (guest.template) {
      throw new OperationError(`${guestLabel(guest)} is a template: a template never runs, so it has no addresses`,
        `clone it and ask the clone: homelab pve clone ${guest.vmid} --start, then homelab pve ip <new id>`);
    }
    const base = { vmid: guest.vmid, name: guest.name, type: guest.type, node: guest.node };
    try {
      if (guest.type === 'qemu') {
        const ifaces = await agentInterfaces(client, guest, ctx.signal);
        return { ...base, source: 'agent', interfaces: ifaces.map((i) => ({
          name: i.name, mac: i['hardware-address'] ?? null,
          addresses: (i['ip-addresses'] ?? []).map((a) => (a.prefix === undefined ? a['ip-address'] : `${a['ip-address']}/${a.prefix}`)),
        })) };
      }
      const ifaces = await containerInterfaces(client, guest, ctx.signal);
      return { ...base, source: 'container', interfaces: ifaces.map((i) => ({
        name: i.name, mac: i['hardware-address'] ?? i.hwaddr ?? null,
        addresses: i['ip-addresses']
          ? i['ip-addresses'].map((a) => (a.prefix === undefined ? a['ip-address'] : `${a['ip-address']}/${a.prefix}`))
          : [i.inet, i.inet6].filter((x): x is string => Boolean(x)),
      })) };
    } catch (err) {
      const refusal = err instanceof ApiError && err.status === 500 ? agentRefusal(guest, err) : undefined;
      throw refusal ?? err;
    }
  },
  render: (r) => [
    table(['interface', 'mac', 'addresses'],
      r.interfaces.filter((i) => i.name !== 'lo').map((i) => [i.name, i.mac ?? '-', i.addresses.join(' ')]),
      { title: `${guestLabel(r)} on ${r.node} (${r.source === 'agent' ? 'guest agent' : 'container'})`, empty: 'no interfaces reported' }),
  ],
});
