/**
 * @module services/kuma/sim/server
 * The Uptime Kuma simulator: one HTTP server from node:http on 127.0.0.1 carrying
 * Socket.IO v4 (see `socket.ts`), `/metrics` (HTTP Basic: an API key as the password once
 * a key exists, the user's password before) and push URLs `/api/push/<token>` (GET only on
 * 1.23, any method on 2.x). `version` picks the 1.23.17 or 2.5.3 behaviour. Push monitors
 * go DOWN when no push comes within their interval, worked out on every read (push-checks.ts):
 * no timers.
 */
import type { LabSim, SimStartOptions } from '../../../lab/lab.js';
import { sendJson, sendText, startSimServer, type SimRequest } from '../../../lab/sim-server.js';
import { KumaAuth } from './auth.js';
import { noKumaFaults, type KumaFaults } from './faults.js';
import { renderMetrics } from './metrics.js';
import { attachSocketHandlers, liveBeat, type LoggedEvent } from './socket.js';
import { runDuePushChecks } from './push-checks.js';
import { KumaState, seedState } from './state.js';

/** Options of the Kuma simulator. */
export interface KumaSimOptions extends SimStartOptions {
  /** Server version: `2.5.3` (default) or a 1.x such as `1.23.17` (English callback messages, no 2.x columns). */
  version?: string;
  username?: string;
  password?: string;
  /** Base32 TOTP secret: 2FA is on and `login` wants a code. */
  totpSecret?: string;
  /** Create an API key at start (default true): `/metrics` then accepts only API keys. */
  apiKey?: boolean;
  /** Pause between `monitorList` and the heartbeat lists after login (Kuma sleeps 500 ms). */
  afterLoginDelayMs?: number;
  /** How long after `monitorList` the `info` push (with the version) follows; default 10 ms, as Kuma reads settings first. */
  infoDelayMs?: number;
  /** Start with no monitors (a fresh server) instead of the lab's. */
  empty?: boolean;
  /** Each connection's first N events go unanswered, as on a server that just started. */
  unansweredFirstCalls?: number;
  /** Logins allowed per minute (Kuma: 20). */
  loginsPerMinute?: number;
  /** Serve HTTPS with a self-signed certificate (behind a TLS proxy); `configSection` then pins its fingerprint. */
  tls?: boolean;
}

/** A running Kuma simulator. */
export interface KumaSim extends LabSim {
  state: KumaState;
  auth: KumaAuth;
  /** Every Socket.IO event clients sent, in order. */
  events: LoggedEvent[];
  /** Kuma-specific faults (Socket.IO and `/metrics`); the HTTP ones are in `faults`. */
  kumaFaults: KumaFaults;
  /** The id of the monitor with this name. */
  monitorId(name: string): number;
  /** The push URL of a push monitor. */
  pushUrl(name: string): string;
  /** Closes every client's transport (a network drop): clients reconnect on their own. */
  dropConnections(): void;
  /** How many Socket.IO clients are connected. */
  connectionCount(): number;
}

function basicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  const match = /^basic\s+(.+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

/** Starts the Uptime Kuma simulator. */
export async function startKumaSim(options: KumaSimOptions = {}): Promise<KumaSim> {
  const version = options.version ?? '2.5.3';
  const v2 = !version.startsWith('1.');
  const state = new KumaState(v2);
  if (!options.empty) seedState(state, Date.now());
  const kumaFaults = noKumaFaults();
  const username = options.username ?? 'admin';
  const password = options.password ?? 'kuma-lab-password';
  const auth = new KumaAuth(username, password, options.totpSecret, options.loginsPerMinute ?? 20);
  let apiKey = options.apiKey === false ? undefined : auth.addApiKey('homelab');
  const events: LoggedEvent[] = [];
  const { Server } = await import('socket.io');

  /** Push checks due by now (push-checks.ts), their beats sent live to logged-in sockets. */
  const runPushChecks = (): void => {
    for (const row of runDuePushChecks(state)) io.to('user:1').emit('heartbeat', liveBeat(row, v2));
  };

  const handle = (sim: SimRequest): void => {
    const { res, method, path } = sim;
    if (path === '/metrics' && method === 'GET') {
      const creds = basicAuth(sim.req.headers.authorization);
      const ok = creds && (auth.apiKeys.length ? auth.checkApiKey(creds.pass) : auth.checkPassword(creds.user, creds.pass));
      if (!ok) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Uptime Kuma"', 'content-length': 0 });
        res.end();
        return;
      }
      if (kumaFaults.metrics) return sendText(res, kumaFaults.metrics.status, kumaFaults.metrics.body, undefined, kumaFaults.metrics.contentType);
      runPushChecks();
      const text = renderMetrics(state);
      if (kumaFaults.metricsResetMidBody > 0) {
        kumaFaults.metricsResetMidBody--;
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => sim.req.socket.destroy());
        return;
      }
      return sendText(res, 200, text, undefined, 'text/plain; version=0.0.4; charset=utf-8');
    }
    const push = /^\/api\/push\/([^/]+)$/.exec(path);
    if (push && (method === 'GET' || v2)) {
      const token = decodeURIComponent(push[1] as string);
      const entry = [...state.monitors.entries()].find(([, m]) => m.type === 'push' && m.pushToken === token && m.active);
      if (!entry) return sendJson(res, 404, { ok: false, msg: 'Monitor not found or not active.' });
      const ping = sim.query.get('ping');
      const pingValue = ping === null || ping === '' ? null : Number(ping);
      if (pingValue !== null && (!Number.isFinite(pingValue) || (v2 && (pingValue < 0 || pingValue > 1e11)))) {
        return sendJson(res, 404, { ok: false, msg: 'Invalid ping value' });
      }
      runPushChecks();
      const status = (sim.query.get('status') ?? 'up') === 'up' ? 1 : 0;
      const row = state.beat(entry[0], status, sim.query.get('msg') ?? 'OK', pingValue);
      io.to('user:1').emit('heartbeat', liveBeat(row, v2));
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/api/entry-page') return sendJson(res, 200, { type: 'entryPage', entryPage: 'dashboard' });
    sendText(res, 404, `Cannot ${method} ${path}`, undefined, 'text/html; charset=utf-8');
  };

  const server = await startSimServer({ name: 'kuma', tls: options.tls, handle, faults: { latencyMs: options.latencyMs ?? 0 } });
  const io = new Server(server.server, {
    serveClient: false,
    allowRequest: (req, callback) => {
      // A websocket handshake carrying an Origin must match Host (Node clients send none).
      const origin = req.headers.origin;
      if (origin && req.headers.upgrade && new URL(origin).host !== req.headers.host) return callback('origin not allowed', false);
      callback(null, true);
    },
  });
  attachSocketHandlers({
    io, state, auth, version, events, faults: kumaFaults,
    afterLoginDelayMs: options.afterLoginDelayMs ?? 500,
    infoDelayMs: options.infoDelayMs ?? 10,
    unansweredFirstCalls: options.unansweredFirstCalls ?? 0,
    onApiKey: (clear) => { apiKey ??= clear; },
    runPushChecks,
  });
  const find = (name: string): number => {
    const entry = [...state.monitors.entries()].find(([, m]) => m.name === name);
    if (!entry) throw new Error(`the Kuma simulator has no monitor ${name}`);
    return entry[0];
  };
  return {
    ...server,
    service: 'kuma',
    configSection: { url: server.url, ...(server.fingerprint ? { fingerprint: server.fingerprint } : {}) },
    credentials: {
      dir: 'kuma',
      values: {
        ...(apiKey ? { KUMA_API_KEY: apiKey } : {}), KUMA_USERNAME: username, KUMA_PASSWORD: password,
        ...(options.totpSecret ? { KUMA_TOTP_SECRET: options.totpSecret } : {}),
      },
    },
    state, auth, events, kumaFaults,
    monitorId: find,
    pushUrl: (name) => `${server.url}/api/push/${String(state.monitors.get(find(name))?.pushToken)}?status=up&msg=OK&ping=`,
    dropConnections: () => { for (const socket of io.of('/').sockets.values()) socket.conn.close(); },
    connectionCount: () => io.of('/').sockets.size,
    close: () => new Promise<void>((resolve) => {
      server.server.closeAllConnections?.();
      void io.close(() => resolve());
    }),
  };
}
