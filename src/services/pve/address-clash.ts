/**
 * @module services/pve/address-clash
 * A copy of a guest (a restore to another id, a clone) keeps the static address of its
 * config: started while the original runs, two guests answer for one address. These
 * helpers read the static IPv4 addresses of a config (`ip=` of a container's `net<n>`,
 * of a cloud-init VM's `ipconfig<n>`) and say which running guest already holds one.
 */
import { mapLimit } from '../../core/map-limit.js';
import type { PveClient } from './client.js';
import { guestLabel } from './guest-lock.js';
import { guestRefOf, type GuestRef } from './schemas.js';

const ADDRESS_KEY = /^(net|ipconfig)\d+$/;

/** The static IPv4 addresses a guest config sets (no prefix; `dhcp` and `manual` are not addresses). */
export function staticAddresses(config: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!ADDRESS_KEY.test(key) || typeof value !== 'string') continue;
    const m = /(?:^|,)ip=(\d+\.\d+\.\d+\.\d+)(?:\/\d+)?(?:,|$)/.exec(value);
    if (m) out.push(m[1] as string);
  }
  return [...new Set(out)];
}

/**
 * One warning per address of `addresses` that a running guest (other than `except`) has
 * in its config: `10.5.0.12 is already the address of CT 107 (forgejo), which is running`.
 * Reads the configs of the running guests only when there is an address to look for.
 */
export async function addressClashes(client: PveClient, addresses: readonly string[], except: number | undefined, signal?: AbortSignal): Promise<string[]> {
  if (addresses.length === 0) return [];
  const running = (await client.guests(signal)).map(guestRefOf)
    .filter((g): g is GuestRef => g !== undefined && g.status === 'running' && g.vmid !== except && g.node !== '');
  const held = await mapLimit(running, 8, async (g) => ({ g, addresses: staticAddresses(await client.config(g, signal).catch(() => ({}))) }));
  return addresses.flatMap((a) => held.filter((h) => h.addresses.includes(a))
    .map((h) => `${a} is already the address of ${guestLabel(h.g)}, which is running: two guests would answer for it`));
}
