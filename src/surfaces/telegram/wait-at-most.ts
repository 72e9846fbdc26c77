/**
 * @module surfaces/telegram/wait-at-most
 * Waits the bot cuts short: a bounded wait for work the bot stops (the executor's running
 * commands and the confirm flow's last edits each get a few seconds; the timer never outlives
 * the wait, which would keep the process alive after `bot stopped`), and a wait for a
 * command that ends when its signal aborts (a timeout, the bot shutting down).
 */

/** Waits for `work` to settle, `ms` at most; true when it settled in time. Never throws. */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([work.then(() => true, () => true), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
