/**
 * @module surfaces/web/confirmations
 * Confirmations waiting for the user's answer: the operation and its validated input
 * are kept on the server under a random token, so what runs is exactly what the
 * confirmation page showed, in the lab it named (nothing the browser sends later, nor
 * switching the lab selector, can change it). A token is
 * good once, for its user only, for five minutes.
 */
import { randomBytes } from 'node:crypto';
import type { AnyOperation } from '../../core/operation.js';

/** A run waiting for confirmation. */
export interface PendingRun {
  token: string;
  op: AnyOperation;
  input: Record<string, unknown>;
  user: string;
  /** The lab (context) the form was submitted in: the run goes there, whatever the selector says later. */
  context: string;
  /** What the confirmation page showed: the confirm line, or the preview (a plan's steps). */
  lines: string[];
  /** The text typed for keys the schema turned into an object (`forgejo:3000`), shown as typed. */
  typed?: Record<string, string>;
  expiresAt: number;
}

/** Pending confirmations of one server. */
export class Confirmations {
  private readonly pending = new Map<string, PendingRun>();

  constructor(readonly ttlMs = 5 * 60_000, private readonly now: () => number = Date.now) {}

  /** Keeps a run for confirmation; returns it with its token. */
  add(entry: Omit<PendingRun, 'token' | 'expiresAt'>): PendingRun {
    const at = this.now();
    for (const [token, p] of this.pending) if (p.expiresAt < at) this.pending.delete(token);
    const pending: PendingRun = { ...entry, token: randomBytes(24).toString('base64url'), expiresAt: at + this.ttlMs };
    this.pending.set(pending.token, pending);
    return pending;
  }

  /** Takes a pending run for `user` (once); why not when it cannot. */
  take(token: string, user: string): { run: PendingRun } | { refused: string } {
    const p = this.pending.get(token);
    if (!p || p.user !== user) return { refused: 'This confirmation is not valid (already used, or the server restarted). Nothing was done.' };
    this.pending.delete(token);
    if (p.expiresAt < this.now()) return { refused: 'This confirmation has expired. Nothing was done; start again.' };
    return { run: p };
  }

  /** Drops a pending run (Cancel). */
  cancel(token: string, user: string): PendingRun | undefined {
    const p = this.pending.get(token);
    if (!p || p.user !== user) return undefined;
    this.pending.delete(token);
    return p;
  }
}
