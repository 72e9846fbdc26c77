/**
 * @module services/pve/task-ids
 * The UPIDs in PVE's answers: the one a task-starting call answers with, and the node a
 * task runs on (its status and log URLs must name it). Anything that does not parse as a UPID
 * (proxmox/upid) is an unexpected answer, so a hostile `UPID:evil…` is never polled.
 */
import { UnexpectedAnswerError, serverText } from '../../core/http/index.js';
import { parseUpid } from '../proxmox/upid.js';

/** The node that runs a task, from its UPID (task URLs must use it); a string that does not parse as one is an unexpected answer. */
export function nodeOfUpid(upid: string): string {
  const parsed = parseUpid(upid);
  if (!parsed) throw new UnexpectedAnswerError('pve', 200, `not a UPID: ${serverText(upid, 80)}`);
  return parsed.node;
}

/** The UPID a task-starting call answered with: one that parses (`parseUpid`), else an unexpected answer, never polled. */
export function upidOf(data: unknown): string {
  if (typeof data !== 'string' || !parseUpid(data)) throw new UnexpectedAnswerError('pve', 200, `expected a task id (UPID), got ${serverText(JSON.stringify(data) ?? 'nothing', 80)}`);
  return data;
}
