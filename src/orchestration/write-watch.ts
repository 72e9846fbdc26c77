/**
 * @module orchestration/write-watch
 * Whether a plan step changed something before it failed. One step can make several
 * requests (`proxy.add` POSTs the host, then reads it back; `proxy.update` reads, PUTs,
 * reads back): a failure of a later request (a 404 on the read-back, a refused connection, a
 * TLS error, a 401) says nothing about the change already made. The applier runs each step
 * under `watchWrites`, and a failure after a change was accepted is an unknown outcome
 * (orchestration/in-flight), whatever the error.
 *
 * Seen at the wire, per async context, with no hook in the HTTP client: Node's own
 * `http.client.request.start` diagnostics channel (the default transport) and undici's
 * `undici:request:create` / `undici:request:headers` (the undici transport). A request other
 * than GET/HEAD/OPTIONS that got an answer below 400 counts as a change accepted (a login
 * POST too: the safe mistake; the undo then finds nothing). A change that got no answer, or a
 * 5xx, is already an unknown outcome by its error. Uptime Kuma's changes go over Socket.IO:
 * its operations do not fail after their change is answered (their settling never fails), and
 * a change sent without an answer is an unknown outcome by its error too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** What one watched run saw. */
interface Watch {
  wrote: boolean;
}

const scope = new AsyncLocalStorage<Watch>();
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
let subscribed = false;

/** undici's request as its diagnostics channels publish it (only what is read here). */
interface UndiciRequest { method?: string }

function listen(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe('http.client.request.start', (message) => {
    const watch = scope.getStore();
    const request = (message as { request?: ClientRequest }).request;
    if (!watch || !request || READS.has(request.method)) return;
    request.once('response', (res: IncomingMessage) => {
      if ((res.statusCode ?? 500) < 400) watch.wrote = true;
    });
  });
  const pending = new WeakMap<object, Watch>();
  subscribe('undici:request:create', (message) => {
    const watch = scope.getStore();
    const request = (message as { request?: UndiciRequest }).request;
    if (watch && request && !READS.has(request.method ?? 'GET')) pending.set(request, watch);
  });
  subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request?: object; response?: { statusCode?: number } };
    const watch = request && pending.get(request);
    if (watch && (response?.statusCode ?? 500) < 400) watch.wrote = true;
  });
}

/**
 * Runs `fn` (one plan step) and tells whether a change was accepted by a service while it
 * ran, with its result or its error (see the module comment).
 */
export async function watchWrites<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T; wrote: boolean } | { ok: false; error: unknown; wrote: boolean }> {
  listen();
  const watch: Watch = { wrote: false };
  try {
    const value = await scope.run(watch, fn);
    return { ok: true, value, wrote: watch.wrote };
  } catch (error) {
    return { ok: false, error, wrote: watch.wrote };
  }
}
