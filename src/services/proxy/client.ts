/**
 * @module services/proxy/client
 * The typed wire client of the Nginx Proxy Manager API (see shared/api/nginx-proxy-manager.md).
 * Every call carries `Authorization: Bearer <jwt>` from the session. When the server
 * refuses the token (400 `Token has expired`, or a 500 that a probe shows is about the
 * token) it logs in once more and repeats the call. Bodies carry only the fields the
 * API accepts: its schemas reject anything else.
 */
import { z } from 'zod';
import { expectShape, parseJson, type HttpClient, type HttpResponse, type Params } from '../../core/http/index.js';
import { isExpired, npmError } from './errors.js';
import {
  accessListSchema, auditSchema, certificateSchema, deadHostSchema, healthSchema, proxyHostSchema, redirectionHostSchema, streamSchema,
  type NpmProxyHost,
} from './schemas.js';
import type { NpmSession } from './session.js';

/** Writable proxy host fields (what POST/PUT accept; see the sheet §5). */
export interface ProxyHostBody {
  domain_names?: string[];
  forward_scheme?: 'http' | 'https';
  forward_host?: string;
  forward_port?: number;
  certificate_id?: number | 'new';
  ssl_forced?: boolean;
  http2_support?: boolean;
  hsts_enabled?: boolean;
  hsts_subdomains?: boolean;
  block_exploits?: boolean;
  caching_enabled?: boolean;
  allow_websocket_upgrade?: boolean;
  access_list_id?: number;
  advanced_config?: string;
}

const HOST_EXPAND = 'certificate,access_list';

/** Let's Encrypt requests run certbot synchronously on the server: allow them minutes. */
export const CERTBOT_TIMEOUT_MS = 300_000;

/** Options of one call. */
export interface CallOptions {
  query?: Params;
  json?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Client of one NPM server. */
export class NpmClient {
  readonly service = 'proxy';

  constructor(private readonly http: HttpClient, readonly session: NpmSession) {}

  /** Sends an authenticated request and returns the parsed JSON body; error answers throw. */
  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: CallOptions = {}): Promise<unknown> {
    let res = await this.send(method, path, await this.session.token(options.signal), options);
    if (isExpired(res) || (res.status === 500 && (await this.tokenIsBad(options.signal)))) {
      this.session.forget();
      res = await this.send(method, path, await this.session.login(options.signal), options);
    }
    if (res.status >= 400) throw npmError(res, `${method} ${path}`);
    return parseJson(this.service, res);
  }

  private send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, token: string, options: CallOptions): Promise<HttpResponse> {
    return this.http.request({ method, path, query: options.query, json: options.json, headers: { authorization: `Bearer ${token}` }, signal: options.signal, timeoutMs: options.timeoutMs });
  }

  /** After a 500: does a harmless authenticated read fail too? Then the token is what the server refuses. */
  private async tokenIsBad(signal?: AbortSignal): Promise<boolean> {
    const probe = await this.send('GET', '/users/me', await this.session.token(signal), { signal });
    return probe.status === 500 || isExpired(probe);
  }

  /** `GET /api/` (no auth): status, setup, version. */
  async health(signal?: AbortSignal): Promise<z.infer<typeof healthSchema>> {
    const res = await this.http.request({ method: 'GET', path: '/', signal });
    if (res.status !== 200) throw npmError(res, 'GET /api/');
    return expectShape(this.service, 'GET /api/', healthSchema, parseJson(this.service, res));
  }

  /** Every proxy host, with certificate and access list. */
  async proxyHosts(signal?: AbortSignal): Promise<NpmProxyHost[]> {
    const body = await this.call('GET', '/nginx/proxy-hosts', { query: { expand: HOST_EXPAND }, signal });
    return expectShape(this.service, 'proxy host list', z.array(proxyHostSchema), body);
  }

  /** One proxy host, with certificate and access list. */
  async proxyHost(id: number, signal?: AbortSignal): Promise<NpmProxyHost> {
    const body = await this.call('GET', `/nginx/proxy-hosts/${id}`, { query: { expand: HOST_EXPAND }, signal });
    return expectShape(this.service, `proxy host ${id}`, proxyHostSchema, body);
  }

  /** Creates a proxy host (201). */
  async createProxyHost(body: ProxyHostBody, signal?: AbortSignal): Promise<NpmProxyHost> {
    const timeoutMs = body.certificate_id === 'new' ? CERTBOT_TIMEOUT_MS : undefined;
    return expectShape(this.service, 'created proxy host', proxyHostSchema, await this.call('POST', '/nginx/proxy-hosts', { json: body, signal, timeoutMs }));
  }

  /** Changes only the given fields of a proxy host. */
  async updateProxyHost(id: number, body: ProxyHostBody, signal?: AbortSignal): Promise<NpmProxyHost> {
    const timeoutMs = body.certificate_id === 'new' ? CERTBOT_TIMEOUT_MS : undefined;
    return expectShape(this.service, 'updated proxy host', proxyHostSchema, await this.call('PUT', `/nginx/proxy-hosts/${id}`, { json: body, signal, timeoutMs }));
  }

  /** Deletes a proxy host. */
  async deleteProxyHost(id: number, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE', `/nginx/proxy-hosts/${id}`, { signal });
  }

  /** Enables or disables a proxy host (400 when it already is). */
  async setProxyHostEnabled(id: number, enabled: boolean, signal?: AbortSignal): Promise<void> {
    await this.call('POST', `/nginx/proxy-hosts/${id}/${enabled ? 'enable' : 'disable'}`, { signal });
  }

  /** Certificates (never their meta). */
  async certificates(signal?: AbortSignal): Promise<z.infer<typeof certificateSchema>[]> {
    return expectShape(this.service, 'certificate list', z.array(certificateSchema), await this.call('GET', '/nginx/certificates', { signal }));
  }

  /** Requests a Let's Encrypt certificate for `domains` (certbot runs while the call waits: minutes). */
  async requestCertificate(domains: string[], signal?: AbortSignal): Promise<z.infer<typeof certificateSchema>> {
    const body = await this.call('POST', '/nginx/certificates', { json: { provider: 'letsencrypt', domain_names: domains, meta: { dns_challenge: false } }, signal, timeoutMs: CERTBOT_TIMEOUT_MS });
    return expectShape(this.service, 'created certificate', certificateSchema, body);
  }

  /** Deletes a certificate (hosts using it fall back to no TLS). */
  async deleteCertificate(id: number, signal?: AbortSignal): Promise<void> {
    await this.call('DELETE', `/nginx/certificates/${id}`, { signal });
  }

  /** Redirection hosts. */
  async redirectionHosts(signal?: AbortSignal): Promise<z.infer<typeof redirectionHostSchema>[]> {
    return expectShape(this.service, 'redirection host list', z.array(redirectionHostSchema), await this.call('GET', '/nginx/redirection-hosts', { signal }));
  }

  /** 404 hosts. */
  async deadHosts(signal?: AbortSignal): Promise<z.infer<typeof deadHostSchema>[]> {
    return expectShape(this.service, 'dead host list', z.array(deadHostSchema), await this.call('GET', '/nginx/dead-hosts', { signal }));
  }

  /** Streams. */
  async streams(signal?: AbortSignal): Promise<z.infer<typeof streamSchema>[]> {
    return expectShape(this.service, 'stream list', z.array(streamSchema), await this.call('GET', '/nginx/streams', { signal }));
  }

  /** Access lists with their users and client rules. */
  async accessLists(signal?: AbortSignal): Promise<z.infer<typeof accessListSchema>[]> {
    const body = await this.call('GET', '/nginx/access-lists', { query: { expand: 'items,clients' }, signal });
    return expectShape(this.service, 'access list list', z.array(accessListSchema), body);
  }

  /** The audit log, newest first (the server keeps answering at most 100 rows). */
  async auditLog(signal?: AbortSignal): Promise<z.infer<typeof auditSchema>[]> {
    return expectShape(this.service, 'audit log', z.array(auditSchema), await this.call('GET', '/audit-log', { query: { expand: 'user' }, signal }));
  }
}
