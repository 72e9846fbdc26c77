/**
 * @module services/pve/backup-job-selection
 * Which guests a scheduled backup job selects, as `PVE::VZDump::get_included_guests`
 * decides: the members of its `pool`, else its `vmid` list, else every guest (`all`) but
 * `exclude`; always limited to its `node` when it has one. Whether the job is enabled is
 * not part of it (PVE's `not-backed-up` counts disabled jobs too).
 */

/** What decides a job's guests. */
export interface JobSelection {
  /** `all`, the listed VMIDs, or the members of a pool. */
  guests: 'all' | number[] | { pool: string };
  exclude: number[];
  node: string | null;
}

/** The guest facts a selection looks at. */
export interface SelectableGuest {
  vmid: number;
  node: string;
  /** The pool it is in (`/cluster/resources` `pool`). */
  pool?: string | undefined;
}

/** Whether job `j` selects guest `g`. */
export function jobSelects(j: JobSelection, g: SelectableGuest): boolean {
  if (j.node !== null && j.node !== g.node) return false;
  if (j.guests === 'all') return !j.exclude.includes(g.vmid);
  if (Array.isArray(j.guests)) return j.guests.includes(g.vmid);
  return g.pool === j.guests.pool;
}

/** The guests of a job in words: `all but 9000 on pve1`, `pool infra`, `101,102`. */
export function describeSelection(j: JobSelection): string {
  const what = j.guests === 'all'
    ? `all${j.exclude.length ? ` but ${j.exclude.join(',')}` : ''}`
    : Array.isArray(j.guests) ? j.guests.join(',') : `pool ${j.guests.pool}`;
  return j.node === null ? what : `${what} on ${j.node}`;
}
