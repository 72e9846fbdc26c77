/**
 * @module services/pve/sim/auth
 * Authentication as pveproxy does it (fact sheet §4): the stateless
 * `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET` header (also with a space, split
 * at the last `=`, URL-unescaped), and tickets from `POST /access/ticket` sent as the
 * `PVEAuthCookie` cookie (or `Authorization: PVEAuthCookie=`), which need a matching
 * `CSRFPreventionToken` header on every write.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { type Identity, rootIdentity, type SimToken, tokenIdentity } from './identities.js';

/** A ticket handed out by `POST /access/ticket`. */
export interface SimTicket {
  ticket: string;
  csrf: string;
  identity: Identity;
  /** Unix epoch seconds. */
  issuedAt: number;
}

/** The outcome of authenticating one request. */
export type AuthOutcome = { ok: true; identity: Identity } | { ok: false; reason: string };

/** Ticket lifetime: 2 hours (plus PVE's 5 minutes of clock grace). */
const TICKET_LIFETIME_S = 2 * 3600 + 300;

/** Token and ticket store of one simulator. */
export class Access {
  readonly tickets = new Map<string, SimTicket>();
  /** Token ids revoked (deleted or expired on the server): refused as unknown tokens are. */
  readonly revoked = new Set<string>();

  constructor(
    readonly tokens: readonly SimToken[],
    /** Password of `root@pam` for ticket logins. */
    readonly rootPassword: string,
  ) {}

  /** Issues a ticket and CSRF token for `identity`. */
  issueTicket(identity: Identity, now: number): SimTicket {
    const time = now.toString(16).toUpperCase().padStart(8, '0');
    const ticket = `PVE:${identity.userid}:${time}::${randomBytes(256).toString('base64')}`;
    const csrf = `${time}:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
    const entry = { ticket, csrf, identity, issuedAt: now };
    this.tickets.set(ticket, entry);
    return entry;
  }

  /** Authenticates a request by its headers. */
  authenticate(method: string, headers: IncomingHttpHeaders, now: number): AuthOutcome {
    const header = headers.authorization ?? '';
    const token = /^PVEAPIToken[= ](.*)$/s.exec(header);
    if (token) return this.byToken(unescape(token[1] ?? ''));
    const cookieTicket = /^PVEAuthCookie=(.*)$/s.exec(header)?.[1] ?? readCookie(headers.cookie, 'PVEAuthCookie');
    if (cookieTicket === undefined || cookieTicket === '') return { ok: false, reason: 'No ticket' };
    const entry = this.tickets.get(unescape(cookieTicket));
    if (!entry || now - entry.issuedAt > TICKET_LIFETIME_S) return { ok: false, reason: 'Authentication failed!' };
    if (method !== 'GET' && headers.csrfpreventiontoken !== entry.csrf) {
      return { ok: false, reason: 'Permission denied - invalid csrf token' };
    }
    return { ok: true, identity: entry.identity };
  }

  /** Checks a `root@pam` password login (username `root@pam`, or `root` with realm `pam`). */
  login(username: string, realm: string | undefined, password: string): Identity | undefined {
    const user = realm && !username.includes('@') ? `${username}@${realm}` : username;
    if (user !== 'root@pam') return undefined;
    if (password === this.rootPassword) return rootIdentity();
    const renewing = this.tickets.get(password);
    return renewing?.identity.userid === 'root@pam' ? rootIdentity() : undefined;
  }

  private byToken(value: string): AuthOutcome {
    const eq = value.lastIndexOf('=');
    if (eq < 0) return { ok: false, reason: 'Authentication failed!' };
    const id = value.slice(0, eq);
    const secret = value.slice(eq + 1);
    const token = this.tokens.find((t) => t.id === id && !this.revoked.has(t.id));
    if (!token || token.secret !== secret) return { ok: false, reason: 'Authentication failed!' };
    return { ok: true, identity: tokenIdentity(token) };
  }
}

function unescape(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function readCookie(cookie: string | undefined, name: string): string | undefined {
  for (const part of (cookie ?? '').split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return rest.join('=');
  }
  return undefined;
}
