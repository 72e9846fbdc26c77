/**
 * @module services/pve/sim/errors
 * The error a simulated handler throws, carrying what pveproxy would answer: the status,
 * the message (which becomes the HTTP reason phrase and the body's `message`) and, for
 * parameter errors, the per-parameter `errors` map.
 */

/** An API error as PVE raises it (`PVE::Exception` or a plain `die`). */
export class PveHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A handler `die "...\n"`: 500 with the message (PVE messages end with a newline). */
export function die(message: string): PveHttpError {
  return new PveHttpError(500, `${message}\n`);
}

/** `raise_param_exc`: 400 `Parameter verification failed.` with one entry per parameter. */
export function paramError(errors: Record<string, string>): PveHttpError {
  return new PveHttpError(400, 'Parameter verification failed.\n', errors);
}

/** `raise_perm_exc`: 403 `Permission check failed (<what>)`, or without parentheses when `what` is empty. */
export function permError(what: string): PveHttpError {
  return new PveHttpError(403, `Permission check failed${what ? ` (${what})` : ''}\n`);
}
