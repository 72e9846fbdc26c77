/**
 * @module services/dns/sim/auth
 * Technitium's users, sessions and tokens: `/api/user/login` gives a session token that
 * dies after an idle timeout (every call refreshes it), `createToken` gives a permanent
 * API token, and a call finds its token in the `Authorization: Bearer` header (v15+
 * only) or else in the `token` query/form parameter.
 */
import { randomBytes } from 'node:crypto';
import { DnsSimError, DnsSimInvalidToken, DnsSimTwoFactorRequired, type Params } from './params.js';

/** The real server's answer to a call that carries no token it can read. */
export const MISSING_TOKEN = "Parameter 'token' missing.";

/** A user of the simulated server. */
export interface DnsSimUser {
  username: string;
  password: string;
  displayName: string;
  /** Base32 TOTP secret when 2FA is enabled. */
  totpSecret?: string;
}

/** A session or API token. */
export interface DnsSession {
  username: string;
  type: 'Standard' | 'ApiToken';
  tokenName?: string;
  lastSeen: number;
}

/** Users and live tokens of one server. */
export class DnsAuth {
  readonly users = new Map<string, DnsSimUser>();
  readonly sessions = new Map<string, DnsSession>();

  constructor(
    private readonly now: () => number,
    /** Idle timeout of session tokens (API tokens never expire). */
    public sessionTimeoutMs: number,
    /** Whether the server reads `Authorization: Bearer` (v15.0+). */
    readonly acceptsBearer: boolean,
  ) {}

  /** Issues a token for a user. */
  issue(username: string, type: DnsSession['type'], tokenName?: string): string {
    const token = randomBytes(32).toString('hex');
    this.sessions.set(token, { username, type, tokenName, lastSeen: this.now() });
    return token;
  }

  /** The token a request carries: Bearer header first (v15+), then the `token` parameter. */
  tokenOf(authorization: string | undefined, p: Params): string | undefined {
    if (this.acceptsBearer && authorization) {
      const m = /^bearer\s+(\S+)\s*$/i.exec(authorization);
      if (m) return m[1];
    }
    return p.get('token');
  }

  /**
   * The live session of a token, refreshed; `invalid-token` when missing (v15), unknown or idle
   * too long. Before v15 no token at all is a plain `error`, as on the real v14 server: it reads
   * the parameter with `GetQueryOrForm("token")`, which throws "Parameter 'token' missing." (so
   * given only a Bearer header it cannot read, it answers that, not `invalid-token`).
   */
  check(token: string | undefined): { token: string; session: DnsSession } {
    if (!token) throw this.acceptsBearer ? new DnsSimInvalidToken() : new DnsSimError(MISSING_TOKEN);
    const session = this.sessions.get(token);
    if (!session) throw new DnsSimInvalidToken();
    if (session.type === 'Standard' && this.now() - session.lastSeen > this.sessionTimeoutMs) {
      this.sessions.delete(token);
      throw new DnsSimInvalidToken();
    }
    session.lastSeen = this.now();
    return { token, session };
  }

  /** Checks a user's password and TOTP (when enabled). */
  async verify(p: Params): Promise<DnsSimUser> {
    const username = p.need('user').toLowerCase();
    const password = p.need('pass');
    const user = this.users.get(username);
    if (!user || user.password !== password) throw new DnsSimError(`Invalid username or password for user: ${username}`);
    if (user.totpSecret) {
      const code = p.get('totp');
      if (!code) throw new DnsSimTwoFactorRequired();
      const { TOTP, Secret } = await import('otpauth');
      const totp = new TOTP({ secret: Secret.fromBase32(user.totpSecret) });
      if (totp.validate({ token: code, timestamp: this.now(), window: 1 }) === null) throw new DnsSimError('Invalid TOTP code.');
    }
    return user;
  }
}
