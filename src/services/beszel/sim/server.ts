/**
 * @module services/beszel/sim/server
 * A Beszel hub (PocketBase v0.39 under Beszel v0.18.8) on 127.0.0.1, per
 * shared/api/beszel.md: `auth-with-password` (email identity only, verified users,
 * optional MFA step) and `auth-refresh` for `users` and `_superusers`, the record list
 * and view endpoints with Beszel's access rules, `PATCH` on systems (pause/resume),
 * `/api/health`, `/api/beszel/info` and `/api/beszel/first-run`, PocketBase's error
 * envelope. A missing, expired or invalidated token is not an error: the request runs as
 * a guest and rule-protected lists come back empty. `expireTokens()` invalidates every
 * token issued so far; `tokenTtlSeconds` shortens their lifetime.
 */
import type { ServerResponse } from 'node:http';
import type { LabSim, SimStartOptions } from '../../../lab/lab.js';
import { parseBody, sendJson, startSimServer, type SimRequest } from '../../../lab/sim-server.js';
import { listRecords, listRule, pickFields, QueryError, SUPERUSER_VIEW, type SimAuth } from './query.js';
import { COLLECTIONS, pbDate, recordId, type RecordStore } from './records.js';
import { seedStore } from './seed.js';
import { TokenIssuer } from './tokens.js';

/** Options of the Beszel simulator. */
export interface BeszelSimOptions extends SimStartOptions {
  email?: string;
  password?: string;
  /** Whether the admin user is verified (default true); unverified users get 403 on login. */
  verified?: boolean;
  /** Lifetime of `users` tokens in seconds (PocketBase default 432000 = 5 days). */
  tokenTtlSeconds?: number;
  /** Lifetime of `_superusers` tokens (default 86400). */
  superuserTokenTtlSeconds?: number;
  /** The hub runs with `MFA_OTP=true`: password login answers 401 `{mfaId}`. */
  mfa?: boolean;
  /** Hub version reported by `/api/beszel/info`. */
  version?: string;
}

/** A running Beszel simulator. */
export interface BeszelSim extends LabSim {
  store: RecordStore;
  /** Invalidates every token issued so far (as a password change does); their `exp` stays in the future. */
  expireTokens(): void;
  /** The admin user's record id. */
  userId: string;
  /** The record id of the system with this name. */
  systemId(name: string): string;
  /** How many password logins succeeded, per collection. */
  logins: { users: number; _superusers: number };
}

function pbError(res: ServerResponse, status: number, message: string, data: Record<string, unknown> = {}): void {
  sendJson(res, status, { status, message, data });
}

const AUTH_COLLECTIONS = new Set(['users', '_superusers']);

/** Starts the Beszel hub simulator. */
export async function startBeszelSim(options: BeszelSimOptions = {}): Promise<BeszelSim> {
  const email = options.email ?? 'admin@home.lan';
  const password = options.password ?? 'beszel-lab-password';
  const store = seedStore({ email, password, verified: options.verified ?? true }, Date.now());
  const tokens = new TokenIssuer();
  const logins = { users: 0, _superusers: 0 };
  const ttl = (c: string): number => (c === 'users' ? options.tokenTtlSeconds ?? 432_000 : options.superuserTokenTtlSeconds ?? 86_400);

  const authOf = (sim: SimRequest): SimAuth => {
    const header = sim.req.headers.authorization ?? '';
    const token = header.replace(/^bearer\s+/i, '').trim();
    if (!token) return undefined;
    const claims = tokens.verify(token);
    if (!claims) return undefined;
    const collection = claims.collectionId === COLLECTIONS._superusers?.id ? '_superusers' : claims.collectionId === COLLECTIONS.users?.id ? 'users' : undefined;
    const record = collection ? store.find(collection, claims.id) : undefined;
    return collection && record ? { collection, record } : undefined;
  };

  const authResponse = (collection: 'users' | '_superusers', id: string): Record<string, unknown> => {
    const record = store.find(collection, id);
    if (!record) throw new Error(`no ${collection} record ${id}`);
    return { token: tokens.issue(id, COLLECTIONS[collection]?.id ?? '', ttl(collection)), record: store.present(collection, record) };
  };

  const handle = (sim: SimRequest): void => {
    const { res, method, path } = sim;
    if (method === 'GET' && path === '/api/health') return sendJson(res, 200, { code: 200, message: 'API is healthy.', data: {} });
    if (method === 'GET' && path === '/api/beszel/first-run') return sendJson(res, 200, { firstRun: false });
    const auth = authOf(sim);
    if (method === 'GET' && path === '/api/beszel/info') {
      if (!auth) return pbError(res, 401, 'The request requires valid record authorization token.');
      return sendJson(res, 200, { key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBeszelLabHubKeyForTheSimulatorOnly0000000', v: options.version ?? '0.18.8', cu: false });
    }
    const authMatch = /^\/api\/collections\/([^/]+)\/(auth-with-password|auth-refresh)$/.exec(path);
    if (authMatch && method === 'POST') {
      const collection = decodeURIComponent(authMatch[1] as string);
      if (!AUTH_COLLECTIONS.has(collection)) {
        return COLLECTIONS[collection] ? pbError(res, 400, 'The collection is not auth collection.') : pbError(res, 404, 'Missing collection context.');
      }
      const c = collection as 'users' | '_superusers';
      if (authMatch[2] === 'auth-refresh') {
        if (!auth || auth.collection !== c) return pbError(res, 401, 'The request requires valid record authorization token.');
        return sendJson(res, 200, authResponse(c, auth.record.id));
      }
      let body: Record<string, unknown>;
      try {
        body = parseBody(sim);
      } catch {
        return pbError(res, 400, 'Failed to load the submitted data due to invalid formatting.');
      }
      const identity = typeof body.identity === 'string' ? body.identity : '';
      const pass = typeof body.password === 'string' ? body.password : '';
      const blank = { code: 'validation_required', message: 'Cannot be blank.' };
      if (!identity || !pass) {
        return pbError(res, 400, 'Something went wrong while processing your request.', { ...(identity ? {} : { identity: blank }), ...(pass ? {} : { password: blank }) });
      }
      const record = store.all(c).find((r) => String(r.email).toLowerCase() === identity.toLowerCase());
      if (!record || store.passwords.get(record.id) !== pass) return pbError(res, 400, 'Failed to authenticate.');
      if (c === 'users' && record.verified !== true) {
        return pbError(res, 403, "The request doesn't satisfy the collection requirements to authenticate.");
      }
      if (options.mfa) return sendJson(res, 401, { mfaId: recordId(`mfa:${Date.now()}`) });
      logins[c]++;
      return sendJson(res, 200, authResponse(c, record.id));
    }
    const recMatch = /^\/api\/collections\/([^/]+)\/records(?:\/([^/]+))?$/.exec(path);
    if (recMatch) {
      const collection = decodeURIComponent(recMatch[1] as string);
      if (!COLLECTIONS[collection]) return pbError(res, 404, 'Missing collection context.');
      const id = recMatch[2] ? decodeURIComponent(recMatch[2]) : undefined;
      if (method === 'GET' && !id) {
        if (collection === '_superusers' && auth?.collection !== '_superusers') return pbError(res, 403, 'Only superusers can perform this action.');
        try {
          return sendJson(res, 200, listRecords(store, collection, sim.query, auth));
        } catch (err) {
          if (err instanceof QueryError) return pbError(res, 400, err.message);
          throw err;
        }
      }
      if (method === 'GET' && id) {
        if (SUPERUSER_VIEW.has(collection) && auth?.collection !== '_superusers') return pbError(res, 403, 'Only superusers can perform this action.');
        const record = store.find(collection, id);
        if (!record || !listRule(store, collection, record, auth)) return pbError(res, 404, "The requested resource wasn't found.");
        return sendJson(res, 200, pickFields(store.present(collection, record), sim.query.get('fields')));
      }
      if (method === 'PATCH' && id && collection === 'systems') return patchSystem(sim, id, auth);
      if (['POST', 'PATCH', 'DELETE'].includes(method)) {
        if (auth?.collection !== '_superusers') return pbError(res, 403, 'Only superusers can perform this action.');
        return pbError(res, 400, 'The simulator does not implement this write.');
      }
    }
    return pbError(res, 404, "The requested resource wasn't found.");
  };

  const patchSystem = (sim: SimRequest, id: string, auth: SimAuth): void => {
    const record = store.find('systems', id);
    if (!record || !listRule(store, 'systems', record, auth)) return pbError(sim.res, 404, "The requested resource wasn't found.");
    if (auth?.collection === 'users' && auth.record.role === 'readonly') return pbError(sim.res, 400, 'Failed to update record.');
    let body: Record<string, unknown>;
    try {
      body = parseBody(sim);
    } catch {
      return pbError(sim.res, 400, 'Failed to load the submitted data due to invalid formatting.');
    }
    if (body.status !== undefined && !['up', 'down', 'paused', 'pending'].includes(String(body.status))) {
      return pbError(sim.res, 400, 'Failed to update record.', { status: { code: 'validation_invalid_value', message: 'Invalid value ' + String(body.status) + '.' } });
    }
    for (const key of ['name', 'host', 'port', 'status'] as const) if (typeof body[key] === 'string') record[key] = body[key];
    if (record.status === 'paused') record.info = {};
    record.updated = pbDate(Date.now());
    sendJson(sim.res, 200, store.present('systems', record));
  };

  const server = await startSimServer({ name: 'beszel', tls: options.tls, handle, faults: { latencyMs: options.latencyMs ?? 0 } });
  const admin = store.all('users').find((u) => u.email === email);
  return {
    ...server,
    service: 'beszel',
    configSection: { url: server.url, ...(server.fingerprint ? { fingerprint: server.fingerprint } : {}) },
    credentials: { dir: 'beszel', values: { BESZEL_EMAIL: email, BESZEL_PASSWORD: password } },
    store,
    logins,
    userId: admin?.id ?? '',
    expireTokens: () => tokens.rotate(),
    systemId(name) {
      const system = store.all('systems').find((s) => s.name === name);
      if (!system) throw new Error(`the Beszel simulator has no system ${name}`);
      return system.id;
    },
  };
}
