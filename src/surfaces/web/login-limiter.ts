/**
 * @module surfaces/web/login-limiter
 * Rate limit of sign-ins, over a sliding window: failed attempts are counted per pair of
 * client address and user name, and, with a looser limit, per client address. Past the
 * pair's limit, that address may not try that name again until its oldest failure leaves the
 * window; past the address's limit, that address may not try any name. A storm of wrong
 * passwords for `bob` from one address therefore never locks bob out from another (a
 * per-name count would: anyone could keep any user out), and an attacker spreading guesses
 * over many names still meets the address's limit. A successful sign-in clears the pair's
 * count. The address is the client's (see client-address), not a reverse proxy's.
 */

/** Limits of the login limiter. */
export interface LoginLimits {
  /** Failures allowed for one user name from one address within the window (default 5). */
  failures: number;
  /** Failures allowed from one address, whatever the names, within the window (default 20). */
  addressFailures: number;
  /** Window (default 15 min). */
  windowMs: number;
}

/** Counts failed sign-ins. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  readonly limits: LoginLimits;

  constructor(limits: Partial<LoginLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = { failures: limits.failures ?? 5, addressFailures: limits.addressFailures ?? 20, windowMs: limits.windowMs ?? 15 * 60_000 };
  }

  /** Milliseconds until an attempt from `address` for `user` is allowed again; 0 when it is allowed now. */
  retryAfterMs(address: string, user: string): number {
    const at = this.now();
    let wait = 0;
    for (const [key, limit] of this.keys(address, user)) {
      const times = this.recent(key, at);
      // The attempt that brought the count to the limit is the one whose leaving frees a try.
      const freeing = times[times.length - limit];
      if (times.length >= limit && freeing !== undefined) wait = Math.max(wait, freeing + this.limits.windowMs - at);
    }
    return wait;
  }

  /** Records a failed attempt. */
  fail(address: string, user: string): void {
    const at = this.now();
    for (const [key] of this.keys(address, user)) this.failures.set(key, [...this.recent(key, at), at]);
    if (this.failures.size > 10_000) this.prune(at);
  }

  /** Clears the pair's count after a successful sign-in (the address's stays: it counts every name). */
  succeed(address: string, user: string): void {
    this.failures.delete(pairKey(address, user));
  }

  private keys(address: string, user: string): [string, number][] {
    return [[pairKey(address, user), this.limits.failures], [`a:${address}`, this.limits.addressFailures]];
  }

  private recent(key: string, at: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => at - t < this.limits.windowMs);
  }

  private prune(at: number): void {
    for (const key of [...this.failures.keys()]) if (this.recent(key, at).length === 0) this.failures.delete(key);
  }
}

function pairKey(address: string, user: string): string {
  return `p:${address}\u0000${user.toLowerCase()}`;
}
