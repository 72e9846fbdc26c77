/**
 * @module services/hub/guest-addresses
 * Which of the addresses a running guest reports (`pve ip`: the QEMU guest agent's or a
 * container's interfaces) are its own on the lab's network, for `check` and `expose` alike.
 * A guest that runs Docker, Podman, libvirt, LXC or Kubernetes also reports the bridges and
 * virtual links it makes for them (docker0's 172.17.0.1 on every Docker host): those are no
 * address of the guest, and neither are loopback and link-local ones.
 */
import { z } from 'zod';
import { canonicalAddress } from '../../core/ip-address.js';

/** The part of `pve ip`'s result these rules read. */
export const guestInterfacesSchema = z.object({
  interfaces: z.array(z.object({ name: z.string(), mac: z.string().nullish(), addresses: z.array(z.string()) }).loose()),
}).loose();

/** One interface as `pve ip` reports it. */
export type GuestInterface = z.infer<typeof guestInterfacesSchema>['interfaces'][number];

const usable = (a: string): boolean => !/^(127\.|::1$|fe80:|169\.254\.)/i.test(a);

/** Interfaces a guest makes for its own containers or VMs (Docker, Podman, libvirt, LXC, Kubernetes). */
const INNER_INTERFACE = /^(lo|docker|br-|veth|virbr|vnet|cni|flannel|cali|kube|podman|lxcbr|lxdbr|incusbr|weave|vxlan)/i;

/** The MAC addresses of a guest's `netN` devices (`virtio=BC:24:…` of a VM, `hwaddr=BC:24:…` of a container), lower case. */
export function configMacs(config: Record<string, unknown> | undefined): Set<string> {
  const macs = new Set<string>();
  for (const [key, value] of Object.entries(config ?? {})) {
    if (!/^net\d+$/.test(key)) continue;
    for (const m of String(value).matchAll(/(?:^|[=,])((?:[0-9a-f]{2}:){5}[0-9a-f]{2})(?=,|$)/gi)) macs.add((m[1] as string).toLowerCase());
  }
  return macs;
}

/**
 * The addresses a running guest reports that count as its own: those of the interfaces whose
 * MAC is one of its `netN` devices (`macs`: the NICs on PVE's bridges); when no interface shows
 * such a MAC (an agent that does not report them, or no MACs known), every interface but
 * loopback and the bridges and virtual links a guest makes for its own containers. Loopback
 * and link-local addresses never count. Canonical spelling, in the order reported.
 */
export function learnedAddresses(interfaces: readonly GuestInterface[], macs: ReadonlySet<string>): string[] {
  const onBridge = interfaces.filter((i) => i.mac && macs.has(i.mac.toLowerCase()));
  const own = onBridge.length ? onBridge : interfaces.filter((i) => !INNER_INTERFACE.test(i.name));
  return [...new Set(own.flatMap((i) => i.addresses).map((a) => canonicalAddress(a.replace(/\/\d+$/, ''))).filter(usable))];
}
