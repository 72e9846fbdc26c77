/**
 * @module services/proxmox/task-summary
 * The JSON shape of one entry of `pve tasks` and `pbs tasks` (both list Proxmox tasks).
 */

/** One task of a task list. */
export interface TaskSummary {
  upid: string;
  node: string;
  /** Worker type: `qmstart`, `vzdump`, `backup`, `garbage_collection`, … */
  type: string;
  /** Worker id: a vmid, or e.g. `main:ct/106` on PBS. */
  id: string;
  user: string;
  /** Epoch seconds. */
  starttime: number | null;
  endtime: number | null;
  /** Exit status (`OK`, `WARNINGS: n`, error text), or `running`. */
  status: string;
  /** True for OK and warnings, false for errors, null while running. */
  ok: boolean | null;
}
