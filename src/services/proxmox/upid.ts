/**
 * @module services/proxmox/upid
 * UPIDs, the task ids Proxmox VE and PBS return for async work. The type, id and user fields
 * take what PVE's own decoder (`PVE::Tools::upid_decode`) takes, anything but `:` and white
 * space (a `/` included: the id of a storage task may hold one), but never a control
 * character: a UPID holding an escape sequence is no task id of a real server.
 */

/** The parts of a UPID. */
export interface Upid {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  /** Unix epoch seconds. */
  starttime: number;
}

// A type, id or user field: no `:`, white space or control character (C0, DEL, C1).
const FIELD = '[^:\\s\\x00-\\x1f\\x7f-\\x9f]';
const NODE = '([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)';
const PVE_UPID = new RegExp(`^UPID:${NODE}:([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):(${FIELD}+):(${FIELD}*):(${FIELD}+):$`);
// PBS adds a task-id field: UPID:node:pid:pstart:task_id:starttime:type:id:user:
const PBS_UPID = new RegExp(`^UPID:${NODE}:([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8,16}):([0-9A-Fa-f]{8}):(${FIELD}+):(${FIELD}*):(${FIELD}+):$`);

/** Parses a PVE or PBS UPID; undefined when it is not one. */
export function parseUpid(upid: string): Upid | undefined {
  const pve = PVE_UPID.exec(upid);
  if (pve) return { upid, node: pve[1] as string, starttime: parseInt(pve[5] as string, 16), type: pve[6] as string, id: pve[7] as string, user: pve[8] as string };
  const pbs = PBS_UPID.exec(upid);
  if (pbs) return { upid, node: pbs[1] as string, starttime: parseInt(pbs[6] as string, 16), type: pbs[7] as string, id: pbs[8] as string, user: pbs[9] as string };
  return undefined;
}
