/**
 * @module services/pve/sim/context
 * What a route handler gets (the world, the caller, the validated parameters) and
 * what it returns, plus typed readers for the parameters.
 */
import type { Access } from './auth.js';
import type { Identity } from './identities.js';
import type { PveState } from './state.js';
import type { TaskEngine } from './tasks.js';

/** The simulator's certificate, for `certificates/info` and `/nodes`. */
export interface SimCert {
  pem: string;
  fingerprint: string;
}

/** Everything a handler may use. */
export interface RouteContext {
  state: PveState;
  tasks: TaskEngine;
  access: Access;
  cert: SimCert;
  identity: Identity;
  /** Validated parameters: path, query and body merged. */
  params: Record<string, unknown>;
  nowMs: number;
}

/** A handler's answer: the `data` member, `total` for paged lists, or a plain-text download. */
export interface RouteResult {
  data?: unknown;
  total?: number;
  text?: string;
}

/** One route handler. */
export type RouteHandler = (ctx: RouteContext) => RouteResult;

/** Route handlers keyed by `METHOD /path/{template}`. */
export type RouteTable = Record<string, RouteHandler>;

/** A string parameter (undefined when absent). */
export function str(ctx: RouteContext, name: string): string | undefined {
  const v = ctx.params[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
}

/** A required string parameter (path parameters). */
export function req(ctx: RouteContext, name: string): string {
  return str(ctx, name) ?? '';
}

/** An integer parameter. */
export function int(ctx: RouteContext, name: string): number | undefined {
  const v = str(ctx, name);
  return v === undefined ? undefined : parseInt(v, 10);
}

/** A boolean parameter (validated as 0/1 or JSON true/false). */
export function bool(ctx: RouteContext, name: string): boolean {
  const v = str(ctx, name);
  return v === '1';
}
