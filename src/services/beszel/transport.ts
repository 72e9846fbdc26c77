/**
 * @module services/beszel/transport
 * The PocketBase SDK sends its requests through the project's HTTP core (timeouts,
 * retries for reads, TLS pinning, redaction) via a `fetch` adapter, and its errors are
 * turned into the project's typed errors here. PocketBase's error envelope is
 * `{status, message, data: {field: {code, message}}}` (shared/api/beszel.md §3).
 * A login's or a token refresh's answer is checked here too (a token string and a record),
 * before the SDK stores the token and the client caches it.
 */
import { ApiError, AuthError, CancelledError, HomelabError, NotFoundError, UnreachableError } from '../../core/errors.js';
import { UnexpectedAnswerError, expectShape, headerError, parseJson, serverText, statusError, type HttpClient, type HttpRequest, type HttpResponse } from '../../core/http/index.js';
import { redact } from '../../core/redact.js';
import { authAnswerSchema } from './schemas.js';

/** The calls that answer with a token: a password login and a token refresh (of any auth collection). */
const AUTH_CALL = /\/collections\/[^/]+\/auth-(?:with-password|refresh)$/;

/** A `fetch` for the SDK that sends through `http`; `http`'s base URL is the hub's `/api`. */
export function fetchVia(http: HttpClient): (url: Parameters<typeof fetch>[0], init?: RequestInit) => Promise<Response> {
  const prefix = new URL(http.baseUrl).pathname.replace(/\/+$/, '');
  return async (url, init = {}) => {
    const target = new URL(typeof url === 'string' || url instanceof URL ? url : url.url);
    const path = `${target.pathname.startsWith(prefix) ? target.pathname.slice(prefix.length) : target.pathname}${target.search}`;
    const method = (init.method ?? 'GET').toUpperCase() as HttpRequest['method'];
    const headers: Record<string, string> = {};
    let given: Headers;
    try {
      given = new Headers(init.headers);
    } catch {
      // A header the SDK built from a token no header can carry: a local fault (exit 1), not the hub's answer.
      throw headerError('beszel', `${method} ${target.pathname}`);
    }
    given.forEach((value, key) => {
      if (key !== 'content-type') headers[key] = value;
    });
    const req: HttpRequest = { method, path, headers, signal: init.signal ?? undefined };
    // A sign-in (or token refresh) left unanswered is "cannot reach", not a change that may have been applied.
    if (AUTH_CALL.test(target.pathname)) req.changes = false;
    if (typeof init.body === 'string' && init.body) req.json = JSON.parse(init.body) as unknown;
    const res = await http.request(req);
    checkAnswer(res, `${req.method} ${target.pathname}`);
    // A token the hub hands out must be a token: `{}` or `{"token":5}` stops here, nothing stored.
    if (res.status < 300 && AUTH_CALL.test(target.pathname)) expectShape('beszel', `${req.method} ${target.pathname}`, authAnswerSchema, JSON.parse(res.text));
    const responseHeaders = new Headers();
    for (const [key, value] of Object.entries(res.headers)) {
      if (typeof value === 'string') responseHeaders.set(key, value);
      else if (Array.isArray(value)) value.forEach((v) => responseHeaders.append(key, v));
    }
    return new Response(res.status === 204 || res.status === 304 ? null : res.text, { status: res.status, headers: responseHeaders });
  };
}

/** Throws the typed error of an answer that is not PocketBase JSON (every PocketBase answer with a body is a JSON object). */
function checkAnswer(res: HttpResponse, what: string): void {
  if (res.status === 204 || res.status === 304) return;
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    if (res.status >= 400) throw statusError('beszel', res);
    parseJson('beszel', res);
  }
  if (body === null || typeof body !== 'object') {
    if (res.status >= 400) throw statusError('beszel', res);
    throw new UnexpectedAnswerError('beszel', res.status, `${what} answered ${serverText(String(JSON.stringify(body)), 40)} instead of a JSON object`);
  }
}

/** What the SDK throws (`ClientResponseError`), as far as we read it. */
interface SdkError {
  status?: number;
  isAbort?: boolean;
  originalError?: unknown;
  response?: { message?: unknown; data?: Record<string, { message?: string }> };
}

/** Maps an SDK error to a typed error; `what` names the call (`list systems`). */
export function beszelError(err: unknown, what: string): HomelabError {
  if (err instanceof HomelabError) return err;
  const e = (err ?? {}) as SdkError;
  if (e.originalError instanceof HomelabError) return e.originalError;
  if (e.isAbort) return new CancelledError();
  // The SDK choked on an answer of the wrong shape (`null` where a list was due): the hub answered, oddly.
  if ([err, e.originalError].some((x) => x instanceof TypeError || x instanceof SyntaxError)) return new UnexpectedAnswerError('beszel', 200, `${what}: not the JSON a hub sends`);
  const status = typeof e.status === 'number' ? e.status : 0;
  if (status === 0) return new UnreachableError('beszel', `${what}: ${serverText(redact(err instanceof Error ? err.message : String(err)))}`);
  const message = typeof e.response?.message === 'string' && e.response.message ? e.response.message : `HTTP ${status}`;
  const fields = Object.fromEntries(Object.entries(e.response?.data ?? {}).map(([k, v]) => [k, String(v?.message ?? '')]));
  const detail = Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('; ');
  const text = redact(serverText(`${what}: ${message}${detail ? ` (${detail})` : ''}`, 300));
  if (status === 401) return new AuthError('beszel', text, 'check BESZEL_EMAIL and BESZEL_PASSWORD in the beszel credentials file');
  if (status === 403) return new AuthError('beszel', text);
  if (status === 404) return new NotFoundError('beszel', 404, text);
  return new ApiError('beszel', status, text, Object.keys(fields).length ? fields : undefined);
}
