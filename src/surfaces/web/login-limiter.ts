/**
 * @module surfaces/web/login-limiter
 * Rate limit of sign-ins: failed attempts are counted per client address and per user
 * name in a sliding window; past the limit, every attempt from that address or for
 * that name is refused (without checking the password) until the oldest failure leaves
 * the window. A successful sign-in clears the address's and the name's count.
 */

/** Limits of the login limiter. */
export interface LoginLimits {
  /** Failures allowed within the window (default 5). */
  failures: number;
  /** Window (default 15 min). */
  windowMs: number;
}

/** Counts failed sign-ins. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  readonly limits: LoginLimits;

  constructor(limits: Partial<LoginLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = { failures: limits.failures ?? 5, windowMs: limits.windowMs ?? 15 * 60_000 };
  }

  /** Milliseconds until an attempt from `address` for `user` is allowed again; 0 when it is allowed now. */
  retryAfterMs(address: string, user: string): number {
    const at = this.now();
    let wait = 0;
    for (const key of this.keys(address, user)) {
      const times = this.recent(key, at);
      if (times.length >= this.limits.failures) wait = Math.max(wait, (times[0] as number) + this.limits.windowMs - at);
    }
    return wait;
  }

  /** Records a failed attempt. */
  fail(address: string, user: string): void {
    const at = this.now();
    for (const key of this.keys(address, user)) this.failures.set(key, [...this.recent(key, at), at]);
    if (this.failures.size > 10_000) this.prune(at);
  }

  /** Clears the counts after a successful sign-in. */
  succeed(address: string, user: string): void {
    for (const key of this.keys(address, user)) this.failures.delete(key);
  }

  private keys(address: string, user: string): string[] {
    return [`a:${address}`, `u:${user.toLowerCase()}`];
  }

  private recent(key: string, at: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => at - t < this.limits.windowMs);
  }

  private prune(at: number): void {
    for (const key of [...this.failures.keys()]) if (this.recent(key, at).length === 0) this.failures.delete(key);
  }
}
