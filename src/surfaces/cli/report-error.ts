/**
 * @module surfaces/cli/report-error
 * How a failed command ends on the terminal: one line `homelab: <message>`, the details of
 * an operation error and its hint dimmed below, all redacted (and, for a run in another lab
 * than a bare `homelab` uses in the invoking shell, with the command lines in the hint and details naming it;
 * the message as it was); the stack trace of an
 * unexpected error only with HOMELAB_DEBUG. Returns the exit code the error stands for.
 * `main` reports the errors of every command; the daemons' own bundle (surfaces/daemons.ts)
 * reports theirs with it too, since its errors are instances of its own copy of the error
 * classes and its secrets are registered with its own copy of `redact`.
 */
import { OperationError, isHomelabError, toHomelabError, type ExitCodeValue } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { Painter } from '../../core/render.js';
import { terminalText } from '../../core/render-safe.js';

/**
 * Writes `err` to `stderr` as the CLI reports a failure; returns its exit code. `wording`
 * rewords its hint and details (the command lines in them naming the run's lab:
 * surfaces/cli/lab-commands), never its message.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv, paint: Painter, wording: (text: string) => string = (text) => text): ExitCodeValue {
  const e = toHomelabError(err);
  const said = (text: string): string => terminalText(redact(text));
  // A message may echo what was typed or stored (a name, a word) or what a server said: its controls
  // shown visibly, and never reworded. Its line breaks stay: a refusal to run a plan without --yes
  // carries the plan's lines. The hint and details are homelab's own: their command lines name the lab.
  stderr.write(`${paint('homelab:', 'bad')} ${said(e.message)}\n`);
  if (e instanceof OperationError && e.details?.length) {
    for (const line of e.details) stderr.write(`  ${paint(said(wording(line)), 'dim')}\n`);
  }
  if (e.hint) stderr.write(`  ${paint(said(wording(e.hint)), 'dim')}\n`);
  if (!isHomelabError(err) && env.HOMELAB_DEBUG) stderr.write(`${terminalText(redact((err as Error).stack ?? ''))}\n`);
  return e.exitCode;
}
