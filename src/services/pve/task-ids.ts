/**
 * @module services/pve/task-ids
 * The UPIDs in PVE's answers: the one a task-starting call answers with, and the node a
 * task runs on (its status and log URLs must name it). Anything else is an unexpected answer.
 */
import { UnexpectedAnswerError, serverText } from '../../core/http/index.js';

/** The node that runs a task, from its UPID (task URLs must use it). */
export function nodeOfUpid(upid: string): string {
  const node = upid.split(':')[1];
  if (!upid.startsWith('UPID:') || !node) throw new UnexpectedAnswerError('pve', 200, `not a UPID: ${serverText(upid, 80)}`);
  return node;
}

/** The UPID a task-starting call answered with (anything else is an unexpected answer). */
export function upidOf(data: unknown): string {
  if (typeof data !== 'string' || !data.startsWith('UPID:')) throw new UnexpectedAnswerError('pve', 200, `expected a task id (UPID), got ${serverText(JSON.stringify(data) ?? 'nothing', 80)}`);
  return data;
}
