/**
 * @module services/kuma/session
 * One Socket.IO session with Uptime Kuma (socket.io-client, imported lazily). Auth lives
 * with the connection: on every (re)connect the session logs in again with the cached
 * token (`loginByToken`), falling back to `login` with the password and, when the server
 * answers `tokenRequired`, a TOTP code. It keeps the monitor map and heartbeats the server
 * pushes after login up to date. Every call has a time limit; auth and read calls are
 * retried when unanswered (a server that just started drops the first calls) or when the
 * connection dropped, changes only when they were never sent (never twice); a change sent and
 * then cut off or left unanswered may or may not have been done, and the error says so.
 */
import type { Socket } from 'socket.io-client';
import { TimeoutError, UnreachableError } from '../../core/errors.js';
import { MAX_ANSWER_BYTES, UnexpectedAnswerError } from '../../core/http/index.js';
import { ackMessage, KumaRefused, type Ack } from './messages.js';
import type { Beat, Monitor } from './monitor.js';
import { socketOptions } from './pinned-agent.js';
import { PushedState } from './pushed-state.js';
import { logIn, type LoginState } from './session-login.js';
import { ConnectionLost, NoAnswer, emitAck, lostCall, overCap, unansweredChange, waitConnected } from './socket-calls.js';
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

/** A logged-in Socket.IO session. */
export class KumaSession {
  private readonly pushed = new PushedState();
  /** How this session authenticated, per connection: tests and progress read it. */
  readonly logins = { token: 0, password: 0 };
  /** The token this session logged in with, and the counts above. */
  private readonly login: LoginState = { token: undefined, logins: this.logins };
  private socket!: Socket;
  private auth: Promise<void> | undefined;
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
    // engine.io-client's types leave out `maxPayload` and type `agent` as string | boolean; both reach ws as they are.
    this.socket = io(this.options.url, socketOptions(this.options.url, this.options.timeoutMs, this.options.fingerprint) as Parameters<typeof io>[1]);
    const s = this.socket;
    s.on('connect', () => {
      this.auth ??= this.authenticate();
      this.auth.catch(() => undefined);
    });
    s.on('disconnect', (reason, details) => {
      this.auth = undefined;
      // A message over the cap is no network failure: the server sent what no Kuma sends, and will again on every login.
      if (overCap(details)) this.pushed.fail(new UnexpectedAnswerError('kuma', 200, `a Socket.IO message larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`));
      if (reason === 'io server disconnect' && !this.closed) s.connect();
    });
    this.pushed.attach(s);
    await this.ready();
  }

  /** Connected and logged in on the current connection. */
  async ready(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await waitConnected(this.socket, this.options.url, this.options.timeoutMs, this.options.fingerprint);
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

  private async authenticate(): Promise<void> {
    this.pushed.listSeen = false;
    await logIn(this.options, (event, args, ms) => emitAck(this.socket, event, args, ms), this.login);
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
        const ack = await emitAck(this.socket, event, args, this.options.timeoutMs);
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
        if (err instanceof NoAnswer) throw idempotent ? new TimeoutError('kuma', this.options.timeoutMs, event) : unansweredChange(event, this.options.timeoutMs);
        if (err instanceof ConnectionLost) throw lostCall(this.options.url, event, idempotent, err.sent, this.pushed.failure);
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
    const list = await this.pushed.list(this.options.timeoutMs, () => this.expectOk('getMonitorList', [], true));
    if (!list) throw this.pushed.failure ?? new TimeoutError('kuma', this.options.timeoutMs, 'monitorList');
    return list;
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
    await this.pushed.settle(shows, Math.min(SETTLE_MS, this.options.timeoutMs), () => this.call('getMonitorList', [], true));
  }

  /** Waits (up to the time limit) for the heartbeat lists of these monitors; returns what arrived. A list that did not fit is an UnexpectedAnswerError. */
  async heartbeatsOf(ids: readonly number[]): Promise<Map<number, Beat[]>> {
    await this.pushed.waitFor(() => ids.every((id) => this.pushed.heartbeats.has(id)), this.options.timeoutMs);
    return this.pushed.beatsOf(ids);
  }

  /** Like `heartbeatsOf`, but a list that did not fit is its monitor's alone: its error comes in its place (`kuma list`). */
  async heartbeatListsOf(ids: readonly number[]): Promise<Map<number, Beat[] | UnexpectedAnswerError>> {
    await this.pushed.waitFor(() => ids.every((id) => this.pushed.heartbeats.has(id)), this.options.timeoutMs);
    return this.pushed.readBeats(ids);
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
