/**
 * @module core/progress-scope
 * The progress callback of the operation running in the current async context. A cached
 * client is created once but serves many operations (the bot's chats, MCP calls, a
 * batch): its progress notes must reach the operation that is waiting now, never the one
 * that happened to create it. `invoke` enters the scope; `ClientCache` reads it.
 *
 * The scope is an `AsyncLocalStorage`, which on Node 20 hooks every promise the process
 * makes from its first `run` on: a few per cent of a one-shot command's run. The CLI's single
 * command, which runs nothing beside its one operation, runs it in `soloProgressScopes`: the
 * outermost scope is then a plain variable, read by any code while it lasts, and only a
 * scope entered inside it or beside it (a plan's steps, a fan-out) uses the async storage,
 * whose value wins where it is set.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scoped = new AsyncLocalStorage<(note: string) => void>();

let soloAllowed = false;
let solo: ((note: string) => void) | undefined;

/**
 * Runs `fn` (the one operation of a process that does nothing else meanwhile) with the
 * outermost scope kept in a plain variable: anything running while it lasts reads its callback.
 */
export async function soloProgressScopes<T>(fn: () => Promise<T>): Promise<T> {
  soloAllowed = true;
  try {
    return await fn();
  } finally {
    soloAllowed = false;
  }
}

/** Runs `fn` with `progress` as the target of every cached client's progress notes. */
export function withProgress<T>(progress: (note: string) => void, fn: () => T): T {
  if (!soloAllowed || solo !== undefined) return scoped.run(progress, fn);
  solo = progress;
  const end = (): void => {
    solo = undefined;
  };
  let result: T;
  try {
    result = fn();
  } catch (err) {
    end();
    throw err;
  }
  if (result instanceof Promise) return result.finally(end) as T;
  end();
  return result;
}

/** The progress callback of the operation running now, if any. */
export function currentProgress(): ((note: string) => void) | undefined {
  return scoped.getStore() ?? solo;
}
