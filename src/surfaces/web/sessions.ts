/**
 * @module surfaces/web/sessions
 * Sessions of the dashboard, kept in memory (a restart logs everyone out): a random
 * 256-bit id in an HttpOnly, SameSite=Strict cookie, a CSRF token of its own that every
 * state-changing form carries, an absolute expiry and an idle expiry. Only a digest of
 * the id is kept, so the map holds nothing a cookie could be rebuilt from. A session
 * also remembers the lab its user chose in the header, and which login it was made with
 * (a digest of the hash), so that a changed password file ends it (logins).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** One signed-in user. */
export interface Session {
  user: string;
  /** The token forms send back as `_csrf`. */
  csrf: string;
  /** The lab (context) the user looks at; the server's home lab when unset. */
  context?: string;
  /** A digest of the password hash the user signed in with; none for a session made without a login (logins). */
  login?: string;
  createdAt: number;
  lastSeen: number;
}

/** Lifetimes of a session. */
export interface SessionLimits {
  /** From sign-in (default 12 h). */
  maxAgeMs: number;
  /** Without a request (default 2 h). */
  idleMs: number;
}

/** The session cookie's name. */
export const SESSION_COOKIE = 'homelab_session';

/** Sessions kept at most (the login-free local mode opens one per cookie-less visitor). */
const MAX_SESSIONS = 1000;

const digest = (id: string): string => createHash('sha256').update(id).digest('base64url');

/** The sessions of one server. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  readonly limits: SessionLimits;

  constructor(limits: Partial<SessionLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = { maxAgeMs: limits.maxAgeMs ?? 12 * 3600_000, idleMs: limits.idleMs ?? 2 * 3600_000 };
  }

  /** Opens a session for `user` (`login`: the mark of the hash they signed in with); returns the cookie value. */
  create(user: string, login?: string): { id: string; session: Session } {
    this.sweep();
    // A bound on memory: past it, the oldest sessions end first.
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    const session: Session = { user, csrf: randomBytes(32).toString('base64url'), createdAt: at, lastSeen: at, ...(login === undefined ? {} : { login }) };
    this.sessions.set(digest(id), session);
    return { id, session };
  }

  /** The live session of a cookie value (touching it), or undefined. */
  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const key = digest(id);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    const at = this.now();
    if (at - session.createdAt > this.limits.maxAgeMs || at - session.lastSeen > this.limits.idleMs) {
      this.sessions.delete(key);
      return undefined;
    }
    session.lastSeen = at;
    return session;
  }

  /** Whether `session` is still open: not ended, expired or pushed out (not touching it: an event stream is no request). */
  holds(session: Session): boolean {
    const at = this.now();
    if (at - session.createdAt > this.limits.maxAgeMs || at - session.lastSeen > this.limits.idleMs) return false;
    for (const s of this.sessions.values()) if (s === session) return true;
    return false;
  }

  /** Ends a session. */
  delete(id: string | undefined): void {
    if (id) this.sessions.delete(digest(id));
  }

  /** Ends every session `keep` says no to (the logins changed). */
  retain(keep: (session: Session) => boolean): void {
    for (const [key, s] of this.sessions) if (!keep(s)) this.sessions.delete(key);
  }

  /** Open sessions. */
  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const at = this.now();
    for (const [key, s] of this.sessions) {
      if (at - s.createdAt > this.limits.maxAgeMs || at - s.lastSeen > this.limits.idleMs) this.sessions.delete(key);
    }
  }
}

/** Whether a submitted CSRF token is the session's (constant time). */
export function csrfMatches(session: Session, submitted: string | undefined): boolean {
  if (!submitted) return false;
  const a = createHash('sha256').update(session.csrf).digest();
  const b = createHash('sha256').update(submitted).digest();
  return timingSafeEqual(a, b);
}
