/**
 * @module services/dns/client
 * The typed wire client of the Technitium DNS API (see shared/api/technitium.md).
 * Every answer is HTTP 200, so the `status` field decides: `error` becomes an
 * ApiError, `invalid-token` and `2fa-required` an AuthError. The token goes in the
 * `Authorization: Bearer` header (v15+) or the `token` parameter (older servers):
 * configured, or detected once and remembered (from the version a login reports, or
 * for an API token by trying the other way once: a server before v15 answers a
 * Bearer-only call with "Parameter 'token' missing."). A user/password login keeps its
 * session token in the data directory and logs in again when the session expires.
 * Booleans are sent as `true`/`false` (the server's `bool.Parse` refuses 1/0).
 */
import { z } from 'zod';
import { ApiError, AuthError, NotFoundError, type HomelabError } from '../../core/errors.js';
import { expectShape, parseJson, publishAcceptedChange, serverText, statusText, type HttpClient, type HttpResponse, type Params } from '../../core/http/index.js';
import { registerSecret } from '../../core/redact.js';
import {
  addedSchema, envelopeSchema, loginSchema, recordsResponseSchema, statsResponseSchema, updatedSchema, zoneSchema,
  type TechnitiumRecord, type TechnitiumZone,
} from './schemas.js';
import type { DnsState, DnsStateFile } from './state-file.js';

/** How the token is passed: detected, or fixed by `services.dns.api`. */
export type DnsApiMode = 'auto' | 'bearer' | 'query';

/** Parameters of a call; booleans become `true`/`false`. */
export type DnsParams = Record<string, string | number | boolean | undefined>;

/** Credentials: a permanent API token, or a user and password (session login). */
export interface DnsCredentials {
  token?: string;
  user?: string;
  password?: string;
}

/** The dashboard periods of `/api/dashboard/stats/get`. */
export const STATS_PERIODS = { hour: 'LastHour', day: 'LastDay', week: 'LastWeek', month: 'LastMonth', year: 'LastYear' } as const;

const TOKEN_HINT = 'check DNS_TOKEN in the dns credentials file (Technitium: Administration → Sessions → Create Token)';

type Envelope = z.infer<typeof envelopeSchema>;

/**
 * Whether an answer says the token was not accepted or not seen at all (how v13/v14 answer a
 * Bearer header); any other `error` is the server's own failure, not a refusal (doctor uses this too).
 */
export function refusedTheToken(env: Pick<Envelope, 'status' | 'errorMessage'>): boolean {
  return env.status === 'invalid-token' || (env.status === 'error' && /^Parameter 'token' missing\.?$/i.test(env.errorMessage?.trim() ?? ''));
}

/** Client of one Technitium DNS server. */
export class DnsClient {
  readonly service = 'dns';
  private state: DnsState;

  constructor(
    private readonly http: HttpClient,
    private readonly creds: DnsCredentials,
    private readonly mode: DnsApiMode = 'auto',
    private readonly stateFile?: DnsStateFile,
  ) {
    this.state = stateFile?.read() ?? { url: http.baseUrl };
  }

  /** Calls `<path>` under `/api` and returns `response` (or the whole answer for flat calls). Writes go as POST forms. */
  async call(path: string, params: DnsParams = {}, options: { write?: boolean; signal?: AbortSignal } = {}): Promise<unknown> {
    let token = await this.token(options.signal);
    let mode = this.currentMode();
    let env = await this.send(path, params, token, mode, options);
    // Only while the way to send the token is unknown: once detected, a refusal means the token is dead (and a write is not sent twice).
    // A server before v15 given only the header answers "Parameter 'token' missing." (an error, not invalid-token); neither answer applied anything.
    if (refusedTheToken(env) && this.mode === 'auto' && this.creds.token && this.state.apiMode === undefined) {
      const other = mode === 'bearer' ? 'query' : 'bearer';
      const retry = await this.send(path, params, token, other, options);
      if (!refusedTheToken(retry)) mode = other;
      // Refused both ways: `invalid-token` says more than the missing parameter the header-only try drew.
      if (!refusedTheToken(retry) || env.status !== 'invalid-token') env = retry;
    }
    if (env.status === 'invalid-token' && !this.creds.token) {
      token = await this.login(options.signal);
      mode = this.currentMode();
      env = await this.send(path, params, token, mode, options);
    }
    if (env.status === 'ok' && this.mode === 'auto' && this.state.apiMode !== mode) this.remember({ apiMode: mode });
    const value = unwrap(env, path);
    // Technitium answers a refused write with 200 as well: a write is accepted only once its envelope says ok.
    if (options.write) publishAcceptedChange({ service: this.service, method: 'POST', path, status: 200 });
    return value;
  }

  /** The way the token is sent now. */
  currentMode(): 'bearer' | 'query' {
    return this.mode === 'auto' ? (this.state.apiMode ?? 'bearer') : this.mode;
  }

  private async token(signal?: AbortSignal): Promise<string> {
    if (this.creds.token) return this.creds.token;
    return this.state.sessionToken ?? this.login(signal);
  }

  private remember(change: Partial<DnsState>): void {
    this.state = { ...this.state, ...change };
    this.stateFile?.write(this.state);
  }

  private async login(signal?: AbortSignal): Promise<string> {
    // A sign-in changes nothing homelab cares about: one left unanswered is "cannot reach", and it is retried like a read.
    const res = await this.http.request({ method: 'POST', path: '/user/login', form: { user: this.creds.user, pass: this.creds.password, includeInfo: 'true' }, signal, changes: false, idempotent: true });
    const env = this.envelope(res, '/user/login');
    if (env.status === '2fa-required') {
      throw new AuthError(this.service, `user ${this.creds.user} has two-factor authentication enabled`, 'put a permanent API token in DNS_TOKEN instead of DNS_USER/DNS_PASSWORD (Administration → Sessions → Create Token)');
    }
    if (env.status !== 'ok') throw new AuthError(this.service, `login as ${this.creds.user} refused: ${serverText(env.errorMessage ?? env.status)}`, 'check DNS_USER and DNS_PASSWORD in the dns credentials file');
    const login = expectShape(this.service, 'login', loginSchema, env);
    registerSecret(login.token);
    const version = login.info?.version;
    const apiMode = this.mode === 'auto' && version ? (Number(version.split('.')[0]) >= 15 ? 'bearer' : 'query') : this.state.apiMode;
    this.remember({ sessionToken: login.token, apiMode });
    return login.token;
  }

  private async send(path: string, params: DnsParams, token: string, mode: 'bearer' | 'query', options: { write?: boolean; signal?: AbortSignal }): Promise<Envelope> {
    const encoded = encode(mode === 'query' ? { ...params, token } : params);
    const headers = mode === 'bearer' ? { authorization: `Bearer ${token}` } : undefined;
    const res = await this.http.request(options.write
      ? { method: 'POST', path, form: encoded, headers, signal: options.signal, statusSaysAccepted: false }
      : { method: 'GET', path, query: encoded, headers, signal: options.signal });
    return this.envelope(res, path);
  }

  private envelope(res: HttpResponse, path: string): Envelope {
    if (res.status === 404) throw new NotFoundError(this.service, 404, `HTTP 404 for ${path}: is services.dns.url a Technitium DNS server?`);
    if (res.status !== 200) throw new ApiError(this.service, res.status, `${statusText(res)} (for ${path})`);
    return expectShape(this.service, path, envelopeSchema, parseJson(this.service, res));
  }

  /** Every zone (internal ones included). */
  async zones(signal?: AbortSignal): Promise<TechnitiumZone[]> {
    const res = await this.call('/zones/list', {}, { signal });
    return expectShape(this.service, 'zones/list', z.object({ zones: z.array(zoneSchema) }), res).zones;
  }

  /** Records at `domain`, or of its whole zone with `listZone`. */
  async records(domain: string, options: { zone?: string; listZone?: boolean; signal?: AbortSignal } = {}): Promise<{ zone: TechnitiumZone; records: TechnitiumRecord[] }> {
    const res = await this.call('/zones/records/get', { domain, zone: options.zone, listZone: options.listZone }, { signal: options.signal });
    return expectShape(this.service, 'records/get', recordsResponseSchema, res);
  }

  /** Adds a record; returns it as the server stored it. */
  async addRecord(params: DnsParams, signal?: AbortSignal): Promise<TechnitiumRecord> {
    const res = await this.call('/zones/records/add', params, { write: true, signal });
    return expectShape(this.service, 'records/add', addedSchema, res).addedRecord;
  }

  /** Updates a record (callers must resend TTL, comments and disabled: the server resets them). */
  async updateRecord(params: DnsParams, signal?: AbortSignal): Promise<TechnitiumRecord> {
    const res = await this.call('/zones/records/update', params, { write: true, signal });
    return expectShape(this.service, 'records/update', updatedSchema, res).updatedRecord;
  }

  /** Deletes a record identified by its current data. */
  async deleteRecord(params: DnsParams, signal?: AbortSignal): Promise<void> {
    await this.call('/zones/records/delete', params, { write: true, signal });
  }

  /** Dashboard counters and top lists for a period. */
  async stats(period: keyof typeof STATS_PERIODS, signal?: AbortSignal): Promise<z.infer<typeof statsResponseSchema>> {
    const res = await this.call('/dashboard/stats/get', { type: STATS_PERIODS[period] }, { signal });
    return expectShape(this.service, 'dashboard/stats/get', statsResponseSchema, res);
  }

  /** Flushes the resolver cache. */
  async flushCache(signal?: AbortSignal): Promise<void> {
    await this.call('/cache/flush', {}, { write: true, signal });
  }
}

function encode(params: DnsParams): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'boolean' ? String(v) : v;
  return out;
}

/** Maps an answer's `status` to the response or a typed error. */
export function unwrap(env: Envelope, path: string): unknown {
  if (env.status === 'ok') return env.response ?? env;
  throw envelopeError(env, path);
}

function envelopeError(env: Envelope, path: string): HomelabError {
  const message = serverText([env.errorMessage, env.innerErrorMessage].filter(Boolean).join(': ')) || `${path} failed`;
  if (env.status === 'invalid-token') return new AuthError('dns', `token refused (${message})`, TOKEN_HINT);
  if (env.status === '2fa-required') return new AuthError('dns', 'the server asks for a TOTP code', 'use a permanent API token in DNS_TOKEN');
  if (env.status === 'error') {
    if (/no such (record|zone)|not found|no authoritative zone/i.test(message)) return new NotFoundError('dns', 200, message);
    return new ApiError('dns', 200, message);
  }
  return new ApiError('dns', 200, `unexpected status ${serverText(env.status, 40)}: ${message}`);
}
