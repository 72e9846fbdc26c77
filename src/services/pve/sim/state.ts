/**
 * @module services/pve/sim/state
 * The simulator's mutable world: nodes, guests (with their config and snapshots),
 * storages and tasks. Tests read and change it directly through `PveSim.state`.
 */
import type { BackupLink } from '../../../lab/backup-link.js';
import type { UpidFields } from './upid.js';

/** A config value as PVE returns it (numbers for integer keys, strings otherwise). */
export type ConfigValue = string | number;

/** A guest configuration: key → value, as in `/etc/pve/.../<vmid>.conf`. */
export type GuestConfig = Record<string, ConfigValue>;

/** A node of the simulated cluster. */
export interface SimNode {
  name: string;
  ip: string;
  cores: number;
  memBytes: number;
  rootfsBytes: number;
  cpuModel: string;
  /** Unix epoch seconds of the last boot. */
  bootedAt: number;
  status: 'online' | 'offline';
  /** SHA-256 fingerprint of the node's certificate (upper-case colon form). */
  fingerprint: string;
  /** The Linux bridges of its network config, first the one with the node's address (`vmbr0`). */
  bridges: string[];
}

/** A snapshot of a guest. */
export interface SimSnapshot {
  name: string;
  description: string;
  /** Unix epoch seconds. */
  snaptime: number;
  parent?: string;
  /** QEMU only: RAM state saved with the snapshot. */
  vmstate?: boolean;
  /** The guest configuration at snapshot time. */
  config: GuestConfig;
}

/** A guest (VM or container). */
export interface SimGuest {
  vmid: number;
  type: 'qemu' | 'lxc';
  node: string;
  name: string;
  ip: string;
  status: 'running' | 'stopped';
  /** QEMU: the finer state while `status` is running (`running` or `paused`). */
  qmpstatus?: 'running' | 'paused';
  /** Config lock (`snapshot`, `snapshot-delete`, `rollback`, `suspended`, `backup`, …). */
  lock?: string;
  /** LXC: suspended with `lxc-checkpoint` (stopped, resumable). */
  checkpointed?: boolean;
  /** QEMU: the guest agent is enabled in the config but does not answer (not installed or not started). */
  agentDown?: boolean;
  /** LXC: `root`'s authorized_keys written at creation (`ssh-public-keys`; not a config key). */
  authorizedKeys?: string;
  template: boolean;
  /** The resource pool it is a member of (`/cluster/resources` `pool`). */
  pool?: string;
  /** Unix epoch milliseconds of the last start (running guests). */
  startedAt?: number;
  pid?: number;
  /** The live configuration (without `digest`, computed on read). */
  config: GuestConfig;
  snapshots: SimSnapshot[];
  /** The snapshot the current state descends from (`parent` of the `current` entry). */
  parent?: string;
  /** QEMU: changes a running VM could not take, applied at its next start (the config's `[PENDING]` section). */
  pending?: GuestConfig;
  /** QEMU: keys to remove at the next start (`delete` in `[PENDING]`). */
  pendingDelete?: string[];
}

/** A storage as configured in `storage.cfg`, with per-node numbers. */
export interface SimStorage {
  storage: string;
  type: string;
  content: string[];
  shared: boolean;
  /** Nodes it is available on. */
  nodes: string[];
  /** Bytes per node (shared storages report the same on every node). */
  total: Record<string, number>;
  used: Record<string, number>;
  /** A `pbs` storage: the PBS datastore it writes to. */
  datastore?: string;
  /** A `pbs` storage: the PBS namespace it reads and writes (unset: the root namespace). */
  namespace?: string;
}

/** A volume on a storage. */
export interface SimVolume {
  storage: string;
  /** The node it lives on; undefined for shared storage. */
  node?: string;
  volid: string;
  content: string;
  format: string;
  size: number;
  used?: number;
  vmid?: number;
  ctime?: number;
  notes?: string;
  protected?: boolean;
  subtype?: string;
  verification?: { state: string; upid: string };
  /** Backups: the guest config the archive holds (`qemu-server.conf` / `pct.conf`), what a restore creates. */
  config?: GuestConfig;
}

/** A scheduled backup job (`/etc/pve/jobs.cfg`, `vzdump: <id>` sections; `GET /cluster/backup`). */
export interface SimBackupJob {
  id: string;
  schedule: string;
  storage: string;
  mode: 'snapshot' | 'suspend' | 'stop';
  enabled: boolean;
  /** Guests it backs up: the members of `pool`, else `vmid`, else every guest (`all`) but `exclude`. */
  pool?: string;
  vmid?: number[];
  all?: boolean;
  exclude?: number[];
  /** Only guests on this node. */
  node?: string;
  comment?: string;
  'notes-template'?: string;
  'prune-backups'?: string;
}

/** A task (worker) with its log: the fields its UPID encodes, and its state. */
export interface SimTask extends UpidFields {
  upid: string;
  status: 'running' | 'stopped';
  /** `OK`, `WARNINGS: n` or the error text, once stopped. */
  exitstatus?: string;
  endtime?: number;
  /** Log lines (without the final `TASK …` line until stopped). */
  log: string[];
}

/** A package in `apt/update` or `apt/versions`. */
export interface SimPackage {
  Package: string;
  Title: string;
  Description: string;
  Version: string;
  OldVersion?: string;
  Origin: string;
  Arch: string;
  Priority: string;
  Section: string;
  /** `apt/versions` only. */
  CurrentState?: string;
  RunningKernel?: string;
  ManagerVersion?: string;
}

/** Everything the simulator knows. */
export interface PveState {
  clusterName: string;
  version: { version: string; release: string; repoid: string };
  kernel: { release: string; version: string };
  nodes: Map<string, SimNode>;
  guests: Map<number, SimGuest>;
  storages: SimStorage[];
  volumes: SimVolume[];
  /** Every task of every node, oldest first. */
  tasks: SimTask[];
  /** Pending updates per node (`GET apt/update`). */
  updates: Map<string, SimPackage[]>;
  /** Installed Proxmox packages (`GET apt/versions`). */
  versions: SimPackage[];
  /** Scheduled backup jobs. */
  backupJobs: SimBackupJob[];
  /** In the lab: the PBS simulator's datastore behind the `pbs` storage (see `lab/backup-link.ts`). */
  backupLink?: BackupLink;
}
