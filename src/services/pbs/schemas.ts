/**
 * @module services/pbs/schemas
 * zod schemas of the PBS answers the operations depend on (field names per
 * shared/api/pbs.md §6). Unknown fields pass through; only what we read is checked.
 */
import { z } from 'zod';

const num = z.number().optional();
const str = z.string().optional();

/** An entry of `GET /admin/datastore`. */
export const datastoreEntrySchema = z.looseObject({ store: z.string(), comment: str, maintenance: str });
/** A datastore list entry. */
export type DatastoreEntry = z.infer<typeof datastoreEntrySchema>;

/** An entry of `GET /status/datastore-usage`. */
export const usageEntrySchema = z.looseObject({
  store: z.string(),
  total: num,
  used: num,
  avail: num,
  error: str,
  /** Unix time; 0 or in the past when usage is flat or falling. */
  'estimated-full-date': num,
  'mount-status': str,
});
/** A datastore usage entry. */
export type UsageEntry = z.infer<typeof usageEntrySchema>;

/** `GET /admin/datastore/{store}/gc` (GarbageCollectionJobStatus on 4.x; older servers send the counters only). */
export const gcStatusSchema = z.looseObject({
  store: str,
  upid: str,
  schedule: str,
  'next-run': num,
  'last-run-state': str,
  'last-run-endtime': num,
  duration: num,
  'index-data-bytes': num,
  'disk-bytes': num,
  'disk-chunks': num,
  'removed-bytes': num,
  'removed-chunks': num,
  'pending-bytes': num,
  'pending-chunks': num,
  'removed-bad': num,
  'still-bad': num,
});
/** GC status of one datastore. */
export type GcStatus = z.infer<typeof gcStatusSchema>;

/** One archive of a snapshot: a name (as the schema says) or an object (as servers send). */
const fileSchema = z.union([z.string(), z.looseObject({ filename: z.string(), size: num, 'crypt-mode': str })]);

/** An entry of `GET /admin/datastore/{store}/snapshots`. */
export const snapshotSchema = z.looseObject({
  'backup-type': z.string(),
  'backup-id': z.string(),
  'backup-time': z.number(),
  size: num,
  comment: str,
  protected: z.boolean().optional(),
  owner: str,
  files: z.array(fileSchema).optional(),
  verification: z.looseObject({ state: z.string(), upid: str }).optional(),
});
/** A snapshot. */
export type SnapshotEntry = z.infer<typeof snapshotSchema>;

/** An entry of `GET /nodes/{node}/tasks` (`worker_type`/`worker_id`, unlike the status call). */
export const taskEntrySchema = z.looseObject({
  upid: z.string(),
  node: str,
  worker_type: z.string(),
  worker_id: z.string().nullish(),
  user: str,
  starttime: z.number(),
  endtime: num,
  status: str,
});
/** A task list entry. */
export type TaskEntry = z.infer<typeof taskEntrySchema>;

/** `GET /nodes/{node}/tasks/{upid}/status`. */
export const taskStatusSchema = z.looseObject({ status: z.string(), exitstatus: str, endtime: num });

/** `GET /nodes/{node}/tasks/{upid}/log` lines. */
export const taskLogSchema = z.array(z.looseObject({ n: z.number(), t: z.string() }));
