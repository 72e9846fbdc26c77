/**
 * @module services/pve/sim/guest-lookup
 * Finding the guest a call names, with PVE's errors when it is not there: a guest
 * lives in `/etc/pve/nodes/<node>/{qemu-server,lxc}/<vmid>.conf`, so asking the wrong
 * node (or the wrong type) fails like a missing config file does.
 */
import { die } from './errors.js';
import type { PveState, SimGuest } from './state.js';

/** The guest type a path names. */
export type GuestType = 'qemu' | 'lxc';

/** The guest if its config exists on `node` under `type`. */
export function findGuest(state: PveState, type: GuestType, node: string, vmid: number): SimGuest | undefined {
  const g = state.guests.get(vmid);
  return g && g.type === type && g.node === node ? g : undefined;
}

/** The path of a guest config in the cluster file system, as PVE's messages print it. */
export function configPath(type: GuestType, node: string, vmid: number): string {
  return `nodes/${node}/${type === 'qemu' ? 'qemu-server' : 'lxc'}/${vmid}.conf`;
}

/** `load_config`: the guest, or the error text when its config is not on this node. */
export function loadError(state: PveState, type: GuestType, node: string, vmid: number): string | undefined {
  return findGuest(state, type, node, vmid) ? undefined : `Configuration file '${configPath(type, node, vmid)}' does not exist`;
}

/** `load_config` in a handler: the guest or a 500. */
export function loadConfig(state: PveState, type: GuestType, node: string, vmid: number): SimGuest {
  const g = findGuest(state, type, node, vmid);
  if (!g) throw die(`Configuration file '${configPath(type, node, vmid)}' does not exist`);
  return g;
}

/**
 * `check_running` as the API handlers call it: QEMU's asserts that the config exists on
 * this node first; LXC's only looks at the containers running on this node.
 */
export function runningLocally(state: PveState, type: GuestType, node: string, vmid: number): boolean {
  const g = findGuest(state, type, node, vmid);
  if (type === 'qemu' && !g) throw die(`unable to find configuration file for VM ${vmid} on node '${node}'`);
  return g?.status === 'running';
}

/** `check_lock`: the error text if the guest's config is locked. */
export function lockError(g: SimGuest): string | undefined {
  return g.lock ? `${g.type === 'qemu' ? 'VM' : 'CT'} is locked (${g.lock})` : undefined;
}
