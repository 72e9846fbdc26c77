/**
 * @module services/pve/sim/router
 * One request through pveproxy's pipeline, in its order: authentication (401 after a
 * delay, no body), body on GET/DELETE (501), parameter parsing (form or JSON body,
 * query merged in and winning), method lookup (501 `Method 'GET /foo' not implemented`),
 * duplicate path parameters (400), permissions (403), the `proxyto` node (500 for an
 * unknown node, 595 for one set offline), parameter verification against the schema (400) and finally the
 * handler (500 with its message when it dies). Protocol mistakes by the client
 * (400 verification failures, 501s) are recorded as schema violations for tests.
 */
import type { SimRequest } from '../../../lab/sim-server.js';
import type { Access } from './auth.js';
import type { RouteContext, SimCert } from './context.js';
import { PveHttpError, paramError } from './errors.js';
import { enforcePermissions } from './permissions.js';
import { sendApiError, sendBare, sendData, sendText } from './respond.js';
import { routeTable } from './routes/table.js';
import { matchPath } from './schema.js';
import type { PveState } from './state.js';
import type { TaskEngine } from './tasks.js';
import { validateParams } from './validate.js';

/** A request real PVE would have refused for its form, not its meaning. */
export interface SchemaViolation {
  method: string;
  /** API path relative to `/api2/json`, as requested. */
  path: string;
  /** The endpoint template, when the path matched one. */
  template?: string;
  /** Parameter → PVE's message; `_request` for whole-request errors (501s). */
  errors: Record<string, string>;
}

/** What the router needs from the simulator. */
export interface RouterDeps {
  state: PveState;
  tasks: TaskEngine;
  access: Access;
  cert: SimCert;
  violations: SchemaViolation[];
  /** Delay before a 401 (real PVE: 3 s). */
  authFailDelayMs: () => number;
  /** The moment routes see instead of now, when a test froze it (`PveSim.options.frozenAtMs`). */
  frozenAtMs?: () => number | undefined;
}

const API_PREFIX = '/api2/json';
/** The node the simulator itself is (the one in `configSection`); it always answers. */
export const LOCAL_NODE = 'pve1';

function parseParams(sim: SimRequest): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (sim.method === 'POST' || sim.method === 'PUT') {
    const type = (sim.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type === 'application/json') {
      const parsed: unknown = sim.body === '' ? {} : JSON.parse(sim.body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('JSON body is not an object');
      Object.assign(params, parsed);
    } else {
      for (const [k, v] of new URLSearchParams(sim.body)) params[k] = v;
    }
  }
  for (const [k, v] of sim.query) params[k] = v;
  delete params._dc;
  return params;
}

/** Serves one request. */
export async function route(sim: SimRequest, deps: RouterDeps): Promise<void> {
  const { res, method } = sim;
  if (sim.path !== API_PREFIX && !sim.path.startsWith(`${API_PREFIX}/`)) {
    sendBare(res, 404, 'Not found');
    return;
  }
  const apiPath = sim.path.slice(API_PREFIX.length) || '/';
  const match = matchPath(method, apiPath);
  const record = (errors: Record<string, string>): void => {
    deps.violations.push({ method, path: apiPath, ...(match ? { template: match.template } : {}), errors });
  };
  const nowMs = Date.now();

  const world = match?.endpoint?.permissions?.user === 'world';
  const auth = world ? undefined : deps.access.authenticate(method, sim.req.headers, Math.floor(nowMs / 1000));
  if (auth && !auth.ok) {
    await new Promise((r) => setTimeout(r, deps.authFailDelayMs()));
    sendBare(res, 401, auth.reason);
    return;
  }
  if (sim.body.length > 0 && method !== 'POST' && method !== 'PUT') {
    record({ _request: `Unexpected content for method '${method}'` });
    sendBare(res, 501, `Unexpected content for method '${method}'`);
    return;
  }
  let params: Record<string, unknown>;
  try {
    params = parseParams(sim);
  } catch (err) {
    const message = `malformed JSON string: ${err instanceof Error ? err.message : String(err)}`;
    record({ _request: message });
    sendBare(res, 501, message);
    return;
  }
  try {
    if (!match?.endpoint) {
      const message = `Method '${method} ${apiPath}' not implemented`;
      record({ _request: message });
      throw new PveHttpError(501, message);
    }
    const endpoint = match.endpoint;
    const duplicates = Object.keys(params).filter((k) => k in match.pathParams);
    if (duplicates.length > 0) {
      const errors = Object.fromEntries(duplicates.map((k) => [k, 'duplicate parameter (already defined in URI)']));
      record(errors);
      throw paramError(errors);
    }
    Object.assign(params, match.pathParams);
    const identity = auth?.ok ? auth.identity : { userid: '', authid: '', privileges: new Set<string>() };
    if (!world) enforcePermissions(identity, endpoint.permissions, params);
    if (endpoint.proxyto) {
      const name = String(params[endpoint.proxyto] ?? '');
      const node = deps.state.nodes.get(name);
      if (!node) {
        throw new PveHttpError(500, `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known\n`);
      }
      // Proxying to a node that is down fails in pveproxy's HTTP client (status 595, no body).
      if (node.status === 'offline' && name !== LOCAL_NODE) {
        sendBare(res, 595, 'No route to host');
        return;
      }
    }
    const errors = validateParams(endpoint, params);
    if (Object.keys(errors).length > 0) {
      record(errors);
      throw paramError(errors);
    }
    const handler = routeTable[`${method} ${endpoint.path}`];
    if (!handler) throw new PveHttpError(501, `Method '${method} ${apiPath}' not implemented`);
    const ctx: RouteContext = { state: deps.state, tasks: deps.tasks, access: deps.access, cert: deps.cert, identity, params, nowMs: deps.frozenAtMs?.() ?? nowMs };
    const result = handler(ctx);
    if (result.text !== undefined) sendText(res, result.text);
    else sendData(res, result.data, result.total);
  } catch (err) {
    sendApiError(res, err instanceof PveHttpError ? err : new PveHttpError(500, `${err instanceof Error ? err.message : String(err)}\n`));
  }
}
