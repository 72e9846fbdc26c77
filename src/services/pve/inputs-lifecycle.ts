/**
 * @module services/pve/inputs-lifecycle
 * Input schemas of the lifecycle operations, checked before any request (a bad value
 * is one line and exit 2, nothing sent): guest names, storages, bridges, addresses,
 * gateways, template volume ids, disk names, sizes and tags, with PVE's rules.
 */
import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { commaList } from '../../core/comma-list.js';
import { isHostname } from '../../core/validate.js';

/** A guest name / container host name (PVE's `dns-name`: labels of letters, digits and inner hyphens). */
export const guestNameSchema = z
  .string()
  .refine((v) => !v.endsWith('.') && isHostname(v), 'name must be a DNS name: letters, digits and inner hyphens, dot-separated (e.g. web-1)')
  .describe('name (a DNS name like web-1)');

/** A storage id (`pve-storage-id`). */
export const storageIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9._-]*[a-z0-9]$/i, 'storage must be a storage id like local-lvm (letters, digits, . _ -; at least 2 characters)')
  .describe('storage id');

/** A Linux bridge (`vmbr0`): at most 15 characters of letters, digits, `.`, `_`, `-`. */
export const bridgeSchema = z
  .string()
  .regex(/^[a-zA-Z][\w.-]{0,14}$/, 'bridge must be a bridge name like vmbr0 (at most 15 characters)')
  .describe('network bridge');

function cidr4(v: string): boolean {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(v);
  return m !== null && isIPv4(m[1] as string) && Number(m[2]) >= 1 && Number(m[2]) <= 32;
}

/** An IPv4 address with prefix (`10.5.0.30/24`) or `dhcp`. */
export const ipConfigSchema = z
  .string()
  .refine((v) => v === 'dhcp' || cidr4(v), 'ip must be an IPv4 address with prefix like 10.5.0.30/24, or dhcp')
  .describe('address: 10.5.0.30/24 or dhcp');

/** An IPv4 gateway. */
export const gatewaySchema = z.string().refine(isIPv4, 'gw must be an IPv4 address like 10.5.0.254').describe('IPv4 gateway');

/** A container template volume (`local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst`). */
export const vztmplVolidSchema = z
  .string()
  .regex(/^[a-z][a-z0-9._-]*[a-z0-9]:vztmpl\/[\w.+-]+\.tar\.(gz|xz|zst)$/i, 'template must be a template volume like local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst (see: pve templates)')
  .describe('container template volume id (pve templates lists them)');

/** An appliance template file name from `pve appliances`. */
export const applianceNameSchema = z
  .string()
  .regex(/^[\w.+-]+\.tar\.(gz|xz|zst)$/, 'template must be an appliance file name like debian-13-standard_13.1-2_amd64.tar.zst (see: pve appliances)')
  .max(255)
  .describe('appliance template (pve appliances lists them)');

/** A disk key: `scsi0`, `virtio1`, `sata0`, `ide0`, `efidisk0`, `tpmstate0` (VMs), `rootfs`, `mp0` (containers). */
export const diskKeySchema = z
  .string()
  .regex(/^(scsi([0-9]|[12][0-9]|30)|virtio([0-9]|1[0-5])|sata[0-5]|ide[0-3]|efidisk0|tpmstate0|rootfs|mp([0-9]|[1-9][0-9]|2[0-4][0-9]|25[0-5]))$/, 'disk must be a disk key like scsi0, virtio0 or (containers) rootfs, mp0')
  .describe('disk (scsi0, virtio0, rootfs, mp0, …)');

/** The largest disk the toolkit makes or grows to: 64 TiB (as `pve create ct --disk`). */
export const MAX_DISK_BYTES = 64 * 1024 ** 4;

const SIZE_UNIT: Record<string, number> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Bytes a size text (`+10G`, `50G`) names, without its sign. */
export function sizeTextBytes(size: string): number {
  const m = /^\+?(\d+(?:\.\d+)?)([KMGT])$/.exec(size);
  return m ? Math.floor(Number(m[1]) * (SIZE_UNIT[m[2] as string] ?? 1)) : Number.NaN;
}

/** A resize size: `+10G` (grow by) or `50G` (new size); units K, M, G, T; at most 64T. */
export const sizeSchema = z
  .string()
  .regex(/^\+?\d+(\.\d+)?[KMGT]$/, 'size must be like +10G (grow by) or 50G (new size), with unit K, M, G or T')
  .refine((v) => !(sizeTextBytes(v) > MAX_DISK_BYTES), 'size must be at most 64T (a disk is at most 64 TiB)')
  .describe('+10G to grow by, 50G for the new size');

/**
 * A tag list `a,b` (`pve-tag-list`): each a letter/digit/_ then letters, digits, `_ + . -`;
 * `''` for none (all tags removed). `--tags` may be repeated, its values adding up (`--tags
 * web --tags prod`: core/comma-list).
 */
export const tagsSchema = commaList(z
  .string()
  .refine((v) => v === '' || v.split(/[,;]/).every((t) => /^[a-z0-9_][a-z0-9_+.-]*$/i.test(t)), 'tags must be a comma-separated list like web,prod (letters, digits, _ + . -), or \'\' to remove them all')
  .describe("tags, comma-separated ('' removes them all)"));

/** A cloud-init user name. */
export const ciUserSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'user must be a Linux user name like debian (lower case, at most 32 characters)')
  .describe('cloud-init user');
