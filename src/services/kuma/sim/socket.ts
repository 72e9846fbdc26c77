/**
 * @module services/kuma/sim/socket
 * The Socket.IO side of the simulated Uptime Kuma (shared/api/uptime-kuma.md §1–4): on
 * connect `info` then `loginRequired`; `login` (with the 2FA `tokenRequired` step),
 * `loginByToken`, then the after-login pushes (`monitorList` keyed by id, `info` with the
 * version a few ms later, a pause, `heartbeatList` per monitor, 1.23's `importantHeartbeatList`, `avgPing`,
 * `uptime`, `certInfo`); and the monitor events with both callback styles (1.23 English
 * text, 2.x i18n keys with `msgi18n: true`) and both list updates (1.23 re-sends
 * `monitorList`, 2.x `updateMonitorIntoList`). Auth lives with the connection.
 */
import type { Server, Socket } from 'socket.io';
import type { KumaAuth } from './auth.js';
import { takeFault, type KumaFaults } from './faults.js';
import { monitorEvents, ROOM, type On, type Reply, type SimHelpers } from './monitor-events.js';
import type { BeatRow, KumaState } from './state.js';

/** One event a client sent (for tests to inspect). */
export interface LoggedEvent {
  socket: string;
  event: string;
  args: unknown[];
}

/** What the handlers need. */
export interface SocketDeps {
  io: Server;
  state: KumaState;
  auth: KumaAuth;
  version: string;
  afterLoginDelayMs: number;
  /** How long after `monitorList` the `info` push with the version follows. */
  infoDelayMs: number;
  /** Each connection's first N events go unanswered (a server still starting). */
  unansweredFirstCalls: number;
  events: LoggedEvent[];
  /** Socket.IO faults (slow, silent, dropped, malformed), read on every event. */
  faults: KumaFaults;
  /** Called with the API key created by `addAPIKey`. */
  onApiKey(clear: string): void;
  /** Writes the push checks due by now and sends their beats live (push-checks.ts): before every read. */
  runPushChecks(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A heartbeat as the live `heartbeat` event carries it (camelCase). */
export function liveBeat(row: BeatRow, v2: boolean): Record<string, unknown> {
  return {
    monitorID: row.monitor_id, status: row.status, time: row.time, msg: row.msg, ping: row.ping, important: row.important === 1,
    duration: row.duration, ...(v2 ? { retries: row.retries ?? 0 } : {}),
  };
}

/** Registers the Socket.IO handlers. */
export function attachSocketHandlers(deps: SocketDeps): void {
  const { io, state, auth } = deps;
  const v2 = state.v2;
  const m = (english: string, key: string): { msg: string; msgi18n?: true } => (v2 ? { msg: key, msgi18n: true } : { msg: english });
  const toJSON = (id: number): Record<string, unknown> => {
    const stored = state.monitors.get(id) ?? {};
    return { ...structuredClone(stored), pathName: stored.name, childrenIDs: [], tags: [], maintenance: false, forceInactive: false, weight: 2000 };
  };
  const list = (): Record<string, Record<string, unknown>> => (deps.faults.monitorListPush !== undefined
    ? deps.faults.monitorListPush as Record<string, Record<string, unknown>>
    : Object.fromEntries([...state.monitors.keys()].map((id) => [String(id), toJSON(id)])));
  const listUpdate = (id: number): void => {
    if (v2) io.to(ROOM).emit('updateMonitorIntoList', { [String(id)]: toJSON(id) });
    else io.to(ROOM).emit('monitorList', list());
  };
  const emitBeat = (row: BeatRow | undefined): void => {
    if (row) io.to(ROOM).emit('heartbeat', liveBeat(row, v2));
  };
  const ownedId = (value: unknown): number => {
    const id = Number(value);
    if (!state.monitors.has(id)) throw new Error('You do not own this monitor.');
    return id;
  };

  const helpers: SimHelpers = { deps, m, toJSON, list, listUpdate, emitBeat, ownedId };

  const sendStats = (socket: Socket, id: number): void => {
    socket.emit('avgPing', id, state.avgPing(id));
    socket.emit('uptime', id, 24, state.uptime(id, 24));
    socket.emit('uptime', id, 720, state.uptime(id, 720));
    if (v2) socket.emit('uptime', id, '1y', state.uptime(id, 8760));
    const days = state.certDays.get(id);
    if (days !== undefined) {
      const host = new URL(String(state.monitors.get(id)?.url)).hostname;
      const validTo = new Date(Date.now() + days * 86_400_000).toUTCString();
      socket.emit('certInfo', id, JSON.stringify({
        valid: days > 0,
        certInfo: {
          subject: { CN: host }, issuer: { C: 'US', O: "Let's Encrypt", CN: 'R11' }, subjectaltname: `DNS:${host}`,
          valid_from: new Date(Date.now() - (90 - days) * 86_400_000).toUTCString(), valid_to: validTo, daysRemaining: days,
          validFor: [host], certType: 'server', fingerprint256: 'AA:BB:CC', serialNumber: '04A1B2C3',
          issuerCertificate: { subject: { CN: 'R11' }, daysRemaining: 400, certType: 'intermediate CA' },
        },
      }));
    }
  };

  const afterLogin = async (socket: Socket): Promise<void> => {
    deps.runPushChecks();
    await socket.join(ROOM);
    socket.emit('monitorList', list());
    // Kuma does not await `sendInfo`, which reads settings first: `info` arrives a few ms after `monitorList`.
    setTimeout(() => socket.emit('info', {
      version: deps.version, latestVersion: deps.version, primaryBaseURL: null, serverTimezone: 'Europe/Berlin', serverTimezoneOffset: '+01:00',
      isContainer: true, ...(v2 ? { dbType: 'sqlite', runtime: { platform: 'linux', arch: 'x64' } } : {}),
    }), deps.infoDelayMs);
    socket.emit('proxyList', []);
    socket.emit('dockerHostList', []);
    socket.emit('apiKeyList', auth.apiKeys.map((k) => ({ id: k.id, name: k.name, userID: 1, active: k.active, expires: null, status: k.active ? 'active' : 'inactive' })));
    await sleep(deps.afterLoginDelayMs);
    socket.emit('statusPageList', {});
    const ids = [...state.monitors.keys()];
    const pushOf = deps.faults.heartbeatListPushOf;
    for (const id of ids) {
      const rows = pushOf?.monitorId === id ? pushOf.value : deps.faults.heartbeatListPush ?? (state.beats.get(id) ?? []).slice(-100);
      socket.emit('heartbeatList', String(id), rows, false);
    }
    if (!v2) {
      for (const id of ids) socket.emit('importantHeartbeatList', String(id), (state.beats.get(id) ?? []).filter((b) => b.important).slice(-500), false);
    }
    for (const id of ids) sendStats(socket, id);
    socket.emit('notificationList', []);
    socket.emit('maintenanceList', {});
  };

  io.on('connection', (socket) => {
    let swallowed = 0;
    const loggedIn = (): boolean => socket.data.userID === 1;
    const on: On = (event, guarded, handler) => {
      socket.on(event, async (...raw: unknown[]) => {
        deps.events.push({ socket: socket.id, event, args: raw.filter((a) => typeof a !== 'function') });
        if (swallowed < deps.unansweredFirstCalls) { swallowed++; return; }
        const { faults } = deps;
        if (takeFault(faults.hang, event)) return;
        if (faults.eventLatencyMs > 0) await sleep(faults.eventLatencyMs);
        const last = raw[raw.length - 1];
        const answer: Reply = typeof last === 'function' ? (last as Reply) : () => undefined;
        const args = typeof last === 'function' ? raw.slice(0, -1) : raw;
        if (takeFault(faults.refuse, event)) return answer({ ok: false, msg: faults.refuse?.msg ?? 'refused' });
        if (takeFault(faults.bareOk, event)) return answer({ ok: true });
        if (takeFault(faults.answer, event)) return answer(faults.answer?.value);
        const drop = takeFault(faults.dropAfter, event);
        const bad = takeFault(faults.badAnswer, event);
        const huge = takeFault(faults.oversizedAfter, event);
        // A dropped call was carried out; only its answer is lost with the connection (closed by us, or by the client at its cap).
        const reply: Reply = drop ? () => socket.conn.close() : huge ? () => socket.emit('monitorList', { 1: 'x'.repeat(33 * 1024 * 1024) })
          : bad ? () => answer('<html>502 Bad Gateway</html>') : answer;
        try {
          if (guarded && !loggedIn()) throw new Error('You are not logged in.');
          await handler(args, reply, raw);
        } catch (err) {
          reply({ ok: false, msg: err instanceof Error ? err.message : String(err) });
        }
      });
    };
    socket.emit('info', { primaryBaseURL: null, serverTimezone: 'Europe/Berlin', serverTimezoneOffset: '+01:00', isContainer: true });
    socket.emit('loginRequired');

    on('needSetup', false, (_args, reply) => reply(false));
    on('login', false, async ([data], reply) => {
      if (!auth.allowLogin()) return reply({ ok: false, msg: 'Too frequently, try again later.' });
      const d = (data ?? {}) as { username?: unknown; password?: unknown; token?: unknown };
      if (typeof d.username !== 'string' || typeof d.password !== 'string' || !auth.checkPassword(d.username, d.password)) {
        return reply({ ok: false, ...m('Incorrect username or password.', 'authIncorrectCreds') });
      }
      if (auth.totpSecret) {
        if (!d.token) return reply({ tokenRequired: true });
        if (!(await auth.checkTotp(String(d.token)))) return reply({ ok: false, ...m('Invalid Token!', 'authInvalidToken') });
      }
      socket.data.userID = 1;
      reply({ ok: true, token: auth.issue() });
      void afterLogin(socket);
    });
    on('loginByToken', false, ([token], reply) => {
      if (typeof token !== 'string' || !auth.verify(token)) return reply({ ok: false, ...m('Invalid token.', 'authInvalidToken') });
      socket.data.userID = 1;
      reply({ ok: true });
      void afterLogin(socket);
    });
    on('logout', false, async (_args, reply) => {
      socket.data.userID = undefined;
      await socket.leave(ROOM);
      reply(undefined);
    });
    on('twoFAStatus', true, (_args, reply) => reply({ ok: true, status: Boolean(auth.totpSecret) }));
    monitorEvents(helpers, on, socket);
  });
}
