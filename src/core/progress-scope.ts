/**
 * @module core/progress-scope
 * The progress callback of the operation running in the current async context. A cached
 * client is created once but serves many operations (the bot's chats, MCP calls, a
 * batch): its progress notes must reach the operation that is waiting now, never the one
 * that happened to create it. `invoke` enters the scope; `ClientCache` reads it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const active = new AsyncLocalStorage<(note: string) => void>();

/** Runs `fn` with `progress` as the target of every cached client's progress notes. */
export function withProgress<T>(progress: (note: string) => void, fn: () => T): T {
  return active.run(progress, fn);
}

/** The progress callback of the operation running now, if any. */
export function currentProgress(): ((note: string) => void) | undefined {
  return active.getStore();
}
