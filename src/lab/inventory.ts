/**
 * @module lab/inventory
 * The one story every simulator tells: a two-node Proxmox cluster on 10.5.0.0/24,
 * zone `home.lan`, and the apps running on it. Simulators derive their seeded state
 * from this module so that the demo, `status` and the tests agree across services.
 *
 * The seeded trouble is deliberate (`lab/trouble`): a stopped guest that should run, a stale
 * backup, an expiring certificate, and, for `homelab check`, one of each inconsistency
 * between the services. The appliance index is in `lab/appliance-index`, the extra guests of
 * scale tests in `lab/scale-guests`.
 *
 * In the lab, every app's forward target (`address:port`) is also a loopback listener of the lab
 * (`lab/app-listeners`), except the hand-made app's: `check --probe` connects to those instead of
 * the simulated addresses (`check.probe_map` in the lab's config), so it never leaves the machine.
 */

/** A Proxmox node of the simulated cluster. */
export interface LabNode {
  name: string;
  ip: string;
  cores: number;
  memGiB: number;
  rootfsGiB: number;
  cpuModel: string;
}

/** A web app served by a guest: gets a proxy host and a Kuma monitor. */
export interface LabApp {
  /** Subdomain under the lab zone, e.g. `git` for git.home.lan. */
  host: string;
  port: number;
  scheme: 'http' | 'https';
  /** Days until the proxy host's Let's Encrypt certificate expires; absent: no certificate. */
  certDays?: number;
  websockets?: boolean;
}

/** A guest (VM or container) of the simulated cluster. */
export interface LabGuest {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  ip: string;
  status: 'running' | 'stopped';
  onboot: boolean;
  cores: number;
  memMiB: number;
  diskGiB: number;
  ostype: string;
  tags: string[];
  description: string;
  template?: boolean;
  app?: LabApp;
  /** Reports to Beszel. */
  beszel?: boolean;
  /** Listed as an SSH target for `updates`. */
  ssh?: boolean;
  /** Hours since the last backup snapshot in PBS; absent: no backup group. */
  lastBackupHoursAgo?: number;
  /** The oldest backup snapshot of its group is protected (pruning keeps it; PBS will not forget it). */
  protectedBackup?: boolean;
  /** Snapshots present on the guest (oldest first). */
  snapshots?: { name: string; description: string; daysAgo: number }[];
}

/** The cluster's name, zone and network. */
export const lab = {
  cluster: 'homelab',
  zone: 'home.lan',
  reverseZone: '0.5.10.in-addr.arpa',
  subnet: '10.5.0.0/24',
  gateway: '10.5.0.254',
  pveVersion: '9.1.2',
} as const;

/** The two Proxmox nodes. */
export const nodes: readonly LabNode[] = [
  { name: 'pve1', ip: '10.5.0.1', cores: 16, memGiB: 64, rootfsGiB: 94, cpuModel: 'AMD Ryzen 9 5950X 16-Core Processor' },
  { name: 'pve2', ip: '10.5.0.10', cores: 8, memGiB: 32, rootfsGiB: 94, cpuModel: 'Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz' },
];

/** Every guest of the cluster. */
export const guests: readonly LabGuest[] = [
  {
    vmid: 100, name: 'dns', type: 'lxc', node: 'pve1', ip: '10.5.0.2', status: 'running', onboot: true,
    cores: 1, memMiB: 512, diskGiB: 4, ostype: 'debian', tags: ['infra'], description: 'Technitium DNS',
    app: { host: 'dns', port: 5380, scheme: 'http' }, beszel: true, ssh: true, lastBackupHoursAgo: 5,
  },
  {
    vmid: 101, name: 'proxy', type: 'lxc', node: 'pve1', ip: '10.5.0.3', status: 'running', onboot: true,
    cores: 1, memMiB: 1024, diskGiB: 8, ostype: 'debian', tags: ['infra'], description: 'Nginx Proxy Manager',
    app: { host: 'npm', port: 81, scheme: 'http', certDays: 61 }, beszel: true, ssh: true, lastBackupHoursAgo: 5,
  },
  {
    vmid: 102, name: 'mgmt', type: 'lxc', node: 'pve1', ip: '10.5.0.7', status: 'running', onboot: true,
    cores: 2, memMiB: 2048, diskGiB: 16, ostype: 'debian', tags: ['infra', 'homelab'], description: 'Management host: homelab runs here',
    beszel: true, lastBackupHoursAgo: 5,
    snapshots: [{ name: 'before_upgrade', description: 'Before Debian 13 upgrade', daysAgo: 21 }],
  },
  {
    vmid: 103, name: 'beszel', type: 'lxc', node: 'pve1', ip: '10.5.0.4', status: 'running', onboot: true,
    cores: 1, memMiB: 512, diskGiB: 4, ostype: 'alpine', tags: ['monitoring'], description: 'Beszel hub',
    app: { host: 'beszel', port: 8090, scheme: 'http', certDays: 74 }, lastBackupHoursAgo: 5,
  },
  {
    vmid: 104, name: 'kuma', type: 'lxc', node: 'pve1', ip: '10.5.0.5', status: 'running', onboot: true,
    cores: 1, memMiB: 1024, diskGiB: 8, ostype: 'debian', tags: ['monitoring'], description: 'Uptime Kuma',
    app: { host: 'status', port: 3001, scheme: 'http', certDays: 74, websockets: true }, beszel: true, lastBackupHoursAgo: 5,
  },
  {
    vmid: 105, name: 'pbs', type: 'lxc', node: 'pve2', ip: '10.5.0.6', status: 'running', onboot: true,
    cores: 2, memMiB: 4096, diskGiB: 32, ostype: 'debian', tags: ['infra', 'backup'], description: 'Proxmox Backup Server',
    app: { host: 'pbs', port: 8007, scheme: 'https', certDays: 33 }, beszel: true,
  },
  {
    vmid: 106, name: 'dockge', type: 'lxc', node: 'pve2', ip: '10.5.0.11', status: 'running', onboot: true,
    cores: 2, memMiB: 4096, diskGiB: 32, ostype: 'debian', tags: ['apps', 'docker'], description: 'Dockge: docker compose stacks',
    app: { host: 'dockge', port: 5001, scheme: 'http', certDays: 48, websockets: true }, beszel: true, ssh: true,
    lastBackupHoursAgo: 77, protectedBackup: true,
  },
  {
    vmid: 107, name: 'forgejo', type: 'lxc', node: 'pve2', ip: '10.5.0.12', status: 'running', onboot: true,
    cores: 2, memMiB: 2048, diskGiB: 24, ostype: 'debian', tags: ['apps', 'dev'], description: 'Forgejo git forge',
    app: { host: 'git', port: 3000, scheme: 'http', certDays: 5 }, beszel: true, ssh: true, lastBackupHoursAgo: 5,
    snapshots: [{ name: 'v9_upgrade', description: 'Before Forgejo 9 upgrade', daysAgo: 9 }],
  },
  {
    vmid: 200, name: 'homeassistant', type: 'qemu', node: 'pve1', ip: '10.5.0.20', status: 'running', onboot: true,
    cores: 2, memMiB: 4096, diskGiB: 32, ostype: 'l26', tags: ['apps', 'iot'], description: 'Home Assistant OS',
    app: { host: 'ha', port: 8123, scheme: 'http', certDays: 48, websockets: true }, beszel: true, lastBackupHoursAgo: 5,
    snapshots: [
      { name: 'ha_2026_10', description: 'Before HA 2026.10', daysAgo: 40 },
      { name: 'ha_2026_11', description: 'Before HA 2026.11', daysAgo: 6 },
    ],
  },
  {
    vmid: 201, name: 'media', type: 'qemu', node: 'pve2', ip: '10.5.0.21', status: 'stopped', onboot: true,
    cores: 4, memMiB: 8192, diskGiB: 64, ostype: 'l26', tags: ['apps', 'media'], description: 'Jellyfin media server',
    app: { host: 'media', port: 8096, scheme: 'http', certDays: 48 }, beszel: true, lastBackupHoursAgo: 6,
  },
  {
    vmid: 202, name: 'win11', type: 'qemu', node: 'pve2', ip: '10.5.0.22', status: 'stopped', onboot: false,
    cores: 4, memMiB: 8192, diskGiB: 80, ostype: 'win11', tags: ['desktop'], description: 'Windows 11 test VM',
    beszel: true, lastBackupHoursAgo: 6,
  },
  {
    vmid: 203, name: 'media-next', type: 'qemu', node: 'pve2', ip: '10.5.0.21', status: 'stopped', onboot: false,
    cores: 4, memMiB: 8192, diskGiB: 64, ostype: 'l26', tags: ['apps', 'media', 'test'], description: 'Clone of media for trying Jellyfin 11 (keeps media\'s address)',
  },
  {
    vmid: 9000, name: 'debian-13-tmpl', type: 'qemu', node: 'pve1', ip: '', status: 'stopped', onboot: false,
    cores: 2, memMiB: 2048, diskGiB: 8, ostype: 'l26', tags: ['template'], description: 'Debian 13 cloud-init template',
    template: true,
  },
];

/**
 * The PBS datastore, as every simulator should show it: PBS's datastore `main`, PVE's
 * `pbs` storage (the same datastore seen from PVE) and the PBS host's disk in Beszel.
 * Nearly full: the disk of `trouble.fullDiskSystem`.
 */
export const pbsDatastore = { name: 'main', totalGiB: 3600, usedFraction: 0.93 } as const;

/** Fully qualified name of a host in the lab zone. */
export function fqdn(host: string): string {
  return `${host}.${lab.zone}`;
}

/** The guest with this vmid; throws when the inventory has none (a bug in a simulator). */
export function guestById(vmid: number): LabGuest {
  const guest = guests.find((g) => g.vmid === vmid);
  if (!guest) throw new Error(`lab inventory has no guest ${vmid}`);
  return guest;
}
