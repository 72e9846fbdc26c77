/**
 * @module services/pbs/sim/state
 * The simulated Proxmox Backup Server's state: datastores with their snapshots, GC
 * and verify job state, the task list, API tokens and tickets, and the knobs tests
 * turn (task duration, auth delays, "make the next GC/verify fail").
 */
import type { TaskStore } from './tasks.js';

/** Backup types PBS knows. */
export type BackupType = 'vm' | 'ct' | 'host';

/** One archive of a snapshot as the snapshot list sends it (pbs.md §6.3). */
export interface SimFile {
  filename: string;
  'crypt-mode': 'none' | 'encrypt' | 'sign-only';
  size: number;
}

/** One backup snapshot. */
export interface SimSnapshot {
  /** Its namespace (`pve`, `a/b`); undefined or empty: the root namespace. */
  ns?: string;
  type: BackupType;
  id: string;
  /** Unix time of the snapshot (`backup-time`). */
  time: number;
  files: SimFile[];
  owner: string;
  protected: boolean;
  comment?: string;
  verification?: { state: 'ok' | 'failed'; upid: string };
}

/** Counters of the last garbage collection (GarbageCollectionStatus). */
export interface GcCounters {
  'index-file-count': number;
  'index-data-bytes': number;
  'disk-bytes': number;
  'disk-chunks': number;
  'removed-bytes': number;
  'removed-chunks': number;
  'pending-bytes': number;
  'pending-chunks': number;
  'removed-bad': number;
  'still-bad': number;
}

/** A verification job (`/admin/verify`). */
export interface SimVerifyJob {
  id: string;
  schedule: string;
  ignoreVerified: boolean;
  outdatedAfter: number;
  lastUpid?: string;
}

/** One datastore. */
export interface SimDatastore {
  name: string;
  comment: string;
  total: number;
  used: number;
  /** Usage fractions (0..1) over the last month, `historyDelta` seconds apart from `historyStart`. */
  history: number[];
  historyStart: number;
  historyDelta: number;
  snapshots: SimSnapshot[];
  /** Namespaces below the root (`pve`, `a/b`, each parent listed too). */
  namespaces?: string[];
  gc: { schedule: string; lastUpid?: string; counters: GcCounters };
  verifyJob: SimVerifyJob;
  /** The snapshot that needs a chunk missing from disk: its verify fails and GC warns about it. */
  brokenChunk?: { type: BackupType; id: string; time: number };
}

/** Privileges the simulator checks (PBS names, pbs.md §7). */
export type Priv = 'Datastore.Audit' | 'Datastore.Modify' | 'Datastore.Verify' | 'Datastore.Backup' | 'Sys.Audit';

/** Every privilege (what root@pam tokens get). */
export const ALL_PRIVS: readonly Priv[] = ['Datastore.Audit', 'Datastore.Modify', 'Datastore.Verify', 'Datastore.Backup', 'Sys.Audit'];

/** An API token: `USER@REALM!TOKENID` → secret and privileges. */
export interface SimToken {
  secret: string;
  privs: Set<Priv>;
  enabled: boolean;
}

/** Knobs tests and the lab turn at run time. */
export interface PbsSimKnobs {
  /** How long started GC/verify tasks run. */
  taskDurationMs: number;
  /** Delay of every 401 (PBS waits ~3 s from the start of the request). */
  authFailDelayMs: number;
  /** Delay of every 403 (PBS waits ~0.5 s). */
  forbiddenDelayMs: number;
  /** Make the next GC task fail (`true`: a default I/O error; a string: that message) or the next verify find a bad chunk. */
  failNext: { gc?: string | true; verify?: boolean };
}

/** The whole simulated server. */
export interface PbsSimState {
  node: string;
  version: { version: string; release: string; repoid: string };
  /** SHA-256 fingerprint of the TLS certificate, lower-case colon form (as PBS shows it). */
  fingerprint: string;
  datastores: Map<string, SimDatastore>;
  tasks: TaskStore;
  tokens: Map<string, SimToken>;
  /** `user@realm` → password, for `/access/ticket`. */
  users: Map<string, string>;
  /** Issued tickets → user and CSRF token. */
  tickets: Map<string, { userid: string; csrf: string }>;
  knobs: PbsSimKnobs;
}

/** The archive size sum of a snapshot (`size` in the snapshot list). */
export function snapshotSize(s: SimSnapshot): number {
  return s.files.reduce((sum, f) => sum + f.size, 0);
}

/** `vm/101` for a snapshot or group. */
export function groupName(s: { type: BackupType; id: string }): string {
  return `${s.type}/${s.id}`;
}

/** `vm/101/2026-01-31T02:00:00Z`, a snapshot's display name. */
export function snapshotName(s: SimSnapshot): string {
  return `${groupName(s)}/${new Date(s.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;
}
