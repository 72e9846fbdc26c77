/**
 * @module surfaces/web/form-html
 * Draws an operation's form from its fields: a labelled control per input key (the label
 * in words, the key beside it when it differs: field-labels), help text tied to it with
 * `aria-describedby` (naming fields, not command-line flags, and nothing of exit codes; the
 * legend, the operation's summary, likewise: web-words), required fields marked, enums as selects,
 * free text that may run long as a text area, an optional switch without a default as a select of "unchanged" (or "(not set)") / yes / no
 * that starts at the first, defaults shown, the field's own error beside it; keys only the
 * command line takes are named, not drawn. A form the server may not run is
 * drawn disabled under the line giving the reason: its fields and its button stay in the Tab
 * order, the button announced as disabled (`aria-disabled`, described by that line) and
 * submitting nothing, and Enter in a field submits nothing either (the form's default button is a
 * hidden disabled one). Read operations submit with GET (their result is a
 * page you can link to), naming the lab they were drawn in when it is not the session's; the
 * others POST with the session's CSRF token and the lab they were drawn in, and go to the
 * confirmation page.
 */
import type { AnyOperation } from '../../core/operation.js';
import { descriptionWithoutExitCodes } from '../shared/exit-code-words.js';
import { fieldLabel, keyWorthShowing, webHelp } from './field-labels.js';
import type { Field } from './form-fields.js';
import { h, join, type Html } from './html.js';
import { webDescription } from './web-words.js';

/** What the form shows. */
export interface FormView {
  op: AnyOperation;
  fields: readonly Field[];
  /** Current values by key (what was submitted, or a link's query). */
  values: Record<string, string | boolean>;
  /** Errors by key; `''` for errors not tied to one field. */
  errors: Record<string, string>;
  csrf: string;
  /** Why it cannot run here; the form is disabled. */
  disabled?: string;
  /** The submit button's text. */
  submit?: string;
  /** Where the form goes (default `/op/<id>`). */
  action?: string;
  /** The lab the form runs in, sent back as `_context`: a change form's always; a read form's when it was drawn in a lab other than the session's (a link naming one). */
  context?: string;
  /** More controls after the fields (a page's own filters). */
  extra?: Html;
}

const idOf = (op: AnyOperation, key: string): string => `f-${op.id.replace(/\./g, '-')}-${key}`;

function control(view: FormView, f: Field, describedBy: string): Html {
  const id = idOf(view.op, f.key);
  const value = view.values[f.key] ?? f.defaultValue;
  const common = { id, name: f.key, describedBy: describedBy || undefined, invalid: view.errors[f.key] ? 'true' : undefined };
  if (f.kind === 'checkbox') {
    return h`<input type="checkbox" id="${common.id}" name="${common.name}" value="true"${value === true || value === 'true' ? h` checked` : ''}${common.describedBy ? h` aria-describedby="${common.describedBy}"` : ''}>`;
  }
  if (f.kind === 'tristate') {
    // "unchanged" where the operation changes only what is given (needsOneOf), else the operation's own choice.
    const unset = view.op.needsOneOf?.includes(f.key) ? 'unchanged' : '(not set)';
    const chosen = value === true || value === 'true' ? 'true' : value === false || value === 'false' ? 'false' : '';
    const options = [['', unset], ['true', 'yes'], ['false', 'no']].map(([v, label]) => h`<option value="${v}"${v === chosen ? h` selected` : ''}>${label}</option>`);
    return h`<select id="${common.id}" name="${common.name}"${common.describedBy ? h` aria-describedby="${common.describedBy}"` : ''}${common.invalid ? h` aria-invalid="true"` : ''}>${options}</select>`;
  }
  if (f.kind === 'select') {
    // A required choice starts on an empty "choose…", so nothing is sent that was not picked (the browser's `required` and the schema both refuse it).
    const options = [h`<option value="">${f.required ? 'choose…' : '(not set)'}</option>`, ...(f.options ?? []).map((o) => h`<option${o === value ? h` selected` : ''}>${o}</option>`)];
    return h`<select id="${common.id}" name="${common.name}"${f.required ? h` required` : ''}${common.describedBy ? h` aria-describedby="${common.describedBy}"` : ''}${common.invalid ? h` aria-invalid="true"` : ''}>${options}</select>`;
  }
  const text = typeof value === 'string' ? value : '';
  if (f.kind === 'list') {
    return h`<textarea id="${common.id}" name="${common.name}" rows="3"${f.required ? h` required` : ''}${common.describedBy ? h` aria-describedby="${common.describedBy}"` : ''}${common.invalid ? h` aria-invalid="true"` : ''}>${text}</textarea>`;
  }
  if (f.multiline) {
    return h`<textarea id="${common.id}" name="${common.name}" rows="4"${f.required ? h` required` : ''}${common.describedBy ? h` aria-describedby="${common.describedBy}"` : ''}${common.invalid ? h` aria-invalid="true"` : ''}>${text}</textarea>`;
  }
  const numeric = f.kind === 'number' || f.kind === 'integer';
  return h`<input type="${numeric ? 'number' : 'text'}" id="${common.id}" name="${common.name}" value="${text}"${numeric && f.kind === 'number' ? h` step="any"` : ''}${f.min !== undefined ? h` min="${f.min}"` : ''}${f.max !== undefined ? h` max="${f.max}"` : ''}${f.required ? h` required` : ''}${common.describedBy ? h` aria-describedby="${common.describedBy}"` : ''}${common.invalid ? h` aria-invalid="true"` : ''}>`;
}

function fieldRow(view: FormView, f: Field): Html {
  const id = idOf(view.op, f.key);
  const error = view.errors[f.key];
  const help = [f.help ? webHelp(descriptionWithoutExitCodes(f.help), view.fields) : undefined, f.kind === 'list' ? 'one per line' : undefined].filter(Boolean).join('; ');
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return h`<div class="field${f.kind === 'checkbox' ? ' check' : ''}">
  <label for="${id}">${fieldLabel(f.key)}${keyWorthShowing(f.key) ? h`<span class="key" aria-hidden="true">${f.key}</span>` : ''}${f.required ? h` <span class="req" aria-hidden="true">*</span><span class="sr">(required)</span>` : ''}</label>
  ${control(view, f, describedBy)}
  ${help ? h`<small id="${id}-help" class="help">${help}</small>` : ''}
  ${error ? h`<small id="${id}-error" class="error">${error}</small>` : ''}
</div>`;
}

function submitText(view: FormView): string {
  const { op } = view;
  return view.submit ?? (op.risk === 'read' ? 'Show' : op.risk === 'danger' ? 'Review (destructive)…' : 'Review…');
}

/** The form of an operation. */
export function operationForm(view: FormView): Html {
  const { op } = view;
  const read = op.risk === 'read';
  const action = view.action ?? `/op/${op.id}`;
  const general = view.errors[''];
  const reasonId = `${idOf(view.op, '')}reason`;
  return h`<form class="op-form risk-${op.risk}" method="${read ? 'get' : 'post'}" action="${action}" aria-label="${op.id.replace(/\./g, ' ')}">
${view.disabled
    // The form's default button, first and disabled: Enter in a field (implicit submission) then submits nothing.
    ? h`<button type="submit" disabled hidden></button>`
    : ''}
${view.disabled ? h`<p class="disabled-reason" id="${reasonId}"><strong>Disabled:</strong> ${view.disabled}</p>` : ''}
${general ? h`<p class="error" role="alert">${general}</p>` : ''}
<fieldset${view.disabled ? h` aria-describedby="${reasonId}"` : ''}>
<legend>${webDescription(op.summary, op)}</legend>
${read ? h`<input type="hidden" name="_form" value="1">` : h`<input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="_form" value="1">`}${view.context ? h`<input type="hidden" name="_context" value="${view.context}">` : ''}
${join(view.fields.map((f) => fieldRow(view, f)))}
${op.cliOnlyInputs?.length ? h`<p class="help">On the command line only: ${op.cliOnlyInputs.join(', ')}.</p>` : ''}
${view.extra ?? ''}
${view.disabled
    // Not `disabled`: the button stays in the Tab order, announced as disabled with the reason; it submits nothing (the server refuses a POST anyway).
    ? h`<button type="button" aria-disabled="true" aria-describedby="${reasonId}">${submitText(view)}</button>`
    : h`<button type="submit">${submitText(view)}</button>`}
</fieldset>
</form>`;
}
