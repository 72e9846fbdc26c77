/**
 * @module surfaces/telegram/confirmations
 * Pending confirmations of `change`/`danger` commands. Each gets a random token carried
 * by its Confirm and Cancel buttons; it works once (taken out on the first valid tap),
 * only for the user who asked, and only until it expires (a minute). Nothing runs from
 * a stale or forwarded button. A token once answered (or expired) is remembered for ten
 * minutes, so a second tap on a used button is told apart from one the bot never knew.
 */
import { randomBytes } from 'node:crypto';
import type { AnyOperation } from '../../core/operation.js';
import type { ChatUser } from './types.js';

/** A command waiting for its requester's tap. */
export interface Pending {
  token: string;
  op: AnyOperation;
  input: Record<string, unknown>;
  json: boolean;
  /** What will happen, shown on the message. */
  what: string;
  /** The command as typed, for replies and logs. */
  command: string;
  user: ChatUser;
  chatId: number;
  messageId?: number;
  /** The forum topic it was asked in. */
  threadId?: number;
  expiresAt: number;
}

/** The outcome of a tap. */
export type TapOutcome =
  | { kind: 'ok'; pending: Pending }
  | { kind: 'expired'; pending: Pending }
  | { kind: 'not-yours'; pending: Pending }
  /** Its question was already answered, or expired (a double tap, a late tap). */
  | { kind: 'used' }
  | { kind: 'unknown' };

/** Callback data prefix of a Confirm button (`y:<token>`). */
export const CONFIRM = 'y:';
/** Callback data prefix of a Cancel button (`n:<token>`). */
export const CANCEL = 'n:';

/** The pending confirmations of one bot. */
export class Confirmations {
  private readonly pending = new Map<string, Pending>();
  /** Tokens answered or expired, with when (forgotten after ten times the TTL). */
  private readonly used = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    /** How long a confirmation stays valid. */
    readonly ttlMs = 60_000,
  ) {}

  /** Registers a confirmation and returns it (with its token). */
  add(entry: Omit<Pending, 'token' | 'expiresAt'>): Pending {
    this.sweep();
    const pending: Pending = { ...entry, token: randomBytes(12).toString('base64url'), expiresAt: this.now() + this.ttlMs };
    this.pending.set(pending.token, pending);
    return pending;
  }

  /** Handles a tap by `userId` on the button carrying `token`. A valid tap removes the entry. */
  take(token: string, userId: number): TapOutcome {
    const pending = this.pending.get(token);
    if (!pending) return this.used.has(token) ? { kind: 'used' } : { kind: 'unknown' };
    if (this.now() >= pending.expiresAt) {
      this.retire(token);
      return { kind: 'expired', pending };
    }
    if (pending.user.id !== userId) return { kind: 'not-yours', pending };
    this.retire(token);
    return { kind: 'ok', pending };
  }

  /** Removes and returns an entry if it has expired (the expiry timer calls this). */
  expire(token: string): Pending | undefined {
    const pending = this.pending.get(token);
    if (!pending || this.now() < pending.expiresAt) return undefined;
    this.retire(token);
    return pending;
  }

  /** Removes and returns every entry not yet expired (the bot is stopping: none can be tapped any more). */
  drain(): Pending[] {
    const now = this.now();
    const live = [...this.pending.values()].filter((p) => now < p.expiresAt);
    this.pending.clear();
    return live;
  }

  /** Number of confirmations still pending. */
  get size(): number {
    return this.pending.size;
  }

  /** Takes an entry out, remembering its token as used. */
  private retire(token: string): void {
    this.pending.delete(token);
    this.used.set(token, this.now());
  }

  /** Forgets entries long expired (their tap would only have said "expired"), and tokens used long ago. */
  private sweep(): void {
    const now = this.now();
    for (const [token, p] of this.pending) if (now >= p.expiresAt + 10 * this.ttlMs) this.pending.delete(token);
    for (const [token, at] of this.used) if (now >= at + 10 * this.ttlMs) this.used.delete(token);
  }
}
