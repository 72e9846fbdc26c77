/**
 * @module lab/scale-guests
 * Guests beyond the inventory's, for scale tests and benchmarks: as many as asked for, each
 * consistent across the services, so they add load and no trouble.
 */
import { nodes, type LabGuest } from './inventory.js';

/**
 * `count` more guests for scale tests and benchmarks (`startLab({ extraGuests })`): VMIDs
 * from 1000, alternating containers and VMs over both nodes, running, not started on boot,
 * each with its own address in 10.6.0.0/16 and (in the DNS simulator) its A record, so
 * they add no inconsistency of their own: `homelab check` finds what it finds without them.
 */
export function scaleGuests(count: number): LabGuest[] {
  return Array.from({ length: count }, (_, i): LabGuest => {
    const lxc = i % 2 === 0;
    return {
      vmid: 1000 + i, name: `scale-${1000 + i}`, type: lxc ? 'lxc' : 'qemu', node: nodes[i % nodes.length]?.name ?? 'pve1',
      ip: `10.6.${Math.floor(i / 250)}.${(i % 250) + 1}`, status: 'running', onboot: false,
      cores: 1, memMiB: 512, diskGiB: 4, ostype: lxc ? 'debian' : 'l26', tags: ['scale'], description: 'scale test guest',
    };
  });
}
