/**
 * @module services/pbs/client
 * The typed wire client of the Proxmox Backup Server API (shared/api/pbs.md): the
 * `{data}` envelope, plain-text error bodies (read as text whatever the content type
 * says), and the calls the pbs operations need. Task calls implement the `TaskApi` the
 * PVE client also implements, so both wait on UPIDs with the same code.
 */
import { z } from 'zod';
import { ApiError, AuthError, type HomelabError, NotFoundError } from '../../core/errors.js';
import { type HttpClient, type HttpResponse, type Params, UnexpectedAnswerError, expectShape, looksLikeHtml, parseJson, serverLine, serverText, statusText } from '../../core/http/index.js';
import { redact } from '../../core/redact.js';
import type { TaskApi, TaskStatus } from '../proxmox/tasks.js';
import {
  datastoreEntrySchema, gcStatusSchema, snapshotSchema, taskEntrySchema, taskLogSchema, taskStatusSchema, usageEntrySchema,
  type DatastoreEntry, type GcStatus, type SnapshotEntry, type TaskEntry, type UsageEntry,
} from './schemas.js';

/** The node part of task URLs: PBS is single-node and accepts `localhost` (pbs.md §1). */
const NODE = 'localhost';

/** Query of `GET /nodes/{node}/tasks`. */
export interface TaskQuery {
  since?: number;
  errors?: boolean;
  limit?: number;
  store?: string;
  typefilter?: string;
}

/** Narrowing of a verify run (all optional: the whole store). */
export interface VerifyScope {
  /** The namespace (PBS's default: the root; a store-wide run also takes every namespace below it). */
  ns?: string;
  'backup-type'?: string;
  'backup-id'?: string;
  'ignore-verified'?: boolean;
}

/** The `services.pbs` settings a client is made from (see factory.ts). */
export interface PbsSettings {
  url: string;
  /** Default datastore of snapshots, gc and verify. */
  datastore?: string;
  /** Hours after which a group's last snapshot is stale. */
  stale_hours: number;
  /** Longest pause between task status polls. */
  task_poll_ms: number;
}

/** Client of one Proxmox Backup Server. */
export class PbsClient implements TaskApi {
  readonly service = 'pbs';

  constructor(
    private readonly http: HttpClient,
    /** The `services.pbs` settings this client was made from. */
    readonly settings: PbsSettings,
  ) {}

  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, query?: Params, form?: Params, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const res = await this.http.request({ method, path, query, form, signal });
    if (res.status >= 400) throw pbsError(res);
    const body = parseJson(this.service, res);
    if (!body || typeof body !== 'object' || !('data' in body)) throw new UnexpectedAnswerError(this.service, res.status, `answer to ${method} ${path} has no data member`);
    return body as Record<string, unknown>;
  }

  /** GET a path and return `data`, validated by `schema`. */
  async get<S extends z.ZodType>(path: string, schema: S, query?: Params, signal?: AbortSignal): Promise<z.infer<S>> {
    return expectShape(this.service, `GET ${path}`, schema, (await this.call('GET', path, query, undefined, signal)).data);
  }

  private async startTask(path: string, form: Params | undefined, signal?: AbortSignal): Promise<string> {
    const data = (await this.call('POST', path, undefined, form, signal)).data;
    if (typeof data !== 'string' || !data.startsWith('UPID:')) throw new UnexpectedAnswerError(this.service, 200, `expected a task id (UPID) from POST ${path}, got ${serverText(JSON.stringify(data) ?? 'nothing', 80)}`);
    return data;
  }

  /** PBS version. */
  version(signal?: AbortSignal): Promise<{ version: string; release?: string }> {
    return this.get('/version', z.looseObject({ version: z.string(), release: z.string().optional() }), undefined, signal);
  }

  /** Datastores the token may see. */
  datastores(signal?: AbortSignal): Promise<DatastoreEntry[]> {
    return this.get('/admin/datastore', z.array(datastoreEntrySchema), undefined, signal);
  }

  /** Usage of every visible datastore, with the estimated full date. */
  usage(signal?: AbortSignal): Promise<UsageEntry[]> {
    return this.get('/status/datastore-usage', z.array(usageEntrySchema), undefined, signal);
  }

  /** GC status of one datastore. */
  gcStatus(store: string, signal?: AbortSignal): Promise<GcStatus> {
    return this.get(`/admin/datastore/${encodeURIComponent(store)}/gc`, gcStatusSchema, undefined, signal);
  }

  /** Snapshots of one namespace of a datastore (`ns`, default the root; PBS does not recurse), optionally of one group. */
  snapshots(store: string, group?: { type: string; id: string }, signal?: AbortSignal, ns?: string): Promise<SnapshotEntry[]> {
    const query = { ns: ns || undefined, ...(group ? { 'backup-type': group.type, 'backup-id': group.id } : {}) };
    return this.get(`/admin/datastore/${encodeURIComponent(store)}/snapshots`, z.array(snapshotSchema), query, signal);
  }

  /** Every namespace of a datastore, the root (`''`) first; a server without namespaces (404) has the root only. */
  async namespaces(store: string, signal?: AbortSignal): Promise<string[]> {
    const list = await this.get(`/admin/datastore/${encodeURIComponent(store)}/namespace`, z.array(z.looseObject({ ns: z.string().optional() })), undefined, signal)
      .catch((err: unknown) => { if (err instanceof NotFoundError) return [{ ns: '' }]; throw err; });
    return [...new Set(['', ...list.map((n) => n.ns ?? '')])];
  }

  /**
   * Snapshots of every namespace of a datastore (optionally of one group), each with its
   * namespace. The root's list is asked beside the namespace list, so a datastore without
   * namespaces (the usual one) still takes one round trip.
   */
  async allSnapshots(store: string, group?: { type: string; id: string }, signal?: AbortSignal): Promise<(SnapshotEntry & { ns: string })[]> {
    const root = this.snapshots(store, group, signal);
    // Settled below when the namespaces are listed; if listing them fails, that error is the one told.
    root.catch(() => undefined);
    const spaces = await this.namespaces(store, signal);
    const lists = await Promise.all(spaces.map(async (ns) => (await (ns === '' ? root : this.snapshots(store, group, signal, ns))).map((s) => ({ ...s, ns }))));
    return lists.flat();
  }

  /** Starts garbage collection; returns the UPID. */
  startGc(store: string, signal?: AbortSignal): Promise<string> {
    return this.startTask(`/admin/datastore/${encodeURIComponent(store)}/gc`, undefined, signal);
  }

  /** Starts a verify run; returns the UPID. */
  startVerify(store: string, scope: VerifyScope = {}, signal?: AbortSignal): Promise<string> {
    return this.startTask(`/admin/datastore/${encodeURIComponent(store)}/verify`, { ...scope }, signal);
  }

  /** Tasks, newest first. */
  tasks(query: TaskQuery, signal?: AbortSignal): Promise<TaskEntry[]> {
    const params: Params = { since: query.since, errors: query.errors || undefined, limit: query.limit, store: query.store, typefilter: query.typefilter };
    return this.get(`/nodes/${NODE}/tasks`, z.array(taskEntrySchema), params, signal);
  }

  /** Status of a task (TaskApi). */
  async taskStatus(upid: string, signal?: AbortSignal): Promise<TaskStatus & { endtime?: number }> {
    const status = await this.get(`/nodes/${NODE}/tasks/${encodeURIComponent(upid)}/status`, taskStatusSchema, undefined, signal);
    // The exit status is shown to the user when a task fails: server text, cleaned like any other.
    return typeof status.exitstatus === 'string' ? { ...status, exitstatus: serverLine(status.exitstatus) } : status;
  }

  /** Log lines of a task from line `start` (TaskApi). */
  async taskLog(upid: string, start: number, limit: number, signal?: AbortSignal): Promise<{ lines: string[]; total: number }> {
    const body = await this.call('GET', `/nodes/${NODE}/tasks/${encodeURIComponent(upid)}/log`, { start, limit }, undefined, signal);
    const lines = expectShape(this.service, 'GET task log', taskLogSchema, body.data);
    return { lines: lines.map((l) => serverLine(l.t)), total: typeof body.total === 'number' ? body.total : lines.length };
  }
}

/**
 * Maps a PBS error answer. The body is plain text (pbs.md §3); parameter errors come as
 * `parameter verification errors` followed by `parameter 'x': message` lines.
 */
export function pbsError(res: HttpResponse): HomelabError {
  // PBS answers errors as plain text; a reverse proxy's HTML page (or an empty body) gets the status and a short excerpt.
  const foreign = !res.text.trim() || looksLikeHtml(res.text, String(res.headers['content-type'] ?? ''));
  const text = redact(foreign ? statusText(res) : res.text.slice(0, 8192).trim());
  if (res.status === 401) {
    return new AuthError('pbs', `authentication refused (${serverText(text)})`, 'check PBS_TOKEN_ID (user@realm!tokenid) and PBS_TOKEN_SECRET in the pbs credentials file');
  }
  if (res.status === 403) {
    return new AuthError('pbs', `permission denied (${serverText(text)})`, 'the token needs Datastore.Audit to read, Datastore.Modify for GC and Datastore.Verify for verify (ACLs on the token itself)');
  }
  const fieldLines = [...text.matchAll(/^parameter '([^']+)': (.+)$/gm)];
  if (fieldLines.length) {
    const fieldErrors = Object.fromEntries(fieldLines.map((m) => [serverText(m[1] as string, 60), serverText(m[2] as string)]));
    const detail = serverText(Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v}`).join('; '), 400);
    return new ApiError('pbs', res.status, `parameter verification errors: ${detail}`, fieldErrors);
  }
  const oneLine = serverText(text.split('\n')[0] as string);
  if (res.status === 404) return new NotFoundError('pbs', 404, oneLine);
  return new ApiError('pbs', res.status, oneLine);
}
