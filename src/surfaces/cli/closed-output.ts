/**
 * @module surfaces/cli/closed-output
 * What the CLI does when its output has nowhere to go: stdout's reader went away
 * (`homelab batch lines.txt | head -1`), or writing failed (a full disk).
 *
 * Node ignores SIGPIPE, so a write into a closed pipe fails with EPIPE, reported as an
 * 'error' event on the stream; unhandled, it kills the process with a stack trace half-way
 * through the work. Here it is one fact: the output is closed. Writes after it are dropped
 * (a destroyed stream takes them without another event); a batch starts no further line
 * and says on stderr which lines ran; a single command finishes as it would have.
 *
 * The exit code is decided by what ran: a reader that stopped reading is not a failure of
 * the commands that completed (`homelab dns records | head -1` exits 0, like the commands
 * it replaces; `pipefail` then reports only what really failed). Lines of a batch that did
 * not start are said on stderr, not counted as failures. Any other write error (ENOSPC,
 * EIO) lost output the user asked for: `main` reports it and exits 1 at least.
 *
 * Node reports a failed write on a later tick (a file's write error after the write call
 * returned, a pipe's when its data is taken), so the exit code is decided only once the
 * output has settled: every write made so far has finished or failed, and its 'error' event
 * has been seen (`OutputWatch.settled`). Work that must not be lost when its output is
 * (`telegram inbox clear`) waits for the same moment.
 */

/** The output of one CLI run, watched for its reader going away. */
export interface OutputWatch {
  /** Aborted once stdout cannot take more output. */
  readonly signal: AbortSignal;
  /** The write error, when it was not EPIPE (the reader going away is not an error); read it after `settled`. */
  failure(): NodeJS.ErrnoException | undefined;
  /** Resolves once every write made so far has finished or failed (see `flushOutput`). */
  settled(): Promise<void>;
  /** Stops watching. */
  dispose(): void;
}

/** Watches `stdout` for a failed write (a plain sink that emits no events, as tests pass, is never closed). */
export function watchOutput(stdout: NodeJS.WritableStream): OutputWatch {
  const controller = new AbortController();
  let failure: NodeJS.ErrnoException | undefined;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') failure ??= err;
    controller.abort();
  };
  const events = typeof stdout.on === 'function';
  if (events) stdout.on('error', onError);
  return {
    signal: controller.signal,
    failure: () => failure,
    settled: () => flushOutput(stdout),
    dispose: () => { if (events) stdout.off('error', onError); },
  };
}

/**
 * Resolves once every write made to `stdout` so far has finished or failed, and the stream's
 * 'error' event for a failure has been emitted: an empty write's callback runs after the
 * writes before it (with their error), the event a tick later. Never rejects. A plain sink
 * that emits no events (as tests pass) or a stream already closed has nothing to wait for.
 */
export async function flushOutput(stdout: NodeJS.WritableStream): Promise<void> {
  const stream = stdout as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  if (typeof stream.on === 'function' && !stream.destroyed && !stream.writableEnded) {
    await new Promise<void>((resolve) => {
      try {
        stream.write('', () => resolve());
      } catch {
        resolve();
      }
    });
  }
  await settleOutput();
}

/** Lets events already due run (an EPIPE found by the last write is reported on a later tick). */
export function settleOutput(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
