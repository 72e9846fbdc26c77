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
 */

/** The output of one CLI run, watched for its reader going away. */
export interface OutputWatch {
  /** Aborted once stdout cannot take more output. */
  readonly signal: AbortSignal;
  /** The write error, when it was not EPIPE (the reader going away is not an error). */
  failure(): NodeJS.ErrnoException | undefined;
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
    dispose: () => { if (events) stdout.off('error', onError); },
  };
}

/** Lets events already due run (an EPIPE found by the last write is reported on a later tick). */
export function settleOutput(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
