/**
 * @module services/dns/sim/server
 * A Technitium DNS Server web API on 127.0.0.1, per the fact sheet: `/api/<area>/<action>`
 * paths (plus a few legacy aliases), flat query/form parameters, HTTP 200 for every API
 * answer with `status` telling `ok` / `error` / `invalid-token` / `2fa-required`, login
 * and createToken answered flat and everything else under `response`.
 */
import type { LabSim, SimStartOptions } from '../../../lab/lab.js';
import { sendJson, sendText, startSimServer, type SimRequest } from '../../../lab/sim-server.js';
import { DnsAuth } from './auth.js';
import { DnsSimError, DnsSimInvalidToken, DnsSimTwoFactorRequired, Params } from './params.js';
import { addRecord, deleteRecord, getRecords, updateRecord } from './records-api.js';
import { scaleGuests } from '../../../lab/scale-guests.js';
import { LAB_NAME_SERVER, seedDns } from './seed.js';
import { dashboardStats, type DnsStats } from './stats.js';
import { DnsStore } from './store.js';
import { userRoutes } from './user-api.js';
import { createZone, deleteZone, listZones, setZoneDisabled } from './zones-api.js';

/** Options of the Technitium simulator. */
export interface DnsSimOptions extends SimStartOptions {
  port?: number;
  /** Server version; below 15 the `Authorization: Bearer` header is ignored, below 14 `server` is absent. Default 15.2. */
  version?: string;
  /** Idle timeout of session tokens; default 30 min. */
  sessionTimeoutMs?: number;
  /** The server's default record TTL; default 3600. */
  defaultTtl?: number;
}

/** A running Technitium simulator. */
export interface DnsSim extends LabSim {
  store: DnsStore;
  auth: DnsAuth;
  stats: DnsStats;
  /** The permanent API token written to the lab's credentials. */
  apiToken: string;
  admin: { user: string; password: string };
  /** Moves the simulator's clock forward (session idle timeouts). */
  advanceClock(ms: number): void;
}

/** What a route handler gets. */
export interface DnsCall {
  p: Params;
  sim: SimRequest;
  callerIp: string;
  /** The caller's token, when the route needs one (already checked). */
  token?: string;
  username?: string;
}

/** A route: `flat` answers go top level (login, createToken…), others under `response`. */
export interface DnsRoute {
  auth: boolean;
  flat?: boolean;
  run(call: DnsCall): unknown;
}

/** An `/api/` path the simulator does not implement: an error envelope with status 200 (the message older servers give). */
function unknownApi(path: string): DnsRoute {
  return { auth: true, run: () => { throw new DnsSimError(`Invalid command: ${path}`); } };
}

const LEGACY: Record<string, string> = {
  '/api/login': '/api/user/login', '/api/logout': '/api/user/logout', '/api/listZones': '/api/zones/list',
  '/api/createZone': '/api/zones/create', '/api/deleteZone': '/api/zones/delete', '/api/addRecord': '/api/zones/records/add',
  '/api/getRecords': '/api/zones/records/get', '/api/updateRecord': '/api/zones/records/update',
  '/api/deleteRecord': '/api/zones/records/delete', '/api/flushDnsCache': '/api/cache/flush', '/api/getStats': '/api/dashboard/stats/get',
};

/** Starts the Technitium simulator seeded with the lab's zones. */
export async function startDnsSim(options: DnsSimOptions = {}): Promise<DnsSim> {
  const version = options.version ?? '15.2';
  const major = Number(version.split('.')[0]);
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const started = now();
  const defaultTtl = options.defaultTtl ?? 3600;
  const store = new DnsStore(() => new Date(now()), LAB_NAME_SERVER);
  seedDns(store, defaultTtl, scaleGuests(options.extraGuests ?? 0));
  const auth = new DnsAuth(now, options.sessionTimeoutMs ?? 30 * 60_000, major >= 15);
  const admin = { user: 'admin', password: 'lab-dns-admin' };
  auth.users.set(admin.user, { username: admin.user, password: admin.password, displayName: 'Administrator' });
  const apiToken = auth.issue(admin.user, 'ApiToken', 'homelab');
  const stats: DnsStats = { cachedEntries: 1843, blockedZones: 3, allowedZones: 1, blockListZones: 148_203 };
  const info = { version, dnsServerDomain: LAB_NAME_SERVER, defaultRecordTtl: defaultTtl, uptimestamp: new Date(started).toISOString() };

  const routes: Record<string, DnsRoute> = {
    ...userRoutes(auth, info),
    '/api/zones/list': { auth: true, run: (c) => listZones(c.p, store) },
    '/api/zones/create': { auth: true, run: (c) => createZone(c.p, store) },
    '/api/zones/delete': { auth: true, run: (c) => deleteZone(c.p, store) },
    '/api/zones/enable': { auth: true, run: (c) => setZoneDisabled(c.p, store, false) },
    '/api/zones/disable': { auth: true, run: (c) => setZoneDisabled(c.p, store, true) },
    '/api/zones/records/add': { auth: true, run: (c) => addRecord({ p: c.p, store, defaultTtl, callerIp: c.callerIp }) },
    '/api/zones/records/update': { auth: true, run: (c) => updateRecord({ p: c.p, store, defaultTtl, callerIp: c.callerIp }) },
    '/api/zones/records/delete': { auth: true, run: (c) => deleteRecord({ p: c.p, store, defaultTtl, callerIp: c.callerIp }) },
    '/api/zones/records/get': { auth: true, run: (c) => getRecords({ p: c.p, store, defaultTtl, callerIp: c.callerIp }) },
    '/api/dashboard/stats/get': { auth: true, run: (c) => dashboardStats(c.p, store, stats) },
    '/api/cache/flush': { auth: true, run: () => { stats.cachedEntries = 0; return {}; } },
    '/api/settings/get': {
      auth: true,
      run: () => ({ ...info, enableBlocking: true, blockingType: 'AnyAddress', blockListUrls: ['https://raw.githubusercontent.com/StevenBlack/hosts/master/hosts'], blockListUpdateIntervalHours: 24, temporaryDisableBlockingTill: null }),
    },
  };

  const envelope = (body: Record<string, unknown>): Record<string, unknown> => (major >= 14 ? { ...body, server: LAB_NAME_SERVER } : body);

  const server = await startSimServer({
    name: 'dns',
    port: options.port,
    tls: options.tls,
    faults: { latencyMs: options.latencyMs ?? 0 },
    async handle(sim) {
      const path = LEGACY[sim.path] ?? sim.path;
      // Every `/api/*` call is answered 200 with a status, an unknown one too (after the token check,
      // as the server does); only a path outside `/api/` is a bare 404.
      const route = routes[path] ?? (path.startsWith('/api/') ? unknownApi(path) : undefined);
      if (!route || (sim.method !== 'GET' && sim.method !== 'POST')) {
        sendText(sim.res, 404, '');
        return;
      }
      const p = new Params(sim);
      const call: DnsCall = { p, sim, callerIp: sim.req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1' };
      try {
        if (route.auth) {
          const checked = auth.check(auth.tokenOf(sim.req.headers.authorization, p));
          call.token = checked.token;
          call.username = checked.session.username;
        }
        const result = (await route.run(call)) as Record<string, unknown>;
        sendJson(sim.res, 200, route.flat ? { ...envelope(result), status: 'ok' } : envelope({ response: result, status: 'ok' }));
      } catch (err) {
        if (err instanceof DnsSimInvalidToken) {
          sim.log.authRefused = true;
          sendJson(sim.res, 200, envelope({ status: 'invalid-token', errorMessage: err.message }));
        }
        else if (err instanceof DnsSimTwoFactorRequired) sendJson(sim.res, 200, envelope({ status: '2fa-required', errorMessage: err.message }));
        else if (err instanceof DnsSimError) sendJson(sim.res, 200, envelope({ status: 'error', errorMessage: err.message }));
        else throw err;
      }
    },
  });
  return {
    ...server,
    service: 'dns',
    configSection: { url: server.url, zone: 'home.lan', ...(server.fingerprint ? { fingerprint: server.fingerprint } : {}) },
    credentials: { dir: 'dns', values: { DNS_TOKEN: apiToken } },
    store, auth, stats, apiToken, admin,
    advanceClock(ms) { offset += ms; },
  };
}
