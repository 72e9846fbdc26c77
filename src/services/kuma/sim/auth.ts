/**
 * @module services/kuma/sim/auth
 * Uptime Kuma's authentication as the simulator does it: one user; `login` tokens are
 * HS256 JWTs of `{username, h}` where `h` hashes the current password hash, so they never
 * expire but die when the password changes (`invalidateTokens`); optional TOTP 2FA with
 * a ±1 step window that refuses reusing the last accepted code; API keys `uk<id>_<key>`
 * for `/metrics`; and the login rate limit (20 a minute).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** An API key as stored (the clear key is only shown once, at creation). */
export interface SimApiKey {
  id: number;
  name: string;
  key: string;
  active: boolean;
}

const b64 = (value: string): string => Buffer.from(value).toString('base64url');

/** The simulated server's user, tokens and API keys. */
export class KumaAuth {
  private jwtSecret = randomBytes(32).toString('hex');
  private passwordHash: string;
  private lastTotp = '';
  private readonly attempts: number[] = [];
  readonly apiKeys: SimApiKey[] = [];

  constructor(readonly username: string, password: string, readonly totpSecret?: string, private readonly loginsPerMinute = 20) {
    this.passwordHash = this.hash(password);
  }

  private hash(password: string): string {
    return createHash('sha256').update(`kuma-sim:${password}`).digest('hex');
  }

  private sign(data: string): string {
    return createHmac('sha256', this.jwtSecret).update(data).digest('base64url');
  }

  /** Whether username (trimmed) and password match. */
  checkPassword(username: string, password: string): boolean {
    return username.trim() === this.username && this.hash(password) === this.passwordHash;
  }

  /** A login token for the user. */
  issue(): string {
    const h = createHash('shake256').update(this.passwordHash).digest('hex');
    const head = `${b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64(JSON.stringify({ username: this.username, h, iat: Math.floor(Date.now() / 1000) }))}`;
    return `${head}.${this.sign(head)}`;
  }

  /** Whether a login token is valid for the current password. */
  verify(token: string): boolean {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return false;
    const expected = Buffer.from(this.sign(`${header}.${payload}`));
    if (expected.length !== signature.length || !timingSafeEqual(expected, Buffer.from(signature))) return false;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { username?: string; h?: string };
      return claims.username === this.username && claims.h === createHash('shake256').update(this.passwordHash).digest('hex');
    } catch {
      return false;
    }
  }

  /** Replaces the JWT secret: every token issued before stops working, the password still does. */
  rotateSecret(): void {
    this.jwtSecret = randomBytes(32).toString('hex');
  }

  /** Changes the password: every token issued before stops working. */
  setPassword(password: string): void {
    this.passwordHash = this.hash(password);
  }

  /** Checks a TOTP code (±1 step); a code accepted once is refused the next time. */
  async checkTotp(code: string): Promise<boolean> {
    if (!this.totpSecret) return true;
    const { TOTP, Secret } = await import('otpauth');
    const totp = new TOTP({ secret: Secret.fromBase32(this.totpSecret), digits: 6, period: 30, algorithm: 'SHA1' });
    if (code === this.lastTotp || totp.validate({ token: code, window: 1 }) === null) return false;
    this.lastTotp = code;
    return true;
  }

  /** Counts a login attempt; false when over the limit for the last minute. */
  allowLogin(): boolean {
    const now = Date.now();
    while (this.attempts.length && (this.attempts[0] as number) < now - 60_000) this.attempts.shift();
    if (this.attempts.length >= this.loginsPerMinute) return false;
    this.attempts.push(now);
    return true;
  }

  /** Creates an API key; returns its clear form `uk<id>_<key>`. */
  addApiKey(name: string): string {
    const id = this.apiKeys.length + 1;
    const key = randomBytes(30).toString('base64url').slice(0, 40);
    this.apiKeys.push({ id, name, key, active: true });
    return `uk${id}_${key}`;
  }

  /** Whether a clear key matches an active API key. */
  checkApiKey(clear: string): boolean {
    const match = /^uk(\d+)_(.+)$/.exec(clear);
    if (!match) return false;
    const stored = this.apiKeys.find((k) => k.id === Number(match[1]));
    return Boolean(stored?.active && stored.key === match[2]);
  }
}
