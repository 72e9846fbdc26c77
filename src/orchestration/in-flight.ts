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
 * The same holds for a step that made several requests: once a service accepted a change
 * (orchestration/write-watch), a later failure of the same step (a read-back refused, the
 * connection lost) is an unknown outcome too, whatever its error.
 *
 * Every undo of a created object is safe on an object that is not there: the delete finds
 * nothing (`NotFoundError`: Kuma's unknown monitor, no marked record, no proxy host with that
 * id). That answer is "nothing to undo", not a failure; any other refusal of the undo (a name
 * two monitors share, its input, the risk cap) is one. The deletes of an app's objects are
 * marker-guarded (`--app`); the delete of a lab.yaml record is by name, type and value (the
 * record marker carries no name to check), so a record just like it that someone added by
 * hand between the plan and the failed step would be deleted with it.
 *
 * An update's undo (`proxy.update` with the old values, `kuma.edit`, `proxy.disable`,
 * `kuma.pause`) writes the old state back and succeeds whether or not the step went through,
 * so it proves nothing: its outcome says the old values were written back in case it went
 * through, unless the undo's result tells whether it changed anything (`changed`). It writes
 * the values the plan read over anything changed at the object since (docs/lab-file.md).
 */
import { kebab } from '../core/args.js';
import { ApiError, CancelledError, HomelabError, InterruptedError, NotFoundError, TimeoutError, TlsError, UnreachableError } from '../core/errors.js';
import { UnansweredError } from '../core/http/unanswered.js';
import { UnexpectedAnswerError } from '../core/http/unexpected-answer.js';
import { shellWord } from '../core/shell-word.js';

/** Connection failures that happen before any byte of the request is sent. */
const NEVER_CONNECTED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ENETDOWN)\b/;

/**
 * Whether a step that failed with `err` may have been done by the service all the same (see
 * the module comment): cancelled, timed out, the connection lost once it was made (the HTTP client's `UnansweredError`: the request was written), a 5xx,
 * a 2xx answer that could not be read, a failure homelab does not know (a crash mid-way), or
 * any failure once the step had a change accepted (`wrote`: orchestration/write-watch).
 */
export function outcomeUnknown(err: unknown, wrote = false): boolean {
  if (wrote || !(err instanceof HomelabError)) return true;
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

/** Whether an undo's error says there was nothing to undo: the object is not there (`NotFoundError`), nothing else. */
export function nothingToUndo(err: unknown): boolean {
  return err instanceof NotFoundError;
}

/**
 * Whether an undo's result says it changed nothing: `changed: false` (`proxy.disable` of a
 * disabled host) or `changed: {}` (`kuma.edit` to the URL it has). Undefined when the result
 * does not say.
 */
export function changedNothing(result: unknown): boolean | undefined {
  const changed = result !== null && typeof result === 'object' ? (result as { changed?: unknown }).changed : undefined;
  if (typeof changed === 'boolean') return !changed;
  if (changed !== null && typeof changed === 'object') return Object.keys(changed).length === 0;
  return undefined;
}

/** The command line that runs operation `op` again with these positional values (`homelab unexpose wiki`). */
export function rerunCommand(op: string, positional: readonly unknown[]): string {
  return [`homelab ${op.split('.').join(' ')}`, ...positional.filter((v) => v !== undefined && v !== null).map((v) => shellWord(String(v)))].join(' ');
}

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
    else parts.push(`--${kebab(key)} ${shellWord(Array.isArray(value) ? value.join(',') : String(value))}`);
  }
  for (const key of missing) parts.push(`--${kebab(key)} <${key}>`);
  parts.push('--yes');
  return parts.join(' ');
}
