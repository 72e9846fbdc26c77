/**
 * @module lab/backup-link
 * The wire between the PVE and PBS simulators of one lab. In a real homelab PVE's `pbs`
 * storage *is* a PBS datastore: listing its content asks PBS, and a vzdump to it makes a
 * new snapshot there. The lab gives both simulators the same `BackupLink`; the PBS
 * simulator attaches its datastore, the PVE simulator lists and adds backups through it.
 * A PVE simulator started alone (no link, or nothing attached) keeps its own volumes.
 */

/** One backup snapshot as both sides see it. */
export interface LinkedBackup {
  type: 'vm' | 'ct';
  /** The guest's VMID as PBS stores it (`backup-id`). */
  id: string;
  /** Unix epoch seconds (`backup-time`). */
  time: number;
  /** Bytes (the archive sizes summed). */
  size: number;
  notes?: string;
  protected: boolean;
  verification?: { state: string; upid: string };
}

/** A new backup a vzdump writes, with its archives. */
export interface NewLinkedBackup {
  type: 'vm' | 'ct';
  id: string;
  time: number;
  notes?: string;
  protected?: boolean;
  /** Archive names and sizes (`qemu-server.conf.blob`, `drive-scsi0.img.fidx`, …). */
  files: { filename: string; size: number }[];
  /** The PVE node the backup came from (its address shows in PBS's task log). */
  fromIp: string;
  /** Who the PVE storage authenticates as (the snapshot's owner). */
  owner: string;
  /** Seconds the upload took (the PBS task's run time). */
  seconds: number;
}

/**
 * What a PBS simulator offers the link: its datastore's snapshots. `ns` is the namespace
 * the PVE storage points at (its `namespace` property; undefined or empty: the root), and
 * each call sees and writes that namespace only, as PVE's `pbs` storage does.
 */
export interface LinkedBackupStore {
  /** The datastore name (`main`). */
  datastore: string;
  list(ns?: string): LinkedBackup[];
  /**
   * Why PBS would refuse to start this backup, as its error text (a namespace that does not
   * exist, a time not newer than the group's last snapshot); undefined when it would take
   * it. Asked when the backup starts.
   */
  refusal(backup: Pick<NewLinkedBackup, 'type' | 'id' | 'time'>, ns?: string): string | undefined;
  /** Stores a finished backup; throws what `refusal` says rather than store one PBS would refuse. */
  add(backup: NewLinkedBackup, ns?: string): void;
}

/** The shared wire: created by `startLab`, handed to every simulator it starts. */
export class BackupLink {
  private attached?: LinkedBackupStore;

  /** The PBS datastore, once the PBS simulator has attached it. */
  get store(): LinkedBackupStore | undefined {
    return this.attached;
  }

  /** Called by the PBS simulator when it starts. */
  attach(store: LinkedBackupStore): void {
    this.attached = store;
  }
}
