/**
 * @module services/proxy/sim/route
 * The pieces every NPM simulator route shares: the error the backend answers with
 * (`{error:{code,message}}`), a route's shape, and body validation against a schema.
 */
import type { SimRequest } from '../../../lab/sim-server.js';
import { validate, type JsonSchema } from './json-schema.js';
import type { NpmStore, Row } from './store.js';

/** An error answered as `{ error: { code, message, message_i18n? } }` with that HTTP status. */
export class NpmError extends Error {
  constructor(readonly status: number, message: string, readonly i18n?: string) {
    super(message);
  }
}

/** `404 Not Found - <id>`. */
export function notFound(id: string | number): NpmError {
  return new NpmError(404, `Not Found - ${id}`);
}

/** What a route handler gets. */
export interface NpmCall {
  sim: SimRequest;
  db: NpmStore;
  /** Path parameters (`:id` …). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (undefined when none). */
  body: unknown;
  /** The authenticated user (routes with `auth: true`). */
  user?: Row;
  /** The token the call carried (for `GET /api/tokens`). */
  token?: string;
}

/** A handler's answer: status (default 200) and JSON body. */
export interface NpmAnswer {
  status?: number;
  body: unknown;
  /** Work done after the answer is built (nginx config tests). */
  after?: () => void;
}

/** One route: exact, case-sensitive path with `:name` parameters. */
export interface NpmRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth: boolean;
  run(call: NpmCall): NpmAnswer | Promise<NpmAnswer>;
}

/** Validates a body; a failure is the backend's 400 with ajv's words. */
export function checkBody(schema: JsonSchema, body: unknown): Record<string, unknown> {
  const err = validate(schema, body ?? {});
  if (err) throw new NpmError(400, err);
  return (body ?? {}) as Record<string, unknown>;
}

/** The `:id` path parameter as a number (404 otherwise). */
export function idParam(call: NpmCall): number {
  const raw = call.params.id ?? '';
  if (!/^\d+$/.test(raw)) throw notFound(raw);
  return Number(raw);
}

/** The `expand` query values, checked against the allowed ones (400 like the query schema). */
export function expandOf(call: NpmCall, allowed: readonly string[]): Set<string> {
  const raw = call.query.get('expand');
  const values = raw ? raw.split(',').map((v) => v.trim()).filter(Boolean) : [];
  values.forEach((v, i) => {
    if (!allowed.includes(v)) throw new NpmError(400, `data/expand/${i} must be equal to one of the allowed values`);
  });
  return new Set(values);
}
