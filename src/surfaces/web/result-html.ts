/**
 * @module surfaces/web/result-html
 * An operation's result and errors as HTML: the operation's own `render` blocks (with
 * row links to detail pages and any pictures), or the JSON result when it has none;
 * an error as one line with its hint. Everything shown is redacted first.
 */
import { OperationError, toHomelabError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { renderedHtml } from './blocks-html.js';
import { resultPictures } from './chart-slot.js';
import { h, join, type Html } from './html.js';
import { columnLinks } from './row-links.js';

/** Draws a result: pictures first, then the rendered blocks (or JSON). */
export function resultHtml(ops: readonly AnyOperation[], op: AnyOperation, input: Record<string, unknown>, result: unknown): Html {
  const pictures = resultPictures(op, input, result);
  const body = op.render
    ? renderedHtml(op.render(result, input), (block) => columnLinks(ops, op, block.columns))
    : h`<pre>${JSON.stringify(redactValue(result), null, 2)}</pre>`;
  return h`${join(pictures)}${body}`;
}

/** Draws an error: the message, its hint and detail lines; a partial failure's result first. */
export function errorHtml(err: unknown, ops?: readonly AnyOperation[], op?: AnyOperation, input?: Record<string, unknown>): Html {
  const e = toHomelabError(err);
  const partial = e instanceof OperationError && e.result !== undefined && ops && op && input ? resultHtml(ops, op, input, e.result) : '';
  const details = e instanceof OperationError && e.details?.length ? h`<ul>${join(e.details.map((d) => h`<li>${redact(d)}</li>`))}</ul>` : '';
  return h`${partial}<div class="error" role="alert"><p><strong>${redact(e.message)}</strong></p>${details}${e.hint ? h`<p class="help">${redact(e.hint)}</p>` : ''}</div>`;
}
