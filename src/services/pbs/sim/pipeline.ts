/**
 * @module services/pbs/sim/pipeline
 * One request through the simulated proxmox-rest-server, in its order: find the
 * endpoint; authenticate unless it is open to the world (401 `authentication failed -
 * …` delayed ~3 s from the start of the request); 404 `Path '…' not found.`; privilege
 * check (403 `permission check failed`, delayed ~0.5 s); content type and parameter
 * checks against the schema subset (400 `parameter verification errors`); then the
 * handler. Success is `{data, …}` as JSON; every error body is plain text although the
 * content type still says JSON (pbs.md §3).
 */
import { STATUS_CODES } from 'node:http';
import { sendJson, sendText, type SimRequest } from '../../../lab/sim-server.js';
import { checkParams, endpointSchema } from './api-schema.js';
import { authenticate, type Caller } from './auth.js';
import { PbsHttpError, type Route } from './route.js';
import type { PbsSimState } from './state.js';

const PREFIX = '/api2/json';
const JSON_TYPE = 'application/json;charset=UTF-8';
const BODY_LIMIT = 64 * 1024;

function sendError(sim: SimRequest, status: number, message: string): void {
  sendText(sim.res, status, message, STATUS_CODES[status], JSON_TYPE);
}

const sleepUntil = (at: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

function match(routes: readonly Route[], method: string, path: string): { route: Route; pathParams: Record<string, string> } | undefined {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const tpl = route.path.split('/').filter(Boolean);
    if (tpl.length !== parts.length) continue;
    const pathParams: Record<string, string> = {};
    const ok = tpl.every((seg, i) => {
      const part = parts[i] as string;
      if (seg.startsWith('{')) {
        try { pathParams[seg.slice(1, -1)] = decodeURIComponent(part); } catch { return false; }
        return true;
      }
      return seg === part;
    });
    if (ok) return { route, pathParams };
  }
  return undefined;
}

function stringParams(query: URLSearchParams, form: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const add = (k: string, v: string): void => {
    if (k === '_dc') return;
    const prev = out[k];
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  };
  new URLSearchParams(form).forEach((v, k) => add(k, v));
  query.forEach((v, k) => add(k, v));
  return out;
}

/** The request handler of a PBS simulator over `routes`. */
export function pbsPipeline(state: PbsSimState, routes: readonly Route[]): (sim: SimRequest) => Promise<void> {
  return async (sim) => {
    const started = Date.now();
    const method = sim.method.toUpperCase();
    const apiPath = sim.path.startsWith(`${PREFIX}/`) ? sim.path.slice(PREFIX.length) : undefined;
    const found = apiPath === undefined ? undefined : match(routes, method, apiPath);
    let caller: Caller | undefined;
    if (apiPath !== undefined && !found?.route.world) {
      const auth = authenticate(state, method, sim.req.headers);
      if (!auth?.ok) {
        await sleepUntil(started + state.knobs.authFailDelayMs);
        return sendError(sim, 401, `authentication failed - ${auth ? auth.reason : 'no authentication credentials provided.'}`);
      }
      caller = auth.caller;
    }
    if (!found) return sendError(sim, 404, `Path '${sim.path}' not found.`);
    const { route, pathParams } = found;
    if (route.anyPriv && !route.anyPriv.some((p) => caller?.privs.has(p))) {
      await sleepUntil(Date.now() + state.knobs.forbiddenDelayMs);
      return sendError(sim, 403, 'permission check failed');
    }
    if (Buffer.byteLength(sim.body) > BODY_LIMIT) return sendError(sim, 400, 'Request body too large');
    const type = sim.req.headers['content-type']?.split(';')[0]?.trim();
    let json: Record<string, unknown> = {};
    let form = '';
    if (sim.body && method !== 'GET') {
      if (type === 'application/json') {
        try {
          const parsed: unknown = JSON.parse(sim.body);
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
          json = parsed as Record<string, unknown>;
        } catch (err) {
          return sendError(sim, 400, `unable to parse json body - ${(err as Error).message}`);
        }
      } else if (type === undefined || type === 'application/x-www-form-urlencoded') form = sim.body;
      else return sendError(sim, 400, `unsupported content type Ok("${sim.req.headers['content-type']}")`);
    }
    const checked = checkParams(endpointSchema(route.method, route.path), { ...stringParams(sim.query, form), ...pathParams }, json);
    if (!checked.ok) return sendError(sim, 400, `parameter verification errors\n\n${checked.errors.join('\n')}\n`);
    try {
      const result = route.handle({ state, caller, params: checked.params });
      sendJson(sim.res, 200, { data: result.data ?? null, ...result.extra }, 'OK');
    } catch (err) {
      if (err instanceof PbsHttpError) return sendError(sim, err.status, err.message);
      return sendError(sim, 400, (err as Error).message);
    }
  };
}
