/**
 * @module surfaces/mcp/sessions
 * The open sessions of the Streamable HTTP transport, and when they end. A session ends on
 * the client's DELETE (its transport closes), when it has been idle for the idle time (30 min
 * by default), or when an `initialize` finds the cap reached (100 by default): the session
 * idle longest is closed to make room, and when every one is busy the newcomer is refused
 * (503). A session is busy while it has a request open (a client's listening GET stream is
 * one) or a tool call running: a client that dropped its connection mid-call has no request
 * open, yet closing its session would cancel the call. Ending a session closes its MCP server
 * (and so cancels what runs in it). The SDK client's `close()` sends no DELETE, so without the
 * idle time every client run would keep its server for as long as the process runs.
 */
import type { ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { clientName } from './server.js';

/** Default idle time after which a session is closed. */
export const SESSION_IDLE_MS = 30 * 60_000;
/** Default cap on open sessions. */
export const MAX_SESSIONS = 100;

/** One open session: its transport and server, and whether it is in use. */
export interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  /** Requests of it still open (a call, a listening GET stream). */
  open: number;
  /** Tool calls of it still running, whether or not their request is still open. */
  calls: number;
  /** When its last request or call started or ended (ms). */
  lastUsed: number;
}

/** The open sessions by id. */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly idleMs: number = SESSION_IDLE_MS,
    private readonly max: number = MAX_SESSIONS,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(60_000, Math.floor(idleMs / 4))));
    this.sweeper.unref();
  }

  /** How many are open. */
  get size(): number {
    return this.sessions.size;
  }

  /** The session with this id; undefined when it never was or has ended. */
  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Adds a session that has just been initialised. */
  add(id: string, transport: StreamableHTTPServerTransport, server: Server): Session {
    const session: Session = { transport, server, open: 0, calls: 0, lastUsed: Date.now() };
    this.sessions.set(id, session);
    return session;
  }

  /** Forgets a session whose transport closed (the client's DELETE). */
  forget(id: string): void {
    this.sessions.delete(id);
  }

  /** Counts a request of `session` as open until its response ends (or its connection drops). */
  using(session: Session, res: ServerResponse): void {
    session.open += 1;
    session.lastUsed = Date.now();
    res.once('close', () => {
      session.open -= 1;
      session.lastUsed = Date.now();
    });
  }

  /** Counts a tool call of `session` as running until it settles. */
  running(session: Session, call: Promise<unknown>): void {
    session.calls += 1;
    session.lastUsed = Date.now();
    const ended = (): void => {
      session.calls -= 1;
      session.lastUsed = Date.now();
    };
    call.then(ended, ended);
  }

  /** Makes room for one more session (closing the one idle longest at the cap); false when every one is busy. */
  makeRoom(): boolean {
    if (this.sessions.size < this.max) return true;
    const idlest = [...this.sessions].filter(([, s]) => !busy(s)).sort(([, a], [, b]) => a.lastUsed - b.lastUsed)[0];
    if (!idlest) return false;
    this.end(idlest[0], `${this.sessions.size} sessions open, the most; this one was idle longest (${seconds(Date.now() - idlest[1].lastUsed)})`);
    return true;
  }

  /** Closes every session and stops the sweeps. */
  async closeAll(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.server.close().catch(() => undefined)));
  }

  /** Closes the sessions idle for longer than the idle time. */
  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (!busy(s) && now - s.lastUsed > this.idleMs) this.end(id, `idle for ${seconds(now - s.lastUsed)}`);
  }

  /** Closes a session and its server. */
  private end(id: string, why: string): void {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    this.log(`session of ${clientName(session.server.getClientVersion())} closed: ${why}`);
    session.server.close().catch(() => undefined);
  }
}

/** Whether a session has a request open or a call running. */
const busy = (s: Session): boolean => s.open > 0 || s.calls > 0;

const seconds = (ms: number): string => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);
