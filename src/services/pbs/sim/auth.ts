/**
 * @module services/pbs/sim/auth
 * PBS authentication as proxmox-rest-server does it (pbs.md §4): the ticket cookie
 * (`PBSAuthCookie`, `__Host-PBSAuthCookie` preferred) with `CSRFPreventionToken` on
 * writes, or `Authorization: PBSAPIToken=USER@REALM!TOKENID:SECRET` (or a space after
 * `PBSAPIToken`), split at the first `:` with the secret percent-decoded. A token sent
 * PVE-style with `=` before the secret has no `:`, so its whole value is read as the
 * token id and refused with `invalid token name`, as real PBS does.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { PbsSimState, Priv } from './state.js';
import { ALL_PRIVS } from './state.js';

/** Who is calling, once authenticated. */
export interface Caller {
  /** `user@realm` or `user@realm!token`. */
  authId: string;
  privs: Set<Priv>;
}

/** The outcome: a caller, or the reason of a 401 (`authentication failed - <reason>`). */
export type AuthResult = { ok: true; caller: Caller } | { ok: false; reason: string };

const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const USER_NAME = /^[^\s:/\p{Cc}]+$/u;

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Parses an auth id the way pbs-api-types `Authid::from_str` does; throws its error text. */
export function parseAuthId(id: string): { userid: string; token?: string } {
  const at = id.lastIndexOf('@');
  if (at < 0) throw new Error('not a valid user id');
  const bang = id.lastIndexOf('!');
  const realmEnd = bang > at ? bang : id.length;
  if (realmEnd === id.length - 1) throw new Error('empty token name in userid');
  const userid = id.slice(0, realmEnd);
  const name = userid.slice(0, at);
  const realm = userid.slice(at + 1);
  if (!USER_NAME.test(name)) throw new Error('invalid user name in user id');
  if (!SAFE_ID.test(realm) || realm.length < 3 || realm.length > 32) throw new Error('invalid realm in user id');
  if (realmEnd === id.length) return { userid };
  const token = id.slice(realmEnd + 1);
  if (!SAFE_ID.test(token)) throw new Error('invalid token name');
  return { userid, token };
}

function checkToken(state: PbsSimState, value: string): AuthResult {
  const colon = value.indexOf(':');
  const idPart = colon < 0 ? value : value.slice(0, colon);
  let parsed: { userid: string; token?: string };
  try {
    parsed = parseAuthId(idPart);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  const active = parsed.token ? state.tokens.get(idPart)?.enabled === true : true;
  if (!active || !state.users.has(parsed.userid)) return { ok: false, reason: 'user account or token disabled or expired.' };
  if (colon < 0) return { ok: false, reason: 'failed to split API token header' };
  let secret: string;
  try {
    secret = decodeURIComponent(value.slice(colon + 1));
  } catch {
    return { ok: false, reason: 'failed to decode API token header' };
  }
  if (!parsed.token) return { ok: false, reason: 'not an API token ID' };
  const token = state.tokens.get(idPart);
  if (!token) return { ok: false, reason: 'invalid API token' };
  if (secret !== token.secret) return { ok: false, reason: 'invalid credentials' };
  return { ok: true, caller: { authId: idPart, privs: token.privs } };
}

/** Authenticates a request; undefined when it carries no credentials at all. */
export function authenticate(state: PbsSimState, method: string, headers: IncomingHttpHeaders): AuthResult | undefined {
  const ticket = cookie(headers.cookie, '__Host-PBSAuthCookie') ?? cookie(headers.cookie, 'PBSAuthCookie');
  if (ticket !== undefined) {
    const session = state.tickets.get(ticket);
    if (!session) return { ok: false, reason: 'invalid ticket - expired or invalid' };
    if (method !== 'GET') {
      const csrf = headers['csrfpreventiontoken'];
      if (!csrf) return { ok: false, reason: 'missing CSRF prevention token' };
      if (csrf !== session.csrf) return { ok: false, reason: 'invalid CSRF prevention token' };
    }
    return { ok: true, caller: { authId: session.userid, privs: new Set(ALL_PRIVS) } };
  }
  const auth = headers.authorization;
  if (auth && (auth.startsWith('PBSAPIToken=') || auth.startsWith('PBSAPIToken '))) return checkToken(state, auth.slice('PBSAPIToken='.length));
  return undefined;
}
