/**
 * @module services/pve/sim/appliances
 * Container templates: the appliance index `GET /nodes/{node}/aplinfo` serves (from the
 * lab inventory, fields as pve-manager's `aplinfo.dat` parser returns them) and the
 * `vztmpl` volumes on `local` a downloaded template becomes.
 */
import { createHash } from 'node:crypto';
import type { LabAppliance } from '../../../lab/appliance-index.js';
import type { SimVolume } from './state.js';

/** Where `pveam` downloads system templates from. */
const SOURCE = 'http://download.proxmox.com/images';

/** The `format` PVE reports for a template file (`tzst`, `txz`, `tgz`). */
export function templateFormat(file: string): string {
  if (file.endsWith('.tar.zst')) return 'tzst';
  if (file.endsWith('.tar.xz')) return 'txz';
  if (file.endsWith('.tar.gz')) return 'tgz';
  return 'raw';
}

/** The `vztmpl` volume of a downloaded template on `storage` (on one node: `local` is not shared). */
export function templateVolume(a: LabAppliance, node: string, ctime: number, storage = 'local'): SimVolume {
  return {
    storage, node, volid: `${storage}:vztmpl/${a.template}`, content: 'vztmpl',
    format: templateFormat(a.template), size: a.size, ctime,
  };
}

/** An entry of `GET /nodes/{node}/aplinfo`. */
export function aplinfoEntry(a: LabAppliance): Record<string, unknown> {
  const base = a.section === 'turnkeylinux' ? 'https://releases.turnkeylinux.org/pve' : `${SOURCE}/system`;
  return {
    template: a.template, package: a.package, version: a.version, os: a.os, section: a.section, type: 'lxc',
    headline: a.headline, description: a.description, architecture: 'amd64',
    maintainer: a.section === 'turnkeylinux' ? 'Liraz Siri <liraz@turnkeylinux.org>' : 'Proxmox Support Team <support@proxmox.com>',
    infopage: a.section === 'turnkeylinux' ? `https://www.turnkeylinux.org/${a.package.replace(/^turnkey-/, '')}` : 'https://pve.proxmox.com/wiki/Linux_Container',
    location: `${base}/${a.template}`, source: `${base}/${a.template}`,
    sha512sum: createHash('sha512').update(a.template).digest('hex'),
  };
}
