/**
 * @module services/proxy/session
 * Getting an NPM token: `POST /api/tokens` with the account's email and password,
 * completing a 2FA challenge when `NPM_TOTP_SECRET` is given, and clear messages for
 * the two dead ends: an account with 2FA and no secret, and a server with no user yet
 * (`setup: false`). Tokens are refreshed with `GET /api/tokens` shortly before they
 * expire, and cached between runs. A token must be header-safe (it goes into every later
 * request's Authorization header): any other is an unexpected answer (exit 1), never cached,
 * and a cached one that is not is dropped.
 */
import { AuthError, ConfigError } from '../../core/errors.js';
import { expectShape, parseJson, type HttpClient, type HttpResponse } from '../../core/http/index.js';
import { registerSecret } from '../../core/redact.js';
import { npmError, npmMessage } from './errors.js';
import { healthSchema, tokenAnswerSchema, tokenSchema } from './schemas.js';
import type { CachedToken, TokenCache } from './token-cache.js';

/** The account homelab logs in with (from `npm/credentials`). */
export interface NpmLogin {
  email: string;
  password: string;
  /** Base32 TOTP secret, for an account with 2FA. */
  totpSecret?: string;
}

/** Refresh this long before `expires`. */
export const REFRESH_MARGIN_MS = 10 * 60_000;

/** Holds the current token of one client. */
export class NpmSession {
  private current?: CachedToken;
  private pending?: Promise<string>;

  constructor(private readonly http: HttpClient, private readonly account: NpmLogin, private readonly cache?: TokenCache, private readonly now: () => number = Date.now) {}

  /** A token valid for a while: the cached one, a refreshed one shortly before expiry, or a new login. Concurrent callers share one. */
  token(signal?: AbortSignal): Promise<string> {
    this.pending ??= this.fetchToken(signal).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  private async fetchToken(signal?: AbortSignal): Promise<string> {
    this.current ??= this.cache?.read();
    const cur = this.current;
    if (cur) {
      const left = Date.parse(cur.expires) - this.now();
      if (left > REFRESH_MARGIN_MS) return cur.token;
      if (left > 0) {
        const res = await this.http.request({ method: 'GET', path: '/tokens', headers: { authorization: `Bearer ${cur.token}` }, signal });
        if (res.status === 200) return this.keep(expectShape('proxy', 'token refresh', tokenSchema, parseJson('proxy', res)));
      }
    }
    return this.login(signal);
  }

  /** Drops the token (the server refused it) so the next call logs in. */
  forget(): void {
    this.current = undefined;
    this.cache?.clear();
  }

  /** Logs in with email and password (and the TOTP code when the account has 2FA). */
  async login(signal?: AbortSignal): Promise<string> {
    // A sign-in changes nothing homelab cares about: one left unanswered is "cannot reach", and it is retried like a read.
    const res = await this.http.request({ method: 'POST', path: '/tokens', json: { identity: this.account.email, secret: this.account.password }, signal, changes: false, idempotent: true });
    if (res.status !== 200) throw await this.loginError(res, signal);
    const body = parseJson('proxy', res);
    // An answer with a token is checked as one (a token that is not header-safe is named as such, not as a union mismatch).
    if (typeof body === 'object' && body !== null && 'token' in body) return this.keep(expectShape('proxy', 'login', tokenSchema, body));
    const answer = expectShape('proxy', 'login', tokenAnswerSchema, body);
    if ('token' in answer) return this.keep(answer);
    if (!this.account.totpSecret) {
      throw new AuthError('proxy', `${this.account.email} has two-factor authentication enabled`,
        'use a dedicated NPM account without 2FA for homelab, or add NPM_TOTP_SECRET=<base32 secret> to the npm credentials file');
    }
    const { TOTP, Secret } = await import('otpauth');
    const code = new TOTP({ secret: Secret.fromBase32(this.account.totpSecret.replace(/\s+/g, '').toUpperCase()) }).generate();
    // Not retried: the server may have taken the code already, and a second try would read as a wrong code.
    const done = await this.http.request({ method: 'POST', path: '/tokens/2fa', json: { challenge_token: answer.challenge_token, code }, signal, changes: false });
    if (done.status !== 200) {
      throw new AuthError('proxy', `two-factor code refused (${npmMessage(done)})`, 'check NPM_TOTP_SECRET in the npm credentials file and that this machine\'s clock is right');
    }
    return this.keep(expectShape('proxy', '2FA login', tokenSchema, parseJson('proxy', done)));
  }

  private keep(token: { token: string; expires: string }): string {
    registerSecret(token.token);
    this.current = { token: token.token, expires: token.expires };
    this.cache?.write(this.current);
    return token.token;
  }

  private async loginError(res: HttpResponse, signal?: AbortSignal): Promise<Error> {
    if (res.status !== 400) return npmError(res, 'login');
    const health = await this.http.request({ method: 'GET', path: '/', signal }).catch(() => undefined);
    const parsed = health?.status === 200 ? healthSchema.safeParse(parseJson('proxy', health)) : undefined;
    if (parsed?.success && parsed.data.setup === false) {
      return new ConfigError('proxy: Nginx Proxy Manager is not initialised: it has no user yet (setup: false)',
        'open its admin UI (port 81) to create the first admin, or set INITIAL_ADMIN_EMAIL and INITIAL_ADMIN_PASSWORD on its container; then put that login in NPM_EMAIL and NPM_PASSWORD');
    }
    return new AuthError('proxy', `login as ${this.account.email} refused (${npmMessage(res)})`,
      'check NPM_EMAIL (the account\'s email address, not a user name) and NPM_PASSWORD in the npm credentials file');
  }
}
