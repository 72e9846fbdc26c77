/**
 * @module surfaces/web/result-html
 * An operation's result and errors as HTML: the operation's own `render` blocks (with
 * row links to detail pages and any pictures), or the JSON result when it has none;
 * an error as one line with its hint. Everything shown is redacted first. The command
 * lines in them (a result's marked ones, an error's hint and details) are worded for the
 * page's lab, and an error about an operation names its form's fields, not flags (web-words).
 */
import { OperationError, toHomelabError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { mapCommandLines } from '../../core/render.js';
import { renderedHtml } from './blocks-html.js';
import { resultPictures } from './chart-slot.js';
import { h, join, type Html } from './html.js';
import { columnLinks } from './row-links.js';
import { webMessage, type CommandWording } from './web-words.js';

/** Draws a result: pictures first, then the rendered blocks (their command lines worded by `commands`), or JSON. */
export function resultHtml(ops: readonly AnyOperation[], op: AnyOperation, input: Record<string, unknown>, result: unknown, commands?: CommandWording): Html {
  const pictures = resultPictures(op, input, result);
  const blocks = op.render ? op.render(result, input) : undefined;
  const body = blocks
    ? renderedHtml(commands ? mapCommandLines(blocks, commands) : blocks, (block) => columnLinks(ops, op, block.columns))
    : h`<pre>${JSON.stringify(redactValue(result), null, 2)}</pre>`;
  return h`${join(pictures)}${body}`;
}

/** What an error is about: its operation (its flags are named as fields), and for a partial result every operation and the input; how command lines are worded. */
export interface ErrorAbout {
  op?: AnyOperation;
  ops?: readonly AnyOperation[];
  input?: Record<string, unknown>;
  commands?: CommandWording;
}

/** Draws an error: the message, its hint and detail lines; a partial failure's result first. */
export function errorHtml(err: unknown, about: ErrorAbout = {}): Html {
  const { op, ops, input, commands } = about;
  const e = toHomelabError(err);
  const lines = (text: string): string => (commands ? commands(text) : text);
  const partial = e instanceof OperationError && e.result !== undefined && ops && op && input ? resultHtml(ops, op, input, e.result, commands) : '';
  const details = e instanceof OperationError && e.details?.length ? h`<ul>${join(e.details.map((d) => h`<li>${lines(redact(d))}</li>`))}</ul>` : '';
  return h`${partial}<div class="error" role="alert"><p><strong>${webMessage(redact(e.message), op)}</strong></p>${details}${e.hint ? h`<p class="help">${lines(webMessage(redact(e.hint), op))}</p>` : ''}</div>`;
}
