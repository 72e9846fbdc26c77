/**
 * @module surfaces/web/known-device
 * The "known device" cookie: set on a successful sign-in, it names the user who signed in
 * from this browser, signed with an HMAC under a secret kept in `<data>/web/device-key`
 * (mode 0600, made at the first start), so a restart keeps every device known; when that
 * file cannot be written, the secret lives in memory and a restart forgets the devices.
 * Deleting the file forgets them on purpose. A sign-in carrying a valid one
 * for the same user name is exempt from the name's pause (login-limiter): an attacker
 * guessing a name from many addresses cannot keep its owner out of a browser they have
 * used before. The per-pair and per-client limits still apply to it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataHome } from '../../core/paths.js';

/** The cookie's name. */
export const DEVICE_COOKIE = 'homelab_device';
/** The cookie's lifetime (400 days, the most browsers keep). */
export const DEVICE_MAX_AGE_S = 400 * 24 * 3600;

const SECRET_BYTES = 32;

/** The file holding the secret that signs known-device cookies. */
export function deviceKeyFile(env: NodeJS.ProcessEnv): string {
  return join(dataHome(env), 'web', 'device-key');
}

/**
 * The secret that signs known-device cookies: read from `deviceKeyFile`, or made and written
 * there (mode 0600). A file others may read, or one of the wrong length, is replaced. When
 * the folder cannot be written, a secret in memory, and `log` says what that means.
 */
export function loadDeviceSecret(env: NodeJS.ProcessEnv, log: (line: string) => void): Buffer {
  const file = deviceKeyFile(env);
  try {
    if ((statSync(file).mode & 0o077) === 0) {
      const held = readFileSync(file);
      if (held.length === SECRET_BYTES) return held;
    }
  } catch {
    // No file yet (or unreadable): make one below.
  }
  const secret = randomBytes(SECRET_BYTES);
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(file, secret, { mode: 0o600 });
    chmodSync(file, 0o600);
  } catch (err) {
    log(`known devices are forgotten at restart: cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return secret;
}

/** Signs and checks known-device cookies with a per-server secret. */
export class KnownDevices {
  constructor(private readonly secret: Buffer = randomBytes(SECRET_BYTES)) {}

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
