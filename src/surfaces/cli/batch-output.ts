/**
 * @module surfaces/cli/batch-output
 * One result per batch line. Text: `ok` or `failed` with the line number and the
 * command (a read's rendered output indented below it, a failure's hint after that; the
 * command lines in them name the line's lab when a shell would run them in another). `--json`: one JSON object per
 * line, `{"line":3,"command":"dns add …","ok":true,"result":…}` or
 * `{"line":4,"command":"…","ok":false,"error":"…","exitCode":1}`. Secrets are redacted
 * from the command, the result and the error alike. In text, what a line echoes (its
 * command, an error quoting its words) is made safe for a terminal (control characters
 * shown visibly) and cut to `ECHO_MAX` characters; JSON escapes it and keeps it whole.
 */
import { HomelabError, OperationError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { renderText, type Painter } from '../../core/render.js';
import { terminalExcerpt } from '../../core/render-safe.js';
import type { CommandIndex } from './command-index.js';
import { namingLab, namingLabIn } from './lab-commands.js';

/** Longest command (and error message) a text result echoes, in characters. */
export const ECHO_MAX = 200;

/**
 * Writes the batch's results. `lab`: the line's lab when a shell would run its command lines
 * in another (lab-commands), so a result's command lines name it.
 */
export interface BatchPrinter {
  /** `mustShow`: the line's result is shown whatever its risk (its operation removes what it returned once shown). */
  ok(line: number, text: string, op: AnyOperation, input: Record<string, unknown>, result: unknown, lab?: string, mustShow?: boolean): void;
  /** `op` and `input` are known when the line parsed and then failed while running. */
  failed(line: number, text: string, error: HomelabError, op?: AnyOperation, input?: Record<string, unknown>, lab?: string): void;
}

/** One JSON object per line on `out`. */
export function jsonPrinter(out: NodeJS.WritableStream): BatchPrinter {
  const write = (value: Record<string, unknown>): void => { out.write(`${JSON.stringify(value)}\n`); };
  return {
    ok: (line, text, _op, _input, result) => write({ line, command: redact(text), ok: true, result: redactValue(result) ?? null }),
    failed: (line, text, error) => write({
      line, command: redact(text), ok: false, error: redact(error.message), exitCode: error.exitCode,
      ...(error.hint ? { hint: redact(error.hint) } : {}),
      ...(error instanceof OperationError && error.result !== undefined ? { result: redactValue(error.result) } : {}),
    }),
  };
}

/** Aligned lines for people; `paint` colours them on a terminal; `index` tells homelab's commands in them. */
export function textPrinter(out: NodeJS.WritableStream, paint: Painter, index: CommandIndex): BatchPrinter {
  const echo = (text: string, max = ECHO_MAX): string => terminalExcerpt(redact(text), max);
  const head = (state: 'ok' | 'failed', line: number): string => `${paint(state.padEnd(6), state === 'ok' ? 'ok' : 'bad')} ${String(line).padStart(4)}  `;
  // A read is run for what it shows (a partial failure's result too); a change's line says enough,
  // unless the change hands over what it took (`telegram inbox clear`): that is shown like a read's.
  const body = (op: AnyOperation | undefined, input: Record<string, unknown> | undefined, result: unknown, lab: string | undefined, mustShow = false): void => {
    if ((op?.risk !== 'read' && !mustShow) || !op?.render || !input || result === undefined) return;
    const blocks = op.render(result, input);
    const text = renderText(lab ? namingLab(blocks, lab, index) : blocks, paint);
    if (text) out.write(`${redact(text).replace(/^(?=.)/gm, '        ')}\n`);
  };
  return {
    ok(line, text, op, input, result, lab, mustShow) {
      out.write(`${head('ok', line)}${echo(text)}\n`);
      body(op, input, result, lab, mustShow);
    },
    failed(line, text, error, op, input, lab) {
      // Its hint names the line's lab in the command lines it suggests, as its result does; its
      // message is left as it is (it may echo what was typed, or a server's text).
      const naming = (said: string): string => (lab ? namingLabIn(said, lab, index) : said);
      out.write(`${head('failed', line)}${echo(text)}: ${echo(error.message, 2 * ECHO_MAX)} ${paint(`(exit ${error.exitCode})`, 'dim')}\n`);
      // The result first, then the hint, which may point at it ("each target's error and fix are in its row above").
      body(op, input, error instanceof OperationError ? error.result : undefined, lab);
      if (error.hint) out.write(`        ${paint(echo(naming(error.hint), 2 * ECHO_MAX), 'dim')}\n`);
    },
  };
}
