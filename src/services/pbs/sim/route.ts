/**
 * @module services/pbs/sim/route
 * The shape of one simulated endpoint, the error a handler throws (an HTTP status and
 * PBS's plain-text message), and the helpers handlers share.
 */
import type { Caller } from './auth.js';
import type { PbsSimState, Priv, SimDatastore } from './state.js';

/** What a handler gets: the state, the authenticated caller and the checked parameters. */
export interface RouteContext {
  state: PbsSimState;
  caller: Caller | undefined;
  params: Record<string, unknown>;
}

/** A handler's answer: `data`, plus top-level members such as `total` or `digest`. */
export interface RouteResult {
  data: unknown;
  extra?: Record<string, unknown>;
}

/** One endpoint; `path` is the schema template (`/admin/datastore/{store}/gc`). */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** No authentication (`permissions: {user: "world"}`). */
  world?: boolean;
  /** The caller needs at least one of these, else 403 `permission check failed`. */
  anyPriv?: readonly Priv[];
  handle(ctx: RouteContext): RouteResult;
}

/** An error answer: status and PBS's plain-text message. */
export class PbsHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The datastore named by the `store` parameter, or PBS's lookup error. */
export function lookupStore(ctx: RouteContext, name = String(ctx.params.store)): SimDatastore {
  const ds = ctx.state.datastores.get(name);
  if (!ds) throw new PbsHttpError(400, `no such datastore '${name}'`);
  return ds;
}

/** Whether the caller holds a privilege. */
export function hasPriv(ctx: RouteContext, priv: Priv): boolean {
  return ctx.caller?.privs.has(priv) ?? false;
}

/** The next run of a `daily` schedule (00:00 UTC), as a Unix time. */
export function nextDaily(nowSec = Math.floor(Date.now() / 1000)): number {
  return Math.floor(nowSec / 86_400) * 86_400 + 86_400;
}

/** Drops undefined members, so answers carry only the keys PBS would send. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
