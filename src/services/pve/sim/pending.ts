/**
 * @module services/pve/sim/pending
 * Pending changes of a running VM, as qemu-server keeps them: a config change the running
 * QEMU cannot take is written to the config's `[PENDING]` section and applied at the next
 * start (`vmconfig_apply_pending`); the rest applies at once (`vmconfig_hotplug_pending`).
 * Taken at once: qemu-server's `$fast_plug_option`s (name, onboot, tags, description,
 * protection, migrate_downtime, migrate_speed, … and every cloud-init option), CPU weights
 * and the balloon target, and what `hotplug` allows (default `network,disk,usb`): NICs,
 * disks, USB, memory (`memory`), vCPUs (`cpu`). `cores` and `sockets` are never hot-plugged.
 * `GET …/config` shows the pending values unless `current=1`; `GET …/pending` lists both.
 * Containers take changes at once here.
 */
import type { GuestConfig, SimGuest } from './state.js';

/** Keys a running VM takes at once whatever `hotplug` says (`$fast_plug_option`, CPU weights, the balloon target). */
const ALWAYS_LIVE = new Set([
  'name', 'onboot', 'tags', 'description', 'protection', 'startup', 'hookscript', 'vmstatestorage', 'lock',
  'migrate_downtime', 'migrate_speed', 'shares', 'cpulimit', 'cpuunits', 'balloon',
]);

/** Cloud-init options: qemu-server adds each to `$fast_plug_option`, so they too apply at once. */
const CLOUD_INIT = /^(ipconfig\d+|ciuser|cipassword|citype|ciupgrade|cicustom|nameserver|searchdomain|sshkeys)$/;

/** The hot-plug feature each key family needs. */
const FEATURE: [RegExp, string][] = [
  [/^net\d+$/, 'network'],
  [/^(scsi|virtio)\d+$/, 'disk'],
  [/^usb\d+$/, 'usb'],
  [/^memory$/, 'memory'],
  [/^vcpus$/, 'cpu'],
];

/** The `hotplug` features of a VM config: default `network,disk,usb` (`1`), none for `0`. */
function hotplugFeatures(value: GuestConfig[string] | undefined): Set<string> {
  const v = value === undefined ? '1' : String(value);
  if (v === '0') return new Set();
  return new Set(v === '1' ? ['network', 'disk', 'usb'] : v.split(','));
}

/** Whether a change of `key` applies at once (a stopped guest, a container, or what a running VM hot-plugs). */
export function takesLive(g: SimGuest, key: string): boolean {
  if (g.type !== 'qemu' || g.status !== 'running' || ALWAYS_LIVE.has(key) || CLOUD_INIT.test(key)) return true;
  const feature = FEATURE.find(([re]) => re.test(key))?.[1];
  return feature !== undefined && hotplugFeatures(g.config.hotplug).has(feature);
}

/** Applies the pending changes to the config (a VM start, or a change while it is stopped). */
export function applyPending(g: SimGuest): void {
  if (g.pending) Object.assign(g.config, g.pending);
  for (const key of g.pendingDelete ?? []) delete g.config[key];
  delete g.pending;
  delete g.pendingDelete;
}

/** Drops an emptied pending section: PVE writes `[PENDING]` only while something is pending. */
function tidy(g: SimGuest): void {
  if (g.pending && Object.keys(g.pending).length === 0) delete g.pending;
  if (g.pendingDelete?.length === 0) delete g.pendingDelete;
}

/** Sets `key` as a change to the guest: at once, or pending until the next start. */
export function setKey(g: SimGuest, key: string, value: GuestConfig[string]): void {
  if (takesLive(g, key)) {
    g.config[key] = value;
    if (g.pending) delete g.pending[key];
  } else {
    (g.pending ??= {})[key] = value;
    g.pendingDelete = g.pendingDelete?.filter((k) => k !== key);
  }
  tidy(g);
}

/** Removes `key` from the guest: at once, or at the next start. */
export function deleteKey(g: SimGuest, key: string): void {
  if (g.pending) delete g.pending[key];
  if (takesLive(g, key)) delete g.config[key];
  else if (g.config[key] !== undefined && !g.pendingDelete?.includes(key)) (g.pendingDelete ??= []).push(key);
  tidy(g);
}

/** `cfg` (the current config) with the pending changes applied, as `GET config` shows it by default. */
export function withPending(g: SimGuest, cfg: GuestConfig): GuestConfig {
  const out: GuestConfig = { ...cfg, ...g.pending };
  for (const key of g.pendingDelete ?? []) delete out[key];
  return out;
}

/** One entry of `GET …/pending` (values as strings, as the schema has them). */
export interface PendingEntry { key: string; value?: string; pending?: string; delete?: number }

/**
 * `GET …/pending`: every key with its current value, its pending value and whether it is to
 * be removed; `cfg` is the live config with its `digest`, which PVE lists as a key too.
 */
export function pendingEntries(g: SimGuest, cfg: GuestConfig): PendingEntry[] {
  const keys = [...new Set([...Object.keys(cfg), ...Object.keys(g.pending ?? {})])].sort();
  return keys.map((key) => {
    const e: PendingEntry = { key };
    if (cfg[key] !== undefined) e.value = String(cfg[key]);
    if (g.pending?.[key] !== undefined) e.pending = String(g.pending[key]);
    if (g.pendingDelete?.includes(key)) e.delete = 1;
    return e;
  });
}
