/**
 * @module services/pve/sim/seed-packages
 * The APT view of the seeded nodes: pending updates (`GET apt/update`) and the installed
 * Proxmox packages (`GET apt/versions`). The version numbers are invented but shaped
 * like real ones; pve-manager's matches the lab's PVE version.
 */
import { lab } from '../../../lab/inventory.js';
import type { SimPackage } from './state.js';

const pve = (Package: string, Version: string, Title: string, Arch = 'all'): SimPackage => ({
  Package, Version, Title, Description: `${Title}.`, Origin: 'Proxmox', Arch, Priority: 'optional', Section: 'admin',
});

/** The kernel the nodes run. */
export const seededKernel = {
  release: '6.17.2-1-pve',
  version: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)',
};

/** Installed Proxmox packages, in the order `pveversion -v` lists them. */
export function seededVersions(): SimPackage[] {
  return [
    pve('proxmox-ve', '9.1.0', 'Proxmox Virtual Environment'),
    pve('pve-manager', lab.pveVersion, 'Proxmox Virtual Environment Management Tools', 'amd64'),
    pve(`proxmox-kernel-${seededKernel.release}-signed`, '6.17.2-1', 'Proxmox Kernel Image (signed)', 'amd64'),
    pve('proxmox-kernel-helper', '9.0.4', 'Function for various kernel maintenance tasks'),
    pve('corosync', '3.1.9-pve2', 'cluster engine daemon and utilities', 'amd64'),
    pve('libpve-access-control', '9.0.4', 'Proxmox VE access control library'),
    pve('libpve-cluster-perl', '9.0.7', 'Proxmox Virtual Environment cluster Perl API modules'),
    pve('libpve-common-perl', '9.0.13', 'Proxmox VE base library'),
    pve('libpve-guest-common-perl', '6.0.2', 'Proxmox VE common guest-related modules'),
    pve('libpve-http-server-perl', '6.0.5', 'Proxmox Asynchrounous HTTP Server Implementation'),
    pve('libpve-storage-perl', '9.1.0', 'Proxmox VE storage management library'),
    pve('lxc-pve', '6.0.5-3', 'Linux containers userspace tools', 'amd64'),
    pve('proxmox-backup-client', '4.1.0-1', 'Proxmox Backup Client tools', 'amd64'),
    pve('pve-container', '6.0.18', 'Proxmox VE Container management tool'),
    pve('pve-firewall', '6.0.4', 'Proxmox VE Firewall', 'amd64'),
    pve('pve-ha-manager', '5.0.8', 'Proxmox VE HA Manager', 'amd64'),
    pve('pve-qemu-kvm', '10.1.2-4', 'Full virtualization on x86 hardware', 'amd64'),
    pve('qemu-server', '9.1.1', 'Qemu Server Tools', 'amd64'),
  ].map((p) => {
    const entry: SimPackage = { ...p, CurrentState: 'Installed' };
    if (p.Package === 'proxmox-ve') entry.RunningKernel = seededKernel.release;
    if (p.Package === 'pve-manager') entry.ManagerVersion = lab.pveVersion;
    return entry;
  });
}

/** Pending updates per node after the last `apt-get update`. */
export function seededUpdates(): Map<string, SimPackage[]> {
  const manager = { ...pve('pve-manager', '9.1.3', 'Proxmox Virtual Environment Management Tools', 'amd64'), OldVersion: lab.pveVersion };
  const common = { ...pve('libpve-common-perl', '9.0.15', 'Proxmox VE base library'), OldVersion: '9.0.13' };
  const kernel = pve('proxmox-kernel-6.17.4-1-pve-signed', '6.17.4-1', 'Proxmox Kernel Image (signed)', 'amd64');
  const openssl: SimPackage = {
    Package: 'openssl', Title: 'Secure Sockets Layer toolkit - cryptographic utility',
    Description: 'This package is part of the OpenSSL project\'s implementation of the SSL and TLS cryptographic protocols.',
    Version: '3.5.1-1+deb13u1', OldVersion: '3.5.1-1', Origin: 'Debian', Arch: 'amd64', Priority: 'optional', Section: 'utils',
  };
  return new Map([
    ['pve1', [manager, common, kernel]],
    ['pve2', [manager, common, kernel, openssl]],
  ]);
}
