/**
 * @module services/proxmox/upid
 * UPIDs, the task ids Proxmox VE and PBS return for async work.
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

const PVE_UPID = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;
// PBS adds a task-id field: UPID:node:pid:pstart:task_id:starttime:type:id:user:
const PBS_UPID = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8,16}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

/** Parses a PVE or PBS UPID; undefined when it is not one. */
export function parseUpid(upid: string): Upid | undefined {
  const pve = PVE_UPID.exec(upid);
  if (pve) return { upid, node: pve[1] as string, starttime: parseInt(pve[5] as string, 16), type: pve[6] as string, id: pve[7] as string, user: pve[8] as string };
  const pbs = PBS_UPID.exec(upid);
  if (pbs) return { upid, node: pbs[1] as string, starttime: parseInt(pbs[6] as string, 16), type: pbs[7] as string, id: pbs[8] as string, user: pbs[9] as string };
  return undefined;
}
