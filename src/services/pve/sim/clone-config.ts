/**
 * @module services/pve/sim/clone-config
 * What a clone gets from its source: the configuration with fresh identities (MAC,
 * SMBIOS UUID, VM generation id), its own disks (full copies, or linked clones of a
 * template's base volumes), no snapshots, no `template` flag; and the log lines of the
 * clone worker.
 */
import { GiB, macOf } from './guest-config.js';
import { uuidFrom } from './noise.js';
import type { GuestConfig, SimGuest, SimVolume } from './state.js';

/** Disk keys a guest config may hold. */
const DISK_KEY = /^(scsi|virtio|sata|ide|efidisk|tpmstate|rootfs|mp)\d*$/;
/**
 * A disk's volume: `local-lvm:vm-200-disk-0`, a template's `local-lvm:base-9000-disk-0`, or a
 * linked clone's `local-lvm:base-9000-disk-0/vm-108-disk-0` (its base, then its own volume).
 */
const VOLUME = /^([a-z][a-z0-9._-]*):(?:(?:base|vm)-\d+-disk-\d+\/)?(?:base|vm)-(\d+)-(disk-\d+|cloudinit)(?=,|$)/i;

/** One disk of the source and what it becomes. */
export interface ClonedDisk { key: string; from: string; to: string; sizeGiB: number; cloudinit: boolean }

/** The disks of `src` as a clone `newid` gets them (`full`: own copies on `storage`; linked: on the base). */
export function cloneDisks(src: SimGuest, newid: number, full: boolean, storage?: string): ClonedDisk[] {
  const out: ClonedDisk[] = [];
  for (const [key, value] of Object.entries(src.config)) {
    if (!DISK_KEY.test(key) || typeof value !== 'string') continue;
    const m = VOLUME.exec(value);
    if (!m) continue;
    const [from, store, , suffix] = m as unknown as [string, string, string, string];
    const cloudinit = suffix === 'cloudinit';
    const size = /(?:^|,)size=(\d+)G/.exec(value);
    // A full copy is a volume of its own; a linked clone sits on the template's base volume.
    const target = cloudinit || full ? `${storage ?? store}:vm-${newid}-${suffix}` : `${store}:${from.slice(store.length + 1).split('/').pop() ?? ''}/vm-${newid}-${suffix}`;
    out.push({ key, from, to: target, sizeGiB: size ? Number(size[1]) : 0, cloudinit });
  }
  return out;
}

/** The clone's configuration. */
export function cloneConfig(src: SimGuest, newid: number, disks: ClonedDisk[], name: string, description?: string): GuestConfig {
  const cfg: GuestConfig = { ...src.config };
  delete cfg.template;
  for (const d of disks) cfg[d.key] = String(cfg[d.key]).replace(d.from, d.to);
  const mac = macOf(newid);
  if (typeof cfg.net0 === 'string') cfg.net0 = cfg.net0.replace(/([0-9A-F]{2}:){5}[0-9A-F]{2}/i, mac);
  if (src.type === 'qemu') {
    cfg.name = name;
    if (cfg.smbios1 !== undefined) cfg.smbios1 = `uuid=${uuidFrom(`smbios-${newid}`)}`;
    if (cfg.vmgenid !== undefined) cfg.vmgenid = uuidFrom(`vmgenid-${newid}-${Date.now()}`);
  } else {
    cfg.hostname = name;
  }
  if (description !== undefined) cfg.description = description;
  return cfg;
}

/** The volumes the clone's disks are (cloud-init drives are small). */
export function cloneVolumes(disks: ClonedDisk[], node: string, newid: number, type: 'qemu' | 'lxc'): SimVolume[] {
  return disks.map((d) => ({
    storage: d.to.split(':')[0] ?? 'local-lvm', node, volid: d.to, content: type === 'lxc' ? 'rootdir' : 'images',
    format: 'raw', size: d.cloudinit ? 4 * 1024 ** 2 : d.sizeGiB * GiB, vmid: newid,
  }));
}

/** What `qmclone` / `vzclone` prints. */
export function cloneLines(disks: ClonedDisk[], full: boolean): string[] {
  const lines: string[] = [];
  for (const d of disks) {
    lines.push(`create ${full && !d.cloudinit ? 'full' : 'linked'} clone of drive ${d.key} (${d.from})`);
    lines.push(`  Logical volume "${d.to.replace(/^[^:]+:(?:[^/]+\/)?/, '')}" created.`);
    if (full && !d.cloudinit) {
      for (const pct of [0, 50, 100]) {
        lines.push(`transferred ${((d.sizeGiB * pct) / 100).toFixed(1)} GiB of ${d.sizeGiB.toFixed(1)} GiB (${pct.toFixed(2)}%)`);
      }
    }
  }
  return lines;
}
