/**
 * @module services/pbs/verify-failures
 * Which snapshots a verify run found broken, read back from the API rather than from
 * the task log: after the run, every snapshot it checked carries `verification.upid`
 * (the run's UPID) and `verification.state` (`ok` or `failed`).
 */
import type { PbsClient } from './client.js';
import { withNamespace } from './health.js';

/** What one verify run checked. */
export interface VerifyOutcome {
  /** Snapshots the run checked. */
  checked: number;
  /** Snapshots that failed, as `type/id/2026-01-02T03:04:05Z` (`ns/pve/type/…` in a namespace). */
  failed: string[];
}

/** The snapshots of `store` (every namespace; or of `group` in namespace `ns`) that the run `upid` verified, and those that failed. */
export async function verifyOutcome(client: PbsClient, store: string, upid: string, group?: { type: string; id: string; ns: string }, signal?: AbortSignal): Promise<VerifyOutcome> {
  const all = group ? (await client.snapshots(store, group, signal, group.ns)).map((s) => ({ ...s, ns: group.ns })) : await client.allSnapshots(store, undefined, signal);
  const snaps = all.filter((s) => s.verification?.upid === upid);
  const failed = snaps
    .filter((s) => s.verification?.state === 'failed')
    .map((s) => withNamespace(s.ns, `${s['backup-type']}/${s['backup-id']}/${new Date(s['backup-time'] * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`));
  return { checked: snaps.length, failed };
}
