/**
 * @module services/kuma/session
 * One Socket.IO session with Uptime Kuma (socket.io-client, imported lazily). Auth lives
 * with the connection: on every (re)connect the session logs in again with the cached
 * token (`loginByToken`), falling back to `login` with the password and, when the server
 * answers `tokenRequired`, a TOTP code. It keeps the monitor map and heartbeats the server
 * pushes after login up to date. Every call has a time limit; auth and read calls are
 * retried when unanswered (a server that just started drops the first calls) or when the
 * connection dropped, changes only when they were never sent.
 */
import type { Socket } from 'socket.io-client';
import { AuthError, ConfigError, ExitCode, HomelabError, TimeoutError, UnreachableError, UsageError } from '../../core/errors.js';
import { expectShape } from '../../core/http/index.js';
import { ackMessage, ackSchema, type Ack } from './messages.js';
import { beatFromLive, beatFromRow, monitorSchema, type Beat, type Monitor } from './monitor.js';
import { pinnedAgent } from './pinned-agent.js';
import type { KumaTokenCache } from './token-cache.js';

/** What a session needs. */
export interface KumaSessionOptions {
  url: string;
  username: string;
  password: string;
  totpSecret?: string;
  prompt?: (question: string, options?: { secret?: boolean }) => Promise<string>;
  tokens: KumaTokenCache;
  /** Time limit of one call. */
  timeoutMs: number;
  fingerprint?: string;
  progress?: (note: string) => void;
}

/** The connection dropped; `sent` tells whether the call had gone out. */
class ConnectionLost extends Error {
  constructor(readonly sent: boolean) {
    super('connection lost');
  }
}

/** A call got no answer in time. */
class NoAnswer extends Error {}

/** A logged-in Socket.IO session. */
export class KumaSession {
  readonly monitors = new Map<number, Monitor>();
  readonly heartbeats = new Map<number, Beat[]>();
  /** Server version from the `info` push after login (undefined until then). */
  version: string | undefined;
  /** How this session authenticated, per connection: tests and progress read it. */
  readonly logins = { token: 0, password: 0 };
  private socket!: Socket;
  private auth: Promise<void> | undefined;
  private token: string | undefined;
  private listSeen = false;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(private readonly options: KumaSessionOptions) {}

  /** Connects and logs in. */
  static async open(options: KumaSessionOptions): Promise<KumaSession> {
    const session = new KumaSession(options);
    try {
      await session.start();
    } catch (err) {
      session.close();
      throw err;
    }
    return session;
  }

  private async start(): Promise<void> {
    const { io } = await import('socket.io-client');
    const secure = this.options.url.startsWith('https:');
    this.socket = io(this.options.url, {
      transports: ['websocket'], reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 2000, timeout: this.options.timeoutMs,
      // engine.io-client types `agent` as string | boolean, but hands it to ws (and so to https.request) as is.
      ...(secure && this.options.fingerprint ? { agent: pinnedAgent('kuma', this.options.fingerprint) as unknown as string } : {}),
    });
    const s = this.socket;
    s.on('connect', () => {
      this.auth ??= this.authenticate();
      this.auth.catch(() => undefined);
    });
    s.on('disconnect', (reason) => {
      this.auth = undefined;
      if (reason === 'io server disconnect' && !this.closed) s.connect();
    });
    s.on('monitorList', (list: unknown) => {
      this.monitors.clear();
      this.mergeMonitors(list);
      this.listSeen = true;
      this.notify();
    });
    s.on('updateMonitorIntoList', (list: unknown) => { this.mergeMonitors(list); this.notify(); });
    s.on('deleteMonitorFromList', (id: unknown) => { this.monitors.delete(Number(id)); this.notify(); });
    s.on('heartbeatList', (id: unknown, rows: unknown) => {
      // The server sends the latest 100 beats of a monitor after every login: replace, never append.
      const beats = Array.isArray(rows) ? rows.map(beatFromRow).filter((b): b is Beat => b !== undefined) : [];
      this.heartbeats.set(Number(id), beats);
      this.notify();
    });
    s.on('heartbeat', (raw: unknown) => {
      const beat = beatFromLive(raw);
      if (beat) this.heartbeats.set(beat.monitorId, [...(this.heartbeats.get(beat.monitorId) ?? []), beat]);
      this.notify();
    });
    s.on('info', (info: { version?: unknown }) => {
      if (typeof info?.version === 'string') this.version = info.version;
    });
    await this.ready();
  }

  private mergeMonitors(list: unknown): void {
    if (!list || typeof list !== 'object') return;
    for (const raw of Object.values(list as Record<string, unknown>)) {
      const parsed = monitorSchema.safeParse(raw);
      if (parsed.success) this.monitors.set(parsed.data.id, parsed.data);
    }
  }

  private notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `done()` holds (re-checked on every push), or after `ms`. */
  private waitFor(done: () => boolean, ms: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wake = (): void => {
        if (!done()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(done()), ms);
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(value);
      };
      this.waiters.add(wake);
    });
  }

  private connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(new UnreachableError('kuma', `cannot connect to ${this.options.url} (Socket.IO): no connection within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      const onConnect = (): void => done();
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        if (err) reject(err);
        else resolve();
      };
      this.socket.on('connect', onConnect);
    });
  }

  /** Connected and logged in on the current connection. */
  async ready(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.connected();
      this.auth ??= this.authenticate();
      try {
        return await this.auth;
      } catch (err) {
        if (err instanceof ConnectionLost && attempt < 3) continue;
        if (err instanceof ConnectionLost) throw new UnreachableError('kuma', 'the connection dropped while logging in');
        throw err;
      }
    }
  }

  private emit(event: string, args: unknown[], ms: number): Promise<Ack> {
    const s = this.socket;
    return new Promise((resolve, reject) => {
      if (!s.connected) return reject(new ConnectionLost(false));
      const onDisconnect = (): void => { s.off('disconnect', onDisconnect); reject(new ConnectionLost(true)); };
      s.on('disconnect', onDisconnect);
      s.timeout(ms).emit(event, ...args, (err: Error | null, value: unknown) => {
        s.off('disconnect', onDisconnect);
        if (err) return reject(new NoAnswer(event));
        resolve(expectShape('kuma', event, ackSchema, value ?? {}));
      });
    });
  }

  /** An auth call: retried while unanswered (attempts of at most 3 s), for up to three times the time limit. */
  private async authCall(event: string, args: unknown[]): Promise<Ack> {
    const started = Date.now();
    const attemptMs = Math.min(this.options.timeoutMs, 3000);
    for (;;) {
      try {
        return await this.emit(event, args, attemptMs);
      } catch (err) {
        if (err instanceof NoAnswer && Date.now() - started < this.options.timeoutMs * 3) continue;
        if (err instanceof NoAnswer) throw new TimeoutError('kuma', Date.now() - started, event);
        throw err;
      }
    }
  }

  private async authenticate(): Promise<void> {
    this.listSeen = false;
    const cached = this.token ?? this.options.tokens.read();
    if (cached) {
      const res = await this.authCall('loginByToken', [cached]);
      if (res.ok === true) {
        this.token = cached;
        this.logins.token++;
        return;
      }
      this.options.tokens.clear();
      this.token = undefined;
    }
    this.options.progress?.('logging in to Uptime Kuma');
    const creds = { username: this.options.username, password: this.options.password };
    let res = await this.authCall('login', [creds]);
    if (res.tokenRequired === true) res = await this.authCall('login', [{ ...creds, token: await this.totpCode() }]);
    if (res.ok !== true || typeof res.token !== 'string') {
      const why = ackMessage(res) || 'login refused';
      throw new AuthError('kuma', `login refused: ${why}`,
        res.msg === 'authInvalidToken' || /token/i.test(why) ? 'the 2FA code was wrong or already used; check KUMA_TOTP_SECRET or wait for the next code' : 'check KUMA_USERNAME and KUMA_PASSWORD in the kuma credentials file');
    }
    this.token = res.token;
    this.options.tokens.write(res.token);
    this.logins.password++;
  }

  private async totpCode(): Promise<string> {
    if (this.options.totpSecret) {
      const { TOTP, Secret } = await import('otpauth');
      let secret: InstanceType<typeof Secret>;
      try {
        secret = Secret.fromBase32(this.options.totpSecret.replace(/\s+/g, '').toUpperCase());
      } catch {
        throw new ConfigError('KUMA_TOTP_SECRET in the kuma credentials file is not a base32 secret');
      }
      return new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
    }
    if (this.options.prompt) {
      const code = (await this.options.prompt('Uptime Kuma 2FA code:')).trim();
      if (!/^\d{6}$/.test(code)) throw new UsageError('a 2FA code is 6 digits');
      return code;
    }
    throw new ConfigError('2FA is on for the Uptime Kuma user and there is no way to get a code here',
      'add KUMA_TOTP_SECRET (the base32 secret) to the kuma credentials file, or run the command in a terminal to type the code');
  }

  /**
   * Sends an event and returns its answer (`ok` not checked). `idempotent` calls are
   * retried when unanswered or cut off; others only when they never went out.
   */
  async call(event: string, args: unknown[], idempotent: boolean): Promise<Ack> {
    const deadline = Date.now() + this.options.timeoutMs * 2;
    for (let attempt = 1; ; attempt++) {
      await this.ready();
      try {
        const ack = await this.emit(event, args, this.options.timeoutMs);
        if (ack.ok === false && ack.msg === 'You are not logged in.' && attempt < 3) {
          this.auth = undefined;
          continue;
        }
        return ack;
      } catch (err) {
        const again = Date.now() < deadline && attempt < 4;
        if (err instanceof ConnectionLost && (!err.sent || idempotent) && again) continue;
        if (err instanceof NoAnswer && idempotent && again) continue;
        if (err instanceof NoAnswer) throw new TimeoutError('kuma', this.options.timeoutMs, event);
        if (err instanceof ConnectionLost) throw new UnreachableError('kuma', `the connection dropped during ${event}; it may or may not have been done`, 'check with: homelab kuma list');
        throw err;
      }
    }
  }

  /** Like `call`, but a refused answer (`ok: false`) throws an ApiError-style failure with the server's message. */
  async expectOk(event: string, args: unknown[], idempotent: boolean): Promise<Ack> {
    const ack = await this.call(event, args, idempotent);
    if (ack.ok !== true) throw new KumaRefused(event, ackMessage(ack) || 'refused');
    return ack;
  }

  /** The monitor map, once the server pushed it after login (asked for again if it did not). */
  async monitorList(): Promise<Map<number, Monitor>> {
    await this.ready();
    if (!(await this.waitFor(() => this.listSeen, this.options.timeoutMs))) {
      await this.expectOk('getMonitorList', [], true);
      if (!(await this.waitFor(() => this.listSeen, this.options.timeoutMs))) throw new TimeoutError('kuma', this.options.timeoutMs, 'monitorList');
    }
    return this.monitors;
  }

  /** Waits (up to the time limit) for the heartbeat lists of these monitors; returns what arrived. */
  async heartbeatsOf(ids: readonly number[]): Promise<Map<number, Beat[]>> {
    await this.waitFor(() => ids.every((id) => this.heartbeats.has(id)), this.options.timeoutMs);
    return this.heartbeats;
  }

  /** Disconnects for good. */
  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}

/** The server answered `ok: false`: exit 1 with its message. */
export class KumaRefused extends HomelabError {
  override readonly name = 'KumaRefused';
  constructor(readonly event: string, readonly serverMessage: string) {
    super(`kuma: ${event} refused: ${serverMessage}`, ExitCode.failed);
  }
}
