/**
 * @module core/errors
 * Every error a user can see is a `HomelabError` carrying its exit code, so any layer
 * may throw and exactly one place per surface (the CLI's `main`, the bot's error
 * handler, the MCP tool wrapper) turns it into output. Two families matter most, as in
 * grammY: the service said no (`ApiError`, `AuthError`, `NotFoundError`) versus the
 * network failed (`UnreachableError`, `TimeoutError`, `TlsError`).
 *
 * Exit codes (DESIGN.md): 0 ok · 1 operation failed · 2 bad usage or input ·
 * 3 config or credentials · 4 unreachable or timeout · 5 auth refused ·
 * 130 interrupted at a prompt (Ctrl-C, as a shell reports SIGINT).
 */
import { fileCodeWords, fileErrorWords, type FileAction, type FileCode } from './file-error.js';

/** Process exit codes shared by every surface. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  config: 3,
  unreachable: 4,
  auth: 5,
  interrupted: 130,
} as const;

/** One of the exit codes above. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class: a message fit to show a user as one line, and the exit code it maps to. */
export class HomelabError extends Error {
  override readonly name: string = 'HomelabError';
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    /** A follow-up hint, shown after the message ("run chmod 600 …"). */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/**
 * The mark of a HomelabError, under a key every copy of this module shares: the lab is a bundle
 * of its own (dist/lab.cjs), as are the daemons (dist/daemons.cjs), each with its own copy of
 * these classes, so an error one bundle throws is no `instanceof` another's classes.
 * `toHomelabError` knows it by this mark instead.
 */
const HOMELAB_ERROR = Symbol.for('homelab.error');
Object.defineProperty(HomelabError.prototype, HOMELAB_ERROR, { value: true });

/** Bad command line or input: exit 2. Nothing was sent to any service. */
export class UsageError extends HomelabError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
  }
}

/** Configuration or credentials missing or invalid: exit 3. */
export class ConfigError extends HomelabError {
  override readonly name = 'ConfigError';
  constructor(message: string, hint?: string) {
    super(message, ExitCode.config, hint);
  }
}

/** The operation ran and failed (a task ended in error, the user declined): exit 1. */
export class OperationError extends HomelabError {
  override readonly name: string = 'OperationError';
  constructor(
    message: string,
    hint?: string,
    readonly details?: string[],
    /**
     * The operation's result when it failed but still has one to show: every surface shows it
     * (the table or `--json` on the CLI, the reply on Telegram, the content on MCP), then the message.
     */
    readonly result?: unknown,
    exitCode: ExitCodeValue = ExitCode.failed,
  ) {
    super(message, exitCode, hint);
  }
}

/** One part of a fan-out operation (a target, a service, a check, a snapshot) that failed. */
export interface PartFailure {
  /** Its name, as the result shows it (`forgejo`, `beszel`, `backups`). */
  part: string;
  /** The exit code it would have on its own. */
  exitCode: number;
}

/**
 * Failed parts' exit codes, most serious first: the owner's Ctrl-C (130), a part not reached at all, then refused, then
 * misconfigured, then given bad input (it never ran); anything else counts as failed (1).
 */
const SEVERITY: readonly ExitCodeValue[] = [ExitCode.interrupted, ExitCode.unreachable, ExitCode.auth, ExitCode.config, ExitCode.usage];

/**
 * The exit code of a fan-out whose parts failed with `codes` (docs/exit-codes.md), and of a
 * `homelab batch --keep-going` whose lines did: 4 when any part was unreachable, timed out or
 * refused its host key; else 5 when one refused our credentials; else 3 for a config problem;
 * else 2 when one could not run for bad usage or input (a batch line that does not parse);
 * else 1 (a part ran and failed). 0 when none failed.
 */
export function worstExitCode(codes: readonly number[]): ExitCodeValue {
  const failed = codes.filter((c) => c !== ExitCode.ok);
  if (!failed.length) return ExitCode.ok;
  return SEVERITY.find((c) => failed.includes(c)) ?? ExitCode.failed;
}

/**
 * A fan-out operation (`updates check`, `status`, `doctor`, `watch run`, `pbs verify`) finished,
 * but some of its parts failed: it carries the whole result, which every surface still shows,
 * and exits with the most serious part's code (`worstExitCode`). A partial failure is never exit 0.
 * Operations that use another's result (status, watch) read `result` from it.
 */
export class PartialFailureError extends OperationError {
  override readonly name = 'PartialFailureError';
  constructor(
    message: string,
    override readonly result: unknown,
    readonly failures: readonly PartFailure[],
    hint?: string,
    details?: string[],
  ) {
    super(message, hint, details, result, worstExitCode(failures.map((f) => f.exitCode)) || ExitCode.failed);
  }
}

/**
 * Settles a fan-out: returns `result` when no part failed, else throws a PartialFailureError
 * whose message counts and names the failed parts (`updates check: 2 of 6 targets failed (forgejo, down)`).
 */
export function settleParts<R>(what: string, result: R, total: number, noun: string, failures: readonly PartFailure[], hint?: string, details?: string[]): R {
  if (!failures.length) return result;
  const names = failures.map((f) => f.part);
  const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')}, +${names.length - 6} more` : names.join(', ');
  throw new PartialFailureError(`${what}: ${failures.length} of ${total} ${noun} failed (${shown})`, result, failures, hint, details);
}

/** The service answered with an error: exit 1. Carries the HTTP status and the server's message. */
export class ApiError extends HomelabError {
  override readonly name: string = 'ApiError';
  constructor(
    readonly service: string,
    readonly status: number,
    message: string,
    /** Per-parameter errors (PVE's `errors` member), when the service gave them. */
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(`${service}: ${message}`, ExitCode.failed);
  }
}

/** The service does not have the thing asked for: exit 1. */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
}

/** The service refused our credentials or permissions: exit 5. */
export class AuthError extends HomelabError {
  override readonly name = 'AuthError';
  constructor(readonly service: string, message: string, hint?: string) {
    super(`${service}: ${message}`, ExitCode.auth, hint);
  }
}

/** The service could not be reached (DNS, refused, reset, bad answer): exit 4. */
export class UnreachableError extends HomelabError {
  override readonly name: string = 'UnreachableError';
  constructor(readonly service: string, message: string, hint?: string) {
    super(`${service}: ${message}`, ExitCode.unreachable, hint);
  }
}

/** A request or operation took longer than allowed: exit 4. */
export class TimeoutError extends HomelabError {
  override readonly name = 'TimeoutError';
  constructor(readonly service: string, readonly ms: number, what = 'request') {
    super(`${service}: ${what} timed out after ${formatMs(ms)}`, ExitCode.unreachable);
  }
}

/** TLS verification failed or the pinned fingerprint did not match: exit 4. Credentials were not sent. */
export class TlsError extends UnreachableError {
  override readonly name = 'TlsError';
  constructor(service: string, message: string, readonly actualFingerprint?: string, hint?: string) {
    super(service, message, hint);
  }
}

/** The user stopped the operation (Ctrl-C, declined confirmation, cancelled on Telegram): exit 1. */
export class CancelledError extends HomelabError {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message, ExitCode.failed);
  }
}

/**
 * The user pressed Ctrl-C at a question (a surface's `prompt` rejects with it): exit 130,
 * as a shell reports SIGINT. Not an answer: the run stops where it is.
 */
export class InterruptedError extends HomelabError {
  override readonly name = 'InterruptedError';
  constructor(message = 'interrupted') {
    super(message, ExitCode.interrupted);
  }
}

/**
 * A file or folder of homelab's own that cannot be read or written as it is (permission
 * denied, a directory in place of a file, a full or read-only disk): exit 3, since the
 * fix is on the machine, with one line naming the path (core/file-error) and the fix.
 */
export class FileAccessError extends HomelabError {
  override readonly name = 'FileAccessError';
  constructor(
    message: string,
    hint?: string,
    /**
     * The system error code it tells (`EROFS`, `EACCES`, `ENOSPC`…), when it was made from one: a
     * caller that handles a cause itself (a read-only folder read without its lock) still tells it.
     */
    readonly systemCode?: string,
  ) {
    super(message, ExitCode.config, hint);
  }
}

/**
 * `err` as a FileAccessError naming `path` (for the errors that have none, such as reading a
 * directory) when it is a file system error core/file-error takes; else `err` itself.
 */
export function fileAccessError(err: unknown, path?: string, action?: FileAction): unknown {
  const words = fileErrorWords(err, path, action);
  return words ? new FileAccessError(words.message, words.hint, (err as NodeJS.ErrnoException).code) : err;
}

/** A problem seen before any error was thrown (a directory where a file should be) as the FileAccessError `fileAccessError` gives. */
export function fileProblem(code: FileCode, path: string, action: FileAction): FileAccessError {
  const words = fileCodeWords(code, path, action);
  return new FileAccessError(words.message, words.hint, code);
}

/** The system error code of `err`: a Node file system error's own, or the one a FileAccessError was made from. */
export function systemErrorCode(err: unknown): string | undefined {
  const code = err instanceof FileAccessError ? err.systemCode : (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns anything thrown into a HomelabError; a file system error with a path (EACCES, EISDIR,
 * ENOSPC…: core/file-error) becomes a FileAccessError (exit 3), other unknown errors exit 1
 * with their message.
 */
export function toHomelabError(err: unknown): HomelabError {
  if (err instanceof HomelabError) return err;
  const foreign = otherBundles(err);
  if (foreign) return foreign;
  const file = fileAccessError(err);
  if (file instanceof FileAccessError) return file;
  if (err instanceof Error) return new HomelabError(err.message || err.name, ExitCode.failed);
  return new HomelabError(String(err), ExitCode.failed);
}

/**
 * Whether `err` is a HomelabError, of this bundle or of another (its mark): a message fit to
 * show as it is, which needs no stack trace.
 */
export function isHomelabError(err: unknown): boolean {
  return err instanceof HomelabError || otherBundles(err) !== undefined;
}

// An error never ends the process with 0, whatever it says.
const KNOWN_CODES: ReadonlySet<number> = new Set(Object.values(ExitCode).filter((code) => code !== ExitCode.ok));

/**
 * A HomelabError another bundle threw (its mark), as one of this bundle's: its message, hint,
 * details and exit code kept. Only what such an error holds is taken: an exit code that is
 * not one of ours becomes 1, a message or hint that is not a string is left out.
 */
function otherBundles(err: unknown): HomelabError | undefined {
  if (!(err instanceof Error) || (err as unknown as Record<symbol, unknown>)[HOMELAB_ERROR] !== true) return undefined;
  const { exitCode, hint, details } = err as Error & { exitCode?: unknown; hint?: unknown; details?: unknown };
  const code = typeof exitCode === 'number' && KNOWN_CODES.has(exitCode) ? (exitCode as ExitCodeValue) : ExitCode.failed;
  const message = typeof err.message === 'string' && err.message ? err.message : err.name;
  const ownHint = typeof hint === 'string' ? hint : undefined;
  const lines = Array.isArray(details) && details.every((d) => typeof d === 'string') ? details : undefined;
  return lines ? new OperationError(message, ownHint, lines, undefined, code) : new HomelabError(message, code, ownHint);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
