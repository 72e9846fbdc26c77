/**
 * @module surfaces/web/login-limiter
 * Rate limit of sign-ins, over a sliding window: failed attempts are counted per pair of
 * client and user name, with a looser limit per client, and with a looser one still per
 * user name from every client. Past the pair's limit, that client may not try that name
 * again until its oldest failure leaves the window; past the client's limit, that client may
 * not try any name. A storm of wrong passwords for `bob` from one client therefore never
 * locks bob out from another (a strict per-name count would: anyone could keep any user
 * out), and an attacker spreading guesses over many names still meets the client's limit.
 *
 * An attacker with many addresses guessing one name meets the per-name limit: past it (50
 * failures in the window, from at least 10 clients, as one client stops at 5), that name may
 * be tried once per pause (a minute) after its latest failure, from anywhere: it slows the
 * guessing to a crawl without locking the user out for long. The pause does not apply to a
 * browser that has signed in as that user before (its "known device" cookie, known-device):
 * such an attacker cannot keep the name's owner out, and the per-pair and per-client limits
 * still apply to it. A successful sign-in clears the pair's count only.
 *
 * The client is its address (see client-address, not a reverse proxy's); an IPv6 client
 * counts by its /64, the block one host usually holds whole, and loopback (127.0.0.0/8,
 * `::1`, `::ffff:127.x`) as one client, this machine, so that rotating through either
 * gains nothing.
 */
import { isIP } from 'node:net';

/** Limits of the login limiter. */
export interface LoginLimits {
  /** Failures allowed for one user name from one client within the window (default 5). */
  failures: number;
  /** Failures allowed from one client, whatever the names, within the window (default 20). */
  addressFailures: number;
  /** Failures of one user name from all clients within the window past which it is slowed (default 50). */
  userFailures: number;
  /** Past `userFailures`: how long after the name's latest failure it may be tried again (default 1 min). */
  userPauseMs: number;
  /** Window (default 15 min). */
  windowMs: number;
}

/** A key and its limit: `pause` set, past the limit the key waits `pause` after its latest failure (else until the oldest counted leaves the window). */
interface Count {
  key: string;
  limit: number;
  pause?: number;
}

/** Counts failed sign-ins. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  readonly limits: LoginLimits;

  constructor(limits: Partial<LoginLimits> = {}, private readonly now: () => number = Date.now) {
    this.limits = {
      failures: limits.failures ?? 5, addressFailures: limits.addressFailures ?? 20,
      userFailures: limits.userFailures ?? 50, userPauseMs: limits.userPauseMs ?? 60_000, windowMs: limits.windowMs ?? 15 * 60_000,
    };
  }

  /** Milliseconds until an attempt from `address` for `user` is allowed again; 0 when it is allowed now. `knownDevice`: the name's pause does not apply. */
  retryAfterMs(address: string, user: string, knownDevice = false): number {
    const at = this.now();
    let wait = 0;
    for (const { key, limit, pause } of this.counts(address, user)) {
      if (knownDevice && pause !== undefined) continue;
      const times = this.recent(key, at);
      if (times.length < limit) continue;
      // Slowed: one try per pause after the latest failure. Limited: the attempt that brought the count to the limit is the one whose leaving frees a try.
      const until = pause !== undefined ? (times[times.length - 1] as number) + pause : (times[times.length - limit] as number) + this.limits.windowMs;
      wait = Math.max(wait, until - at);
    }
    return wait;
  }

  /** Records a failed attempt. */
  fail(address: string, user: string): void {
    const at = this.now();
    for (const { key } of this.counts(address, user)) this.failures.set(key, [...this.recent(key, at), at]);
    if (this.failures.size > 10_000) this.prune(at);
  }

  /** Clears the pair's count after a successful sign-in (the client's and the name's stay: they count other attempts too). */
  succeed(address: string, user: string): void {
    this.failures.delete(pairKey(clientOf(address), user));
  }

  private counts(address: string, user: string): Count[] {
    const client = clientOf(address);
    return [
      { key: pairKey(client, user), limit: this.limits.failures },
      { key: `a:${client}`, limit: this.limits.addressFailures },
      { key: `u:${user.toLowerCase()}`, limit: this.limits.userFailures, pause: this.limits.userPauseMs },
    ];
  }

  private recent(key: string, at: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => at - t < this.limits.windowMs);
  }

  private prune(at: number): void {
    for (const key of [...this.failures.keys()]) if (this.recent(key, at).length === 0) this.failures.delete(key);
  }
}

function pairKey(client: string, user: string): string {
  return `p:${client}\u0000${user.toLowerCase()}`;
}

/** The one client every loopback address counts as. */
const LOOPBACK_CLIENT = 'loopback';

/** Who is counted for an address: an IPv4 address itself, an IPv6 one by its /64 (`2001:db8:0:1::/64`), any loopback address as `loopback`. */
export function clientOf(address: string): string {
  const bare = (address.split('%')[0] as string).replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (isIP(bare) === 4) return bare.startsWith('127.') ? LOOPBACK_CLIENT : bare;
  if (isIP(bare) !== 6) return address;
  // The URL parser writes the address canonically (lower case, `::` once, an embedded IPv4 address as hex).
  const [head = '', tail] = new URL(`http://[${bare}]/`).hostname.slice(1, -1).split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  // `::1`, and an IPv4 loopback address written in hex (`::ffff:7f00:2`).
  if (groups.join(':') === '0:0:0:0:0:0:0:1' || (groups.slice(0, 6).join(':') === '0:0:0:0:0:ffff' && /^7f[0-9a-f]{2}$/.test(groups[6] ?? ''))) return LOOPBACK_CLIENT;
  return `${groups.slice(0, 4).join(':')}::/64`;
}
