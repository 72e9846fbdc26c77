/**
 * @module services/pve/cloud-init
 * Cloud-init settings of a VM cloned from a cloud-init template: `ipconfig0`
 * (`ip=10.5.0.30/24,gw=10.5.0.254` or `ip=dhcp`), `ciuser` and `sshkeys`, which the API
 * wants URL-encoded (schema format `urlencoded`: `%20` for spaces, `%0A` between keys).
 */
import type { Params } from '../../core/http/index.js';

/** Whether a VM config has a cloud-init drive (`ide2: local-lvm:vm-9000-cloudinit,media=cdrom`). */
export function hasCloudInitDrive(config: Record<string, unknown>): boolean {
  return Object.entries(config).some(([k, v]) => /^(ide|sata|scsi|virtio)\d+$/.test(k) && typeof v === 'string' && /(^|[:/])vm-\d+-cloudinit(,|$)/.test(v));
}

/** `ipconfig0` for an address (`dhcp` or a CIDR) and an optional gateway. */
export function ipconfig(ip: string, gw?: string): string {
  return ip === 'dhcp' ? 'ip=dhcp' : `ip=${ip}${gw ? `,gw=${gw}` : ''}`;
}

/** `sshkeys` as the API wants it: the key lines, percent-encoded (`encodeURIComponent` gives `%20`, never `+`). */
export function encodeSshKeys(keys: string): string {
  return encodeURIComponent(keys);
}

/** The config keys for the cloud-init options given (empty when none). */
export function cloudInitChanges(o: { ip?: string; gw?: string; sshKey?: string; user?: string }): Params {
  const changes: Params = {};
  if (o.ip) changes.ipconfig0 = ipconfig(o.ip, o.gw);
  if (o.user) changes.ciuser = o.user;
  if (o.sshKey) changes.sshkeys = encodeSshKeys(o.sshKey);
  return changes;
}
