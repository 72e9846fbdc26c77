/**
 * @module services/pve/transport
 * Requests to the Proxmox VE API (see shared/api/pve.md) over an HTTP client that carries
 * the API token: GET, POST, PUT and DELETE, the `{data}` envelope of every answer, error
 * answers mapped by `pveError`, and `data` checked with a zod schema where the caller gives
 * one. `PveClient` builds the calls the operations need on it.
 */
import type { z } from 'zod';
import { HttpClient, UnexpectedAnswerError, expectShape, parseJson, type Params } from '../../core/http/index.js';
import { pveError } from './errors.js';

/** The PVE API's requests and answer envelope, for one cluster. */
export class PveTransport {
  readonly service = 'pve';

  constructor(
    private readonly http: HttpClient,
    /** The `services.pve` settings this client was made from. */
    readonly settings: { url: string; node?: string; task_poll_ms: number; backup_storage?: string; backup_stale_hours?: number },
  ) {}

  /** GET a path and return `data`, validated by `schema`. */
  async get<S extends z.ZodType>(path: string, schema: S, query?: Params, signal?: AbortSignal): Promise<z.infer<S>> {
    const body = await this.call('GET', path, { query, signal });
    return expectShape(this.service, `GET ${path}`, schema, body.data);
  }

  /** GET a path returning `data` and the top-level `total`. */
  async getWithTotal<S extends z.ZodType>(path: string, schema: S, query?: Params, signal?: AbortSignal): Promise<{ data: z.infer<S>; total: number }> {
    const body = await this.call('GET', path, { query, signal });
    return { data: expectShape(this.service, `GET ${path}`, schema, body.data), total: typeof body.total === 'number' ? body.total : 0 };
  }

  /** POST form parameters; returns `data` (a UPID for async work). */
  async post(path: string, form: Params = {}, signal?: AbortSignal): Promise<unknown> {
    return (await this.call('POST', path, { form, signal })).data;
  }

  /** PUT form parameters (config changes, resize); returns `data` (null, or a UPID for resize). */
  async put(path: string, form: Params = {}, signal?: AbortSignal): Promise<unknown> {
    return (await this.call('PUT', path, { form, signal })).data;
  }

  /** DELETE with query parameters (PVE refuses bodies on DELETE). */
  async delete(path: string, query: Params = {}, signal?: AbortSignal): Promise<unknown> {
    return (await this.call('DELETE', path, { query, signal })).data;
  }

  private async call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { query?: Params; form?: Params; signal?: AbortSignal },
  ): Promise<{ data: unknown; total?: unknown }> {
    const res = await this.http.request({ method, path, query: options.query, form: method === 'POST' || method === 'PUT' ? options.form : undefined, signal: options.signal });
    if (res.status >= 400) throw pveError(res);
    const body = parseJson(this.service, res);
    if (!body || typeof body !== 'object' || !('data' in body)) throw new UnexpectedAnswerError(this.service, res.status, `answer to ${method} ${path} has no data member`);
    return body as { data: unknown; total?: unknown };
  }
}
