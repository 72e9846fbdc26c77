/**
 * @module services/updates/ssh/retry
 * Reads over SSH (the update check) are tried again, with backoff, when the connection
 * was refused, reset or dropped mid-command (`SshDropped`), as the HTTP core does for
 * reads. Never a timeout, a refused key or host key, and never a change: `updates apply`
 * does not use this.
 */
import { CancelledError } from '../../../core/errors.js';
import { SshDropped } from './errors.js';

/** How a read is retried. */
export interface ReadRetry {
  /** Attempts in all; default 3. */
  attempts?: number;
  /** First pause; doubled each time. Default 250 ms. */
  backoffMs?: number;
  signal?: AbortSignal;
  /** Told before each new attempt (2, 3, …) with the error that caused it. */
  onRetry?(attempt: number, err: SshDropped): void;
}

/** Runs `read`, again after a dropped connection, up to `attempts` times. */
export async function retryRead<T>(read: () => Promise<T>, options: ReadRetry = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  let delay = options.backoffMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (!(err instanceof SshDropped) || attempt >= attempts) throw err;
      options.onRetry?.(attempt + 1, err);
      await pause(delay, options.signal);
      delay *= 2;
    }
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(new CancelledError()); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
