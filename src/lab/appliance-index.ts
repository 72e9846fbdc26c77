/**
 * @module lab/appliance-index
 * The container templates the lab's PVE offers for download (its appliance index,
 * `aplinfo`), some of them already on `local`.
 */

/** A container template PVE's appliance index (`aplinfo`) offers for download. */
export interface LabAppliance {
  /** File name, e.g. `debian-13-standard_13.1-2_amd64.tar.zst`; the volid on `local` is `local:vztmpl/<template>`. */
  template: string;
  package: string;
  version: string;
  os: string;
  section: 'system' | 'turnkeylinux';
  headline: string;
  description: string;
  /** Download size in bytes. */
  size: number;
  /** Already downloaded to `local` on every node. */
  downloaded?: boolean;
}

/** The appliance index: a few Debian and Alpine system templates (two already on `local`). */
export const appliances: readonly LabAppliance[] = [
  { template: 'debian-13-standard_13.1-2_amd64.tar.zst', package: 'debian-13-standard', version: '13.1-2', os: 'debian-13', section: 'system',
    headline: 'Debian 13 (standard)', description: 'A small Debian Trixie system including all standard packages.', size: 128_735_623, downloaded: true },
  { template: 'debian-12-standard_12.12-1_amd64.tar.zst', package: 'debian-12-standard', version: '12.12-1', os: 'debian-12', section: 'system',
    headline: 'Debian 12 (standard)', description: 'A small Debian Bookworm system including all standard packages.', size: 123_652_718 },
  { template: 'alpine-3.22-default_20250617_amd64.tar.xz', package: 'alpine-3.22-default', version: '3.22-1', os: 'alpine', section: 'system',
    headline: 'Alpine Linux 3.22', description: 'Alpine Linux 3.22 default image with a minimal set of packages.', size: 3_201_432, downloaded: true },
  { template: 'alpine-3.21-default_20241217_amd64.tar.xz', package: 'alpine-3.21-default', version: '3.21-1', os: 'alpine', section: 'system',
    headline: 'Alpine Linux 3.21', description: 'Alpine Linux 3.21 default image with a minimal set of packages.', size: 3_102_904 },
  { template: 'debian-12-turnkey-nextcloud_18.2-1_amd64.tar.gz', package: 'turnkey-nextcloud', version: '18.2-1', os: 'debian-12', section: 'turnkeylinux',
    headline: 'TurnKey Nextcloud', description: 'TurnKey Nextcloud: file sharing and collaboration on Debian 12.', size: 511_705_088 },
];
