/**
 * @module services/pve/sim/guest-config
 * The configuration file of a seeded guest, built from the lab inventory: the keys a
 * real `qm config` / `pct config` shows (onboot, tags, net0 with the guest's MAC and,
 * for containers, its IP), plus the config `digest` PVE computes on every read.
 */
import { createHash } from 'node:crypto';
import { lab, type LabGuest } from '../../../lab/inventory.js';
import { hexBytes, uuidFrom } from './noise.js';
import type { GuestConfig, SimGuest } from './state.js';

/** Bytes in a GiB. */
export const GiB = 1024 ** 3;

/** The guest's MAC address on vmbr0 (Proxmox OUI BC:24:11). */
export function macOf(vmid: number): string {
  return `BC:24:11:${hexBytes(`mac-${vmid}`, 3, ':')}`;
}

/** The configuration of a seeded guest. */
export function buildConfig(g: LabGuest, createdAt: number): GuestConfig {
  const common: GuestConfig = { cores: g.cores, description: g.description, ostype: g.ostype };
  if (g.onboot) common.onboot = 1;
  if (g.tags.length > 0) common.tags = g.tags.join(';');
  if (g.type === 'lxc') {
    const net = ['name=eth0', 'bridge=vmbr0', 'firewall=1'];
    if (g.ip) net.push(`gw=${lab.gateway}`);
    net.push(`hwaddr=${macOf(g.vmid)}`);
    if (g.ip) net.push(`ip=${g.ip}/24`);
    net.push('type=veth');
    const cfg: GuestConfig = {
      ...common,
      arch: 'amd64',
      hostname: g.name,
      memory: g.memMiB,
      swap: 512,
      net0: net.join(','),
      rootfs: `local-lvm:vm-${g.vmid}-disk-0,size=${g.diskGiB}G`,
      unprivileged: 1,
      features: g.tags.includes('docker') ? 'keyctl=1,nesting=1' : 'nesting=1',
    };
    if (g.template) cfg.template = 1;
    return cfg;
  }
  const uefi = g.ostype === 'win11' || g.name === 'homeassistant';
  const cfg: GuestConfig = {
    ...common,
    name: g.name,
    boot: 'order=scsi0;net0',
    sockets: 1,
    cpu: 'x86-64-v2-AES',
    memory: String(g.memMiB),
    numa: 0,
    scsihw: 'virtio-scsi-single',
    scsi0: `local-lvm:${g.template ? 'base' : 'vm'}-${g.vmid}-disk-0,iothread=1,size=${g.diskGiB}G`,
    net0: `virtio=${macOf(g.vmid)},bridge=vmbr0,firewall=1`,
    smbios1: `uuid=${uuidFrom(`smbios-${g.vmid}`)}`,
    vmgenid: uuidFrom(`vmgenid-${g.vmid}`),
    meta: `creation-qemu=9.2.0,ctime=${createdAt}`,
  };
  if (g.ostype !== 'win11') cfg.agent = '1';
  if (uefi) {
    cfg.bios = 'ovmf';
    cfg.machine = 'q35';
    cfg.efidisk0 = `local-lvm:vm-${g.vmid}-disk-1,efitype=4m,pre-enrolled-keys=1,size=4M`;
  }
  if (g.ostype === 'win11') cfg.tpmstate0 = `local-lvm:vm-${g.vmid}-disk-2,size=4M,version=v2.0`;
  if (g.template) {
    cfg.template = 1;
    cfg.ide2 = `local-lvm:vm-${g.vmid}-cloudinit,media=cdrom`;
    cfg.ipconfig0 = 'ip=dhcp';
  } else if (g.ip) {
    cfg.ipconfig0 = `ip=${g.ip}/24,gw=${lab.gateway}`;
  }
  return cfg;
}

/** The config file text PVE would write (the digest is the SHA-1 of this text). */
function configText(guest: SimGuest): string {
  const section = (cfg: GuestConfig): string =>
    Object.keys(cfg).sort().map((k) => `${k}: ${String(cfg[k])}\n`).join('');
  // The lock is a line of the file too: taking or releasing one changes the digest.
  let text = section({ ...guest.config, ...(guest.parent ? { parent: guest.parent } : {}), ...(guest.lock ? { lock: guest.lock } : {}) });
  // Pending changes of a running VM are a section of the file too.
  if (Object.keys(guest.pending ?? {}).length || guest.pendingDelete?.length) {
    text += `\n[PENDING]\n${section({ ...guest.pending, ...(guest.pendingDelete?.length ? { delete: guest.pendingDelete.join(',') } : {}) })}`;
  }
  for (const s of guest.snapshots) {
    const extra: GuestConfig = { snaptime: s.snaptime, description: s.description };
    if (s.parent) extra.parent = s.parent;
    if (s.vmstate) extra.vmstate = 1;
    text += `\n[${s.name}]\n${section({ ...s.config, ...extra })}`;
  }
  return text;
}

/** The `digest` PVE returns with a config: SHA-1 over the whole config file. */
export function configDigest(guest: SimGuest): string {
  return createHash('sha1').update(configText(guest)).digest('hex');
}
