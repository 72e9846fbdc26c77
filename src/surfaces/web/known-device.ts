/**
 * @module surfaces/web/known-device
 * The "known device" cookie: set on a successful sign-in, it names the user who signed in
 * from this browser, signed with an HMAC under a secret the server keeps in memory (a new
 * one at every start, so a restart forgets every device). A sign-in carrying a valid one
 * for the same user name is exempt from the name's pause (login-limiter): an attacker
 * guessing a name from many addresses cannot keep its owner out of a browser they have
 * used before. The per-pair and per-client limits still apply to it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie's name. */
export const DEVICE_COOKIE = 'homelab_device';
/** The cookie's lifetime (400 days, the most browsers keep). */
export const DEVICE_MAX_AGE_S = 400 * 24 * 3600;

/** Signs and checks known-device cookies with a per-server secret. */
export class KnownDevices {
  constructor(private readonly secret: Buffer = randomBytes(32)) {}

  /** The cookie's value for `user`: the name (base64url) and its HMAC. */
  issue(user: string): string {
    const name = Buffer.from(user.toLowerCase()).toString('base64url');
    return `${name}.${this.mac(name)}`;
  }

  /** Whether `value` is a cookie this server issued for `user` (case-insensitive, as the limiter counts names). */
  knows(value: string | undefined, user: string): boolean {
    if (!value || !user) return false;
    const [name = '', mac = ''] = value.split('.');
    const want = Buffer.from(this.mac(name));
    const got = Buffer.from(mac);
    if (got.length !== want.length || !timingSafeEqual(got, want)) return false;
    return Buffer.from(name, 'base64url').toString() === user.toLowerCase();
  }

  private mac(name: string): string {
    return createHmac('sha256', this.secret).update(`known-device\u0000${name}`).digest('base64url');
  }
}
