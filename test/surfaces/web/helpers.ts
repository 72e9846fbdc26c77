/**
 * @module test/surfaces/web/helpers
 * The dashboard over the lab for HTTP-level tests: `startDashboard` runs the server on
 * 127.0.0.1 (port 0), and `WebClient` is a tiny browser made of fetch: it keeps
 * cookies, sends this server's Origin on POSTs unless told otherwise, and reads the
 * CSRF token out of pages.
 */
import type { RunningLab } from '../../../src/lab/lab.js';
import { getRegistry } from '../../../src/services/index.js';
import type { AllowLevel } from '../../../src/surfaces/shared/allow-level.js';
import { startWebServer, type WebServer, type WebServerOptions } from '../../../src/surfaces/web/server.js';

/** Starts a dashboard over the lab. */
export function startDashboard(lab: RunningLab, allow: AllowLevel, extra: Partial<WebServerOptions> = {}): Promise<WebServer> {
  return startWebServer({
    registry: getRegistry(), allow, env: { ...lab.env }, localUser: 'tester', loopback: true,
    host: '127.0.0.1', port: 0, refreshMs: 60_000, alertPollMs: 60_000, timeoutMs: 30_000, log: () => undefined,
    ...extra,
  });
}

/** A response with its text read. */
export interface Page {
  status: number;
  headers: Headers;
  text: string;
}

/** A cookie-keeping HTTP client of one dashboard. */
export class WebClient {
  readonly cookies = new Map<string, string>();

  /** `headers` go with every request (`x-forwarded-for` as a reverse proxy would send it). */
  constructor(readonly base: string, readonly headers: Record<string, string> = {}) {}

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, at);
      const value = (pair ?? '').slice(at + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): Record<string, string> {
    return { ...this.headers, ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}) };
  }

  /** GET without following redirects. */
  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    const res = await fetch(this.base + path, { redirect: 'manual', headers: { ...this.cookieHeader(), ...headers } });
    this.remember(res);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** POSTs a form (pairs: a name may repeat); `origin: null` sends none. Does not follow redirects. */
  async post(path: string, form: Record<string, string> | Array<[string, string]>, options: { origin?: string | null } = {}): Promise<Page> {
    const origin = options.origin === undefined ? this.base : options.origin;
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', ...(origin === null ? {} : { origin }) },
      body: new URLSearchParams(form).toString(),
    });
    this.remember(res);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** POSTs `form` as multipart/form-data (a Blob value is a file upload) with this server's Origin. Does not follow redirects. */
  async postMultipart(path: string, form: FormData): Promise<Page> {
    const res = await fetch(this.base + path, { method: 'POST', redirect: 'manual', headers: { ...this.cookieHeader(), origin: this.base }, body: form });
    this.remember(res);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** GETs `path` and follows redirects on this server. */
  async open(path: string): Promise<Page & { path: string }> {
    let current = path;
    for (let i = 0; i < 5; i++) {
      const page = await this.get(current);
      const location = page.headers.get('location');
      if (page.status < 300 || page.status >= 400 || !location) return { ...page, path: current };
      current = location.startsWith('http') ? new URL(location).pathname + new URL(location).search : location;
    }
    throw new Error(`too many redirects from ${path}`);
  }

  /** Signs in through the login form. */
  async signIn(user: string, password: string): Promise<Page> {
    const login = await this.get('/login');
    return this.post('/login', { _csrf: csrfOf(login.text), user, password, next: '/' });
  }
}

/** The CSRF token in a page's first form. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token in the page');
  return match[1];
}

/** One Server-Sent Event as read (`id` when it had one). */
export interface SseEvent {
  event: string;
  data: string;
  id?: string;
}

/** Reads Server-Sent Events from `path` (with the client's headers) until `until` returns true for an event (or the time limit). */
export async function readEvents(client: WebClient, path: string, until: (event: SseEvent) => boolean, onOpen?: () => void | Promise<void>, limitMs = 20_000): Promise<SseEvent[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limitMs);
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(client.base + path, { headers: { ...client.headers, accept: 'text/event-stream', cookie }, signal: controller.signal });
  const events: SseEvent[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let opened = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (raw.startsWith(':')) continue;
        const lines = raw.split('\n');
        const id = lines.find((l) => l.startsWith('id: '))?.slice(4);
        const event = { event: lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message', data: lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'), ...(id === undefined ? {} : { id }) };
        events.push(event);
        if (!opened && onOpen) {
          opened = true;
          await onOpen();
        }
        if (until(event)) return events;
      }
    }
    return events;
  } catch (err) {
    if (controller.signal.aborted) return events;
    throw err;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
