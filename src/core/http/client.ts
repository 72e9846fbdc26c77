/**
 * @module core/http/client
 * The one HTTP client every service uses: keep-alive connections (see transport.ts for
 * the wire), one deadline per request covering connect, TLS handshake, headers and
 * body, retries with backoff only for idempotent reads, TLS verification always on (or
 * a pinned fingerprint), progress while a server is slow, and typed errors with secrets
 * redacted and server text cut (server-text.ts); what a request left unanswered becomes is
 * decided in failure.ts. A redirect is never followed (redirect.ts: exit 3), and a header
 * that cannot be sent fails before connecting (header-safe.ts). It never decides what a 4xx means for a given API: it returns
 * every answer and the service client maps it (see `statusError` in answer-checks.ts for
 * the common mapping).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { CancelledError, ConfigError, TlsError, UnreachableError } from '../errors.js';
import { redact } from '../redact.js';
import { parseJson, statusError } from './answer-checks.js';
import { publishAcceptedChange } from './change-channel.js';
import { errorCode, requestFailure } from './failure.js';
import { badHeaderName, headerError } from './header-safe.js';
import { isRedirect, redirectError } from './redirect.js';
import { defaultTransport, transportFor, type TransportName } from './transport.js';

export { closeAllAgents } from './transport.js';
export { MAX_ANSWER_BYTES, UnexpectedAnswerError } from './unexpected-answer.js';
export { UnansweredError } from './unanswered.js';
export { RedirectError } from './redirect.js';
export { publishAcceptedChange } from './change-channel.js';
export { expectShape, parseJson, statusError } from './answer-checks.js';

/** Options of one service's HTTP client. */
export interface HttpClientOptions {
  /** Service name used in every error message (`pve`, `dns`, …). */
  service: string;
  /** Prefix of every request path, e.g. `https://10.5.0.1:8006/api2/json`. */
  baseUrl: string;
  /** Pinned SHA-256 certificate fingerprint. */
  fingerprint?: string;
  /** Per-request timeout; default 15 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent reads; default 2. */
  retries?: number;
  /** First backoff delay; doubled on each retry. Default 250 ms. */
  backoffMs?: number;
  /** Headers on every request (auth). Values are treated as secrets in errors. */
  headers?: () => Record<string, string>;
  /** Told when an answer is slow to come (spinner on a TTY, an edited message on Telegram). */
  progress?: (note: string) => void;
  /** How long to wait before telling `progress`; default 1 s. */
  slowAfterMs?: number;
  /** The wire to use; default `defaultTransport()` (see transport.ts). */
  transport?: TransportName;
  /** The setting a redirect tells the user to change; default `services.<service>.url` (`telegram.api_root` for telegram). */
  urlSetting?: string;
}

/** Query or form parameters; undefined values are left out, booleans become 1/0. */
export type Params = Record<string, string | number | boolean | undefined | null>;

/** One request. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  query?: Params;
  json?: unknown;
  form?: Params;
  headers?: Record<string, string>;
  /** Retry on network failure and 502/503/504. Default: true for GET. */
  idempotent?: boolean;
  /**
   * Whether the request may change something on the server; default: true for anything
   * but GET. False for a sign-in (`POST /tokens`, `/user/login`): one sent and left
   * unanswered then fails as timed out or cannot reach, never "it may have been applied".
   * Retrying is still `idempotent`'s call.
   */
  changes?: boolean;
  /**
   * Whether an answer below 400 to a change means the service accepted it (default true):
   * false for an API that answers its refusals with 200 too (Technitium's `status: error`),
   * whose client announces an accepted change itself (`publishAcceptedChange`) once it has
   * read the answer.
   */
  statusSaysAccepted?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** An answer, whatever its status. */
export interface HttpResponse {
  status: number;
  /** The HTTP reason phrase (PVE and PBS put their error message there). */
  statusText: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Encodes params for a query string or a form body. */
export function encodeParams(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    search.append(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return search.toString();
}

const RETRY_STATUS = new Set([502, 503, 504]);
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ETIMEDOUT', 'EAI_AGAIN']);

/** A typed HTTP client bound to one service. */
export class HttpClient {
  readonly service: string;
  private readonly base: URL;

  /** Throws a ConfigError for a pinned fingerprint on a URL that is not https (the pin would not be checked). */
  constructor(private readonly options: HttpClientOptions) {
    this.service = options.service;
    this.base = new URL(options.baseUrl.replace(/\/+$/, ''));
    if (options.fingerprint && this.base.protocol !== 'https:') {
      throw new ConfigError(`services.${options.service}.fingerprint: fingerprint needs an https:// URL (got ${redact(this.base.origin)})`,
        `set services.${options.service}.url to the https:// address, or remove its fingerprint`);
    }
  }

  /** The base URL requests are made against. */
  get baseUrl(): string {
    return this.base.href;
  }

  /** Sends a request and returns the answer, retrying idempotent reads on transient failures. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const idempotent = req.idempotent ?? req.method === 'GET';
    const attempts = idempotent ? 1 + (this.options.retries ?? 2) : 1;
    let delay = this.options.backoffMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.once(req, !idempotent && req.changes !== false);
        // Never followed: the credentials would go wherever it points; the fix is the configured URL.
        if (isRedirect(res.status)) throw redirectError(this.service, res, this.url(req.path), this.options.urlSetting);
        if ((req.changes ?? req.method !== 'GET') && req.statusSaysAccepted !== false && res.status < 400) publishAcceptedChange({ service: this.service, method: req.method, path: redact(req.path), status: res.status });
        if (attempt < attempts && RETRY_STATUS.has(res.status)) {
          await sleep(delay, req.signal);
          delay *= 2;
          continue;
        }
        return res;
      } catch (err) {
        const code = errorCode(err);
        if (attempt < attempts && err instanceof UnreachableError && !(err instanceof TlsError) && code && RETRY_CODES.has(code)) {
          await sleep(delay, req.signal);
          delay *= 2;
          continue;
        }
        throw err;
      }
    }
  }

  /** Sends a request and parses its JSON body; non-2xx answers throw via `statusError`. */
  async json(req: HttpRequest): Promise<unknown> {
    const res = await this.request(req);
    if (res.status >= 400) throw statusError(this.service, res);
    return parseJson(this.service, res);
  }

  private url(path: string, query?: Params): string {
    const qs = query ? encodeParams(query) : '';
    const base = this.base.href.replace(/\/+$/, '');
    return `${base}${path.startsWith('/') ? path : `/${path}`}${qs ? `?${qs}` : ''}`;
  }

  /** One attempt; `changes`: a request sent and left unanswered may have been applied. */
  private async once(req: HttpRequest, changes: boolean): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 15_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers?.(), ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (req.form) {
      body = encodeParams(req.form);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const what = `${req.method} ${redact(req.path)}`;
    // A value Node would refuse (a token with a newline) fails here, before any connection: never "cannot reach".
    const badHeader = badHeaderName(headers);
    if (badHeader !== undefined) throw headerError(this.service, what, badHeader);
    // A bad HOMELAB_HTTP_TRANSPORT is a ConfigError of its own, before any connection.
    const transport = this.options.transport ?? defaultTransport();
    let sent = false;
    const slow = this.options.progress && setTimeout(() => this.options.progress?.(`waiting for ${this.service} (${what})…`), this.options.slowAfterMs ?? 1000);
    slow?.unref?.();
    try {
      // Looked up on every request (a map lookup): after `closeAllAgents` the next request
      // gets a fresh pool, registered so the next close reaches its connections too.
      const wire = await transportFor(transport, {
        service: this.service, origin: this.base.origin, fingerprint: this.options.fingerprint,
      });
      const res = await wire.request({ url: new URL(this.url(req.path, req.query)), method: req.method, headers, body, signal, onSent: () => { sent = true; } });
      return res;
    } catch (err) {
      throw requestFailure(err, { service: this.service, origin: this.base.origin, what, sent, changes, signal: req.signal, timeoutMs, timedOut: timeout.aborted });
    } finally {
      if (slow) clearTimeout(slow);
    }
  }
}

/** Waits `ms` unless `signal` aborts first; the listener is removed either way (a batch's signal sees many waits). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = (): void => { clearTimeout(timer); reject(new CancelledError()); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
