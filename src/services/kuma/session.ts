/**
 * @module services/kuma/session
 * One Socket.IO session with Uptime Kuma (socket.io-client, imported lazily). Auth lives
 * with the connection: on every (re)connect the session logs in again with the cached
 * token (`loginByToken`), falling back to `login` with the password and, when the server
 * answers `tokenRequired`, a TOTP code. It keeps the monitor map and heartbeats the server
 * pushes after login up to date. Every call has a time limit; auth and read calls are
 * retried when unanswered (a server that just started drops the first calls) or when the
 * connection dropped, changes only when they were never sent (never twice).
 */
import { registerSecret } from '../../core/redact.js';
import type { Socket } from 'socket.io-client';
import { AuthError, ExitCode, HomelabError, TimeoutError, TlsError, UnreachableError } from '../../core/errors.js';
import { expectShape, serverText } from '../../core/http/index.js';
import { ackMessage, ackSchema, type Ack } from './messages.js';
import type { Beat, Monitor } from './monitor.js';
import { pinnedAgent } from './pinned-agent.js';
import { PushedState } from './pushed-state.js';
import type { KumaTokenCache } from './token-cache.js';
import { totpCode } from './totp.js';

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
  private readonly pushed = new PushedState();
  /** How this session authenticated, per connection: tests and progress read it. */
  readonly logins = { token: 0, password: 0 };
  private socket!: Socket;
  private auth: Promise<void> | undefined;
  private token: string | undefined;
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
    this.options.progress?.(`connecting to Uptime Kuma at ${this.options.url}`);
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
    this.pushed.attach(s);
    await this.ready();
  }

  /**
   * Resolves once connected. Connection errors are retried by socket.io-client (backoff
   * from 100 ms, doubling) until the time limit, so a server that is slow to accept comes
   * back; a port that refuses the connection `REFUSED_ATTEMPTS` times in a row ends it
   * then, as the HTTP reads give up on a refused port, and a refused certificate pin at once.
   */
  private connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let last = '';
      let refused = 0;
      const timer = setTimeout(() => done(new UnreachableError('kuma',
        `cannot connect to ${this.options.url} (Socket.IO): ${last || 'no connection'} within ${formatSeconds(this.options.timeoutMs)}`)), this.options.timeoutMs);
      const onConnect = (): void => done();
      const onError = (err: Error & { description?: unknown }): void => {
        // engine.io wraps the transport's error: an Error, or ws's ErrorEvent carrying it in `error`.
        const described = err.description as { error?: unknown } | undefined;
        const cause = described instanceof Error ? described : described?.error instanceof Error ? described.error : err;
        if (cause instanceof TlsError) return done(cause);
        last = (cause as { code?: string }).code ?? serverText(cause.message, 80);
        refused = last === 'ECONNREFUSED' ? refused + 1 : 0;
        if (refused >= REFUSED_ATTEMPTS) {
          done(new UnreachableError('kuma', `cannot connect to ${this.options.url} (Socket.IO): ECONNREFUSED after ${refused} attempts`));
        }
      };
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
        if (err) reject(err);
        else resolve();
      };
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
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
        try {
          resolve(expectShape('kuma', event, ackSchema, value ?? {}));
        } catch (shapeErr) {
          reject(shapeErr);
        }
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
    this.pushed.listSeen = false;
    const cached = this.token ?? this.options.tokens.read();
    registerSecret(cached);
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
    if (res.tokenRequired === true) res = await this.authCall('login', [{ ...creds, token: await totpCode(this.options) }]);
    if (res.ok !== true || typeof res.token !== 'string') {
      const why = ackMessage(res) || 'login refused';
      throw new AuthError('kuma', `login refused: ${why}`,
        res.msg === 'authInvalidToken' || /token/i.test(why) ? 'the 2FA code was wrong or already used; check KUMA_TOTP_SECRET or wait for the next code' : 'check KUMA_USERNAME and KUMA_PASSWORD in the kuma credentials file');
    }
    this.token = res.token;
    registerSecret(res.token);
    this.options.tokens.write(res.token);
    this.logins.password++;
  }

  /**
   * Sends an event and returns its answer (`ok` not checked). `idempotent` calls (reads)
   * are retried, with backoff, when unanswered or cut off; changes only when they never
   * went out, so a change is never sent twice.
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
        if (err instanceof ConnectionLost && (!err.sent || idempotent) && again) {
          await sleep(250 * 2 ** (attempt - 1));
          continue;
        }
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
    const seen = (): boolean => this.pushed.listSeen;
    if (!(await this.pushed.waitFor(seen, this.options.timeoutMs))) {
      await this.expectOk('getMonitorList', [], true);
      if (!(await this.pushed.waitFor(seen, this.options.timeoutMs))) throw new TimeoutError('kuma', this.options.timeoutMs, 'monitorList');
    }
    return this.pushed.monitors;
  }

  /**
   * After a change of its own (add, edit, pause, resume, delete): waits, at most
   * `SETTLE_MS` (or the time limit when shorter), until the pushed monitor list `shows` it,
   * asking for the list once more when it does not. Kuma answers a delete before it pushes
   * the list (and 2.x pushes only what changed), so a read right after the answer (the bot's
   * next command, a plan's next step) would otherwise see the monitor that is gone. Never
   * fails: the change is done; a list that never catches up is read again on the next login.
   */
  async settle(shows: (monitors: ReadonlyMap<number, Monitor>) => boolean): Promise<void> {
    const ms = Math.min(SETTLE_MS, this.options.timeoutMs);
    if (await this.pushed.waitFor(() => shows(this.pushed.monitors), ms)) return;
    await this.call('getMonitorList', [], true).catch(() => undefined);
    await this.pushed.waitFor(() => shows(this.pushed.monitors), ms);
  }

  /** Waits (up to the time limit) for the heartbeat lists of these monitors; returns what arrived. */
  async heartbeatsOf(ids: readonly number[]): Promise<Map<number, Beat[]>> {
    await this.pushed.waitFor(() => ids.every((id) => this.pushed.heartbeats.has(id)), this.options.timeoutMs);
    return this.pushed.heartbeats;
  }

  /** The monitor map as last pushed (kept current by the server's pushes). */
  get monitors(): Map<number, Monitor> {
    return this.pushed.monitors;
  }

  /** Server version from the `info` push after login (undefined until then). */
  get version(): string | undefined {
    return this.pushed.version;
  }

  /** The server version, waiting (up to the time limit) for the `info` push that follows login; undefined if it never came. */
  async serverVersion(): Promise<string | undefined> {
    await this.ready();
    await this.pushed.waitFor(() => this.pushed.version !== undefined, this.options.timeoutMs);
    return this.pushed.version;
  }

  /** Disconnects for good. */
  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}

/** Longest wait for the pushed monitor list to show a change of the session's own (`settle`). */
const SETTLE_MS = 5000;

/** Refused connections in a row after which a connect gives up, like an HTTP read's three attempts. */
const REFUSED_ATTEMPTS = 3;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** The server answered `ok: false`: exit 1 with its message. */
export class KumaRefused extends HomelabError {
  override readonly name = 'KumaRefused';
  constructor(readonly event: string, readonly serverMessage: string) {
    super(`kuma: ${event} refused: ${serverMessage}`, ExitCode.failed);
  }
}
