/**
 * @module orchestration/write-watch
 * Whether a plan step changed something before it failed. One step can make several
 * requests (`proxy.add` POSTs the host, then reads it back; `proxy.update` reads, PUTs,
 * reads back): a failure of a later request (a 404 on the read-back, a refused connection, a
 * TLS error, a 401) says nothing about the change already made. The applier runs each step
 * under `watchWrites`, and a failure after a change was accepted is an unknown outcome
 * (orchestration/in-flight), whatever the error.
 *
 * Told by the HTTP client, per async context: it publishes each change a service accepted
 * (a request that may change something, not a read nor a sign-in, answered below 400) on
 * core/http's change channel. A change that got no answer, or a 5xx, is already an unknown
 * outcome by its error. Uptime Kuma's changes go over Socket.IO: its operations do not fail
 * after their change is answered (their settling never fails), and a change sent without an
 * answer is an unknown outcome by its error too.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import { CHANGE_ACCEPTED } from '../core/http/change-channel.js';

/** What one watched run saw. */
interface Watch {
  wrote: boolean;
}

const scope = new AsyncLocalStorage<Watch>();
let subscribed = false;

function listen(): void {
  if (subscribed) return;
  subscribed = true;
  subscribe(CHANGE_ACCEPTED, () => {
    const watch = scope.getStore();
    if (watch) watch.wrote = true;
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
