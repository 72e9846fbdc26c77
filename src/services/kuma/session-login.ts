/**
 * @module services/kuma/session-login
 * Logging a Kuma connection in: with the token the session holds (or the cached one,
 * `loginByToken`); when there is none or it is refused, with the password and, when the
 * server answers `tokenRequired`, a TOTP code. The token that worked is cached for the
 * next run and registered as a secret, so it never reaches output. A login that says ok
 * without a header-safe token, or an answer that is not an object, is an unexpected answer
 * (exit 1), not a refusal. Auth calls are retried
 * while unanswered: a server that just started drops the first calls. A 2FA code from the
 * secret that is refused (already used in this step) is followed once by the next step's;
 * Kuma's login rate limit is no credentials problem, and the error says to wait.
 */
import { z } from 'zod';
import { AuthError, TimeoutError, UnreachableError } from '../../core/errors.js';
import { expectShape, headerSafeToken } from '../../core/http/index.js';
import { registerSecret } from '../../core/redact.js';
import { ackMessage, type Ack } from './messages.js';
import { NoAnswer } from './socket-calls.js';
import type { KumaTokenCache } from './token-cache.js';
import { totpCode, type TotpSources } from './totp.js';

/** What a login needs from the session's options. */
export interface LoginOptions extends TotpSources {
  username: string;
  password: string;
  tokens: KumaTokenCache;
  /** Time limit of one call. */
  timeoutMs: number;
  progress?: (note: string) => void;
}

/** Emits an event and waits `ms` for its answer (`emitAck` on the session's socket). */
type Emit = (event: string, args: unknown[], ms: number) => Promise<Ack>;

/** An auth call: retried while unanswered (attempts of at most 3 s), for up to three times the time limit. */
async function authCall(emit: Emit, timeoutMs: number, event: string, args: unknown[]): Promise<Ack> {
  const started = Date.now();
  const attemptMs = Math.min(timeoutMs, 3000);
  for (;;) {
    try {
      return await emit(event, args, attemptMs);
    } catch (err) {
      if (err instanceof NoAnswer && Date.now() - started < timeoutMs * 3) continue;
      if (err instanceof NoAnswer) throw new TimeoutError('kuma', Date.now() - started, event);
      throw err;
    }
  }
}

/** What a successful login answers besides `ok`: a token (header-safe, as every cached login token is). */
const loginAnswerSchema = z.looseObject({ token: headerSafeToken });

/** The session's login state: the token it holds, and how often it logged in each way. */
export interface LoginState {
  token: string | undefined;
  readonly logins: { token: number; password: number };
}

/** Kuma's answer over its login rate limit (shared/api/uptime-kuma.md §2): not a verdict on the credentials. */
function rateLimited(res: Ack): boolean {
  return /too frequently/i.test(res.msg ?? '');
}

/** A refused 2FA code (2.x `authInvalidToken`, 1.23 "Invalid Token!"). */
function codeRefused(res: Ack): boolean {
  return res.msg === 'authInvalidToken' || /token/i.test(ackMessage(res));
}

/**
 * Logs in on the current connection through `emit`, updating `state`; a refusal is an
 * AuthError (exit 5), the login rate limit an UnreachableError (exit 4: try again later).
 */
export async function logIn(options: LoginOptions, emit: Emit, state: LoginState): Promise<void> {
  const ask = (event: string, args: unknown[]): Promise<Ack> => authCall(emit, options.timeoutMs, event, args);
  const cached = state.token ?? options.tokens.read();
  registerSecret(cached);
  if (cached) {
    const res = await ask('loginByToken', [cached]);
    if (res.ok === true) {
      state.token = cached;
      state.logins.token++;
      return;
    }
    options.tokens.clear();
    state.token = undefined;
  }
  options.progress?.('logging in to Uptime Kuma');
  const creds = { username: options.username, password: options.password };
  let res = await ask('login', [creds]);
  if (res.tokenRequired === true) {
    res = await ask('login', [{ ...creds, token: await totpCode(options) }]);
    // Kuma refuses a code it accepted once: a second password login within one 30 s step (another
    // surface, a fresh token cache) sent the same code. The next step's code, which Kuma's
    // one-step window accepts now, is tried once, when the code came from the secret.
    if (res.ok !== true && options.totpSecret && codeRefused(res) && !rateLimited(res)) res = await ask('login', [{ ...creds, token: await totpCode(options, 1) }]);
  }
  if (res.ok !== true) {
    const why = ackMessage(res) || 'login refused';
    if (rateLimited(res)) {
      throw new UnreachableError('kuma', `logins refused for now, over the server's limit of 20 a minute (${why})`,
        'wait a minute and run it again; the credentials were not checked');
    }
    throw new AuthError('kuma', `login refused: ${why}`,
      codeRefused(res) ? 'the 2FA code was wrong or already used; check KUMA_TOTP_SECRET or wait for the next code' : 'check KUMA_USERNAME and KUMA_PASSWORD in the kuma credentials file');
  }
  // A login that says ok hands out a token fit to keep and send again: anything else is an unexpected answer (exit 1), never cached.
  const { token } = expectShape('kuma', 'login', loginAnswerSchema, res);
  state.token = token;
  registerSecret(token);
  options.tokens.write(token);
  state.logins.password++;
}
