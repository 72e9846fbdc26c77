/**
 * @module services/pve/guest-preview
 * The confirmation of an operation on one guest, with the guest looked up first: a vmid no
 * guest has is refused (exit 2) before anything is asked, and the line names the guest as
 * it is (`Start VM 201 (media) on pve1`), not only the number that was typed.
 */
import type { OpContext } from '../../core/operation.js';
import { pveClientFactory } from './factory.js';
import { guestLabel } from './guest-lock.js';
import type { GuestRef } from './schemas.js';

/**
 * The preview line `say` makes of the guest `vmid` and its label with its node
 * (`VM 201 (media) on pve1`); the UsageError of `resolveGuest` when no guest has `vmid`.
 */
export async function guestPreview(ctx: OpContext, vmid: number, say: (where: string, guest: GuestRef) => string): Promise<string> {
  const client = await ctx.client(pveClientFactory);
  const guest = await client.resolveGuest(vmid, ctx.signal);
  return say(`${guestLabel(guest)} on ${guest.node}`, guest);
}
