/**
 * @module orchestration/in-flight
 * What a failed step may have left behind. A step can fail after its request reached the
 * service: Ctrl-C or a time limit while the answer was on its way, a connection lost
 * after the request went out, a 5xx, an answer that could not be read. The service may
 * have done the change all the same (NPM commits the proxy host; only the client gave up),
 * so the applier treats such a failure as an unknown outcome and runs the step's undo too
 * (apply.ts). A failure that proves nothing was done is a known "not applied": the service
 * said no (a 4xx, Technitium's error status, Kuma's refusal, a refused login), homelab's own
 * checks or the input's validation refused it, or the connection was never made.
 *
 * Every undo a plan builder writes is safe on an object that is not there: a delete is
 * marker-guarded and finds nothing (`NotFoundError`, or a usage error from resolving a
 * name that resolves to nothing, such as Kuma's "no monitor named"), a restore writes the
 * old values again. That answer is "nothing to undo", not a failure.
 */
import { kebab } from '../core/args.js';
import { ApiError, CancelledError, HomelabError, InterruptedError, NotFoundError, TimeoutError, TlsError, UnreachableError, UsageError } from '../core/errors.js';
import { UnansweredError } from '../core/http/unanswered.js';
import { UnexpectedAnswerError } from '../core/http/unexpected-answer.js';

/** Connection failures that happen before any byte of the request is sent. */
const NEVER_CONNECTED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ENETDOWN)\b/;

/**
 * Whether a step that failed with `err` may have been done by the service all the same (see
 * the module comment): cancelled, timed out, the connection lost once it was made (the HTTP client's `UnansweredError`: the request was written), a 5xx,
 * a 2xx answer that could not be read, or a failure homelab does not know (a crash mid-way).
 */
export function outcomeUnknown(err: unknown): boolean {
  if (!(err instanceof HomelabError)) return true;
  if (err instanceof CancelledError || err instanceof InterruptedError || err instanceof TimeoutError) return true;
  if (err instanceof UnansweredError) return true;
  if (err instanceof TlsError) return false;
  if (err instanceof UnreachableError) {
    const code = (err as { code?: unknown }).code;
    return !NEVER_CONNECTED.test(typeof code === 'string' ? code : err.message);
  }
  if (err instanceof NotFoundError) return false;
  if (err instanceof UnexpectedAnswerError) return err.status < 400 || err.status >= 500;
  if (err instanceof ApiError) return err.status >= 500;
  return false;
}

/** Whether an undo's error says there was nothing to undo (the object is not there). */
export function nothingToUndo(err: unknown): boolean {
  return err instanceof NotFoundError || err instanceof UsageError;
}

const word = (value: string): string => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/**
 * The command line that runs operation `op` with `input` by hand (`homelab proxy delete --host
 * pad.home.lan --app pad --yes`); a field in `missing` is shown as `<field>` (a value only the
 * step's answer would have told, such as a new certificate's id).
 */
export function manualCommand(op: string, input: Record<string, unknown>, missing: readonly string[] = []): string {
  const parts = [`homelab ${op.split('.').join(' ')}`];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'boolean') parts.push(value ? `--${kebab(key)}` : `--no-${kebab(key)}`);
    else parts.push(`--${kebab(key)} ${word(Array.isArray(value) ? value.join(',') : String(value))}`);
  }
  for (const key of missing) parts.push(`--${kebab(key)} <${key}>`);
  parts.push('--yes');
  return parts.join(' ');
}
