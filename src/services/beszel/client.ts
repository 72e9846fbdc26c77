/**
 * @module services/beszel/client
 * The Beszel hub client, on the official `pocketbase` SDK (imported lazily) with the
 * project's HTTP core underneath. Logs in with email and password, keeps the token in
 * the data directory, and handles PocketBase's quiet failure mode: a bad or expired
 * token is not an error, lists just come back empty. So every empty list is checked with
 * `auth-refresh` (a fresh token, or 401 = the token is dead, and then we log in again and
 * list again). Empty lists are rare (a down system's stats, no triggered alerts), so the
 * extra request is cheap.
 */
import { registerSecret } from '../../core/redact.js';
import type PocketBase from 'pocketbase';
import type { z } from 'zod';
import { AuthError, HomelabError, UsageError } from '../../core/errors.js';
import { expectShape, type HttpClient } from '../../core/http/index.js';
import { listEnvelope, type ListEnvelope } from './schemas.js';
import type { BeszelTokenCache } from './token-cache.js';
import { beszelError, fetchVia } from './transport.js';

/** What the client needs. */
export interface BeszelClientOptions {
  /** HTTP client whose base URL is the hub's `/api`. */
  http: HttpClient;
  /** The hub URL (what the SDK builds request URLs from). */
  url: string;
  email: string;
  password: string;
  cache?: BeszelTokenCache;
  progress?: (note: string) => void;
}

/** List parameters (shared/api/beszel.md §3). */
export interface ListQuery {
  filter?: string;
  sort?: string;
  fields?: string;
  page?: number;
  perPage?: number;
  skipTotal?: boolean;
}

/**
 * Quotes a value for a PocketBase filter expression. PocketBase's scanner (fexpr) turns only
 * `\'` back into a quote and keeps every other backslash as it is, so only quotes are escaped;
 * a value ending in a backslash would escape its own closing quote and cannot be matched.
 */
export function filterValue(value: string): string {
  if (value.endsWith('\\')) throw new UsageError(`"${value}" ends with a backslash, which a Beszel (PocketBase) filter cannot match`);
  return `'${value.replace(/'/g, "\\'")}'`;
}

/** Client of one Beszel hub. */
export class BeszelClient {
  readonly service = 'beszel';
  private pb: Promise<PocketBase> | undefined;
  /** How many times this client logged in with the password (tests read it). */
  logins = 0;

  constructor(private readonly options: BeszelClientOptions) {}

  /** The SDK instance, made once: calls that start together share it (and its login). */
  private sdk(): Promise<PocketBase> {
    this.pb ??= this.makeSdk();
    return this.pb;
  }

  private async makeSdk(): Promise<PocketBase> {
    const { default: PocketBaseSdk, BaseAuthStore } = await import('pocketbase');
    const pb = new PocketBaseSdk(this.options.url, new BaseAuthStore());
    pb.autoCancellation(false);
    const fetch = fetchVia(this.options.http);
    pb.beforeSend = (url, options) => ({ url, options: { ...options, fetch } });
    const cached = this.options.cache?.read();
    registerSecret(cached);
    if (cached) pb.authStore.save(cached, null);
    pb.authStore.onChange((token) => {
      registerSecret(token);
      if (token) this.options.cache?.write(token);
      else this.options.cache?.clear();
    });
    return pb;
  }

  /** A login under way: calls that find no valid token at once share it. */
  private loggingIn: Promise<void> | undefined;

  /** Logs in with email and password (identity must be the email); one login at a time. */
  login(signal?: AbortSignal): Promise<void> {
    this.loggingIn ??= this.passwordLogin(signal).finally(() => { this.loggingIn = undefined; });
    return this.loggingIn;
  }

  private async passwordLogin(signal?: AbortSignal): Promise<void> {
    const pb = await this.sdk();
    this.options.progress?.('logging in to Beszel');
    try {
      await pb.collection('users').authWithPassword(this.options.email, this.options.password, { signal });
    } catch (err) {
      throw loginError(err);
    }
    this.logins++;
  }

  /** Whether the current token is still accepted (`auth-refresh`: a fresh token, or 401). */
  async tokenValid(signal?: AbortSignal): Promise<boolean> {
    const pb = await this.sdk();
    if (!pb.authStore.token) return false;
    try {
      await pb.collection('users').authRefresh({ signal });
      return true;
    } catch (err) {
      const e = beszelError(err, 'check the auth token');
      if (e instanceof AuthError || (err as { status?: number }).status === 404) {
        pb.authStore.clear();
        return false;
      }
      throw e;
    }
  }

  /** One page of a collection; an empty page is double-checked against a dead token. */
  async list<S extends z.ZodType>(collection: string, schema: S, query: ListQuery = {}, signal?: AbortSignal): Promise<ListEnvelope<z.infer<S>>> {
    const pb = await this.sdk();
    if (!pb.authStore.isValid) await this.login(signal);
    const used = pb.authStore.token;
    const page = await this.fetchPage(pb, collection, schema, query, signal);
    if (page.items.length > 0) return page;
    // A concurrent call changed the token while this page was asked for: ask again with the new one.
    if (pb.authStore.isValid && pb.authStore.token !== used) return this.fetchPage(pb, collection, schema, query, signal);
    if (await this.tokenValid(signal)) return page;
    await this.login(signal);
    return this.fetchPage(pb, collection, schema, query, signal);
  }

  /** Every record of a collection matching the query, page by page. */
  async listAll<S extends z.ZodType>(collection: string, schema: S, query: Omit<ListQuery, 'page' | 'perPage' | 'skipTotal'> = {}, signal?: AbortSignal): Promise<z.infer<S>[]> {
    const items: z.infer<S>[] = [];
    for (let page = 1; ; page++) {
      const result = await this.list(collection, schema, { ...query, page, perPage: 500 }, signal);
      items.push(...result.items);
      if (page >= result.totalPages || result.items.length === 0) return items;
    }
  }

  private async fetchPage<S extends z.ZodType>(pb: PocketBase, collection: string, schema: S, query: ListQuery, signal?: AbortSignal): Promise<ListEnvelope<z.infer<S>>> {
    let raw: unknown;
    try {
      raw = await pb.collection(collection).getList(query.page ?? 1, query.perPage ?? 30, {
        ...(query.filter ? { filter: query.filter } : {}),
        ...(query.sort ? { sort: query.sort } : {}),
        ...(query.fields ? { fields: query.fields } : {}),
        ...(query.skipTotal ? { skipTotal: true } : {}),
        signal,
      });
    } catch (err) {
      throw beszelError(err, `list ${collection}`);
    }
    return expectShape(this.service, `list ${collection}`, listEnvelope(schema), raw);
  }

  /** Nothing to release: HTTP connections are pooled by the HTTP core. */
  close(): void {
    this.pb = undefined;
  }
}

function loginError(err: unknown): HomelabError {
  const e = err as { status?: number; response?: { mfaId?: unknown; message?: unknown } };
  if (e.status === 401 && e.response?.mfaId) {
    return new AuthError('beszel', 'the hub asks for a one-time password (MFA_OTP is on)', 'homelab logs in with a password only: use a hub without MFA_OTP, or a dedicated user on a hub without it');
  }
  if (e.status === 400) {
    return new AuthError('beszel', `login refused (${String(e.response?.message ?? 'Failed to authenticate.')})`, 'BESZEL_EMAIL must be the email address (not the username); check BESZEL_PASSWORD');
  }
  if (e.status === 403) {
    return new AuthError('beszel', `the user may not log in: ${String(e.response?.message ?? 'forbidden')}`, 'users added by hand in the Beszel admin UI must be ticked "verified"');
  }
  return beszelError(err, 'log in');
}
