/**
 * @module surfaces/web/operation-routes
 * One operation's page, `/op/<id>`: its form (from the schema) and, for a read
 * operation given its input, the result and what relates to it. `/fragment/op/<id>`
 * answers the result alone (the service page's sections), with the `SECTION_FAILED` header
 * when it is an error (the read failed) rather than an answer. A long list is shown a page at
 * a time, with links to the other rows (result-pages). A POST to `/op/<id>` (a
 * change or a destructive operation) validates the form with `parseInput` and answers
 * the confirmation page: the operation's confirm line or its live preview (a plan's
 * whole plan), and a Confirm button that is good once. A plan that changes nothing (a
 * re-run) is not asked, as on the CLI: it starts at once and the answer leads to its run
 * page (its plan, then each step `unchanged`). Pages read in the session's lab, or
 * in the lab a link names (`_context`: a detail page's *edit…* link, drawn in its page's lab;
 * a read form drawn so names it too, so its *Show* reads there);
 * a POST runs in the lab its form was drawn in (`_context`), which the pending
 * confirmation keeps; the answer to a POST (the confirmation, the form again) names that
 * lab in its title and header too. A body or query that is not text (a file uploaded,
 * too many values: form-body) is a 400 page in one line, before any of this.
 */
import type { Hono } from 'hono';
import type { Lab } from '../../core/lab-set.js';
import { confirmationOf, isDryRun } from '../../core/confirmation.js';
import { type AnyOperation } from '../../core/operation.js';
import { disabledReason, webOperation } from './exposure.js';
import { readForm, readQuery } from './form-body.js';
import { checkForm } from './form-check.js';
import { fieldsOf, requiredKeys } from './form-fields.js';
import { operationForm } from './form-html.js';
import { RESERVED, formToInput, submittedValues, type FormValues } from './form-input.js';
import { h, type Html } from './html.js';
import { CONTEXT_FIELD, formLab, sessionLab } from './lab-choice.js';
import { refusedLab } from './lab-routes.js';
import { badRequest, notFound, userPage } from './page-context.js';
import { runRead } from './read-run.js';
import { isRunOutcome } from '../../orchestration/run-outcome.js';
import { SECTION_FAILED } from './assets.js';
import { relatedHtml } from './related.js';
import { confirmPage } from './run-routes.js';
import { errorHtml, resultHtml } from './result-html.js';
import { labCommands, webDescription } from './web-words.js';
import { offsetIn, pageInput, pageLinks, resultPage } from './result-pages.js';
import { webContext, type WebEnv, type WebState } from './state.js';

function formValues(values: FormValues): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(values)) if (!RESERVED.has(k) && v !== undefined) out[k] = Array.isArray(v) ? v.join('\n') : v;
  return out;
}

/** The text typed for each key the schema parsed into an object (`target: forgejo:3000`): the confirmation shows it as typed. */
function typedText(input: Record<string, unknown>, submitted: Record<string, string | boolean>): Record<string, string> {
  const typed: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) {
    const text = submitted[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof text === 'string' && text.trim()) typed[k] = text.trim();
  }
  return typed;
}

/** Runs a read operation for its page or fragment (`values`: the query, for the links to a long list's other rows). */
async function readResult(state: WebState, lab: Lab, op: AnyOperation, raw: Record<string, unknown>, user: string, values: FormValues): Promise<{ html: Html; errors: Record<string, string>; input?: Record<string, unknown>; failed?: true }> {
  const checked = checkForm(op, raw);
  if (!checked.ok) return { html: h``, errors: checked.errors };
  const ops = state.options.registry.all();
  const commands = labCommands(state.options.registry, lab);
  const outcome = await runRead(state, lab, op, pageInput(op, raw), user);
  // Findings (`check: 2 errors found`) are the read's answer; any other error is a read that failed.
  if (!outcome.ok) return { html: errorHtml(outcome.error, { ops, op, input: outcome.input, commands }), errors: {}, input: checked.input, ...(isRunOutcome(outcome.error) ? {} : { failed: true as const }) };
  const page = resultPage(op, outcome.input, outcome.value, offsetIn(values));
  const html = page ? h`${resultHtml(ops, op, outcome.input, page.value, commands)}${pageLinks(op, values, page)}` : resultHtml(ops, op, outcome.input, outcome.value, commands);
  return { html, errors: {}, input: checked.input };
}

/** Adds the operation routes. */
export function operationRoutes(app: Hono<WebEnv>, state: WebState): void {
  const { options } = state;

  app.get('/fragment/op/:id', async (c) => {
    const op = webOperation(options.registry, c.req.param('id'));
    if (!op || op.risk !== 'read') return c.text('No such read operation.', 404);
    const fields = fieldsOf(op);
    // The section names the lab of its page (`_context`), else the session's.
    const query = readQuery(c);
    if (!query.ok) return c.text(query.refused, 400);
    const chosen = formLab(c, state, query.values[CONTEXT_FIELD]);
    if ('refused' in chosen) return c.text(chosen.refused, 400);
    const result = await readResult(state, chosen.lab, op, formToInput(fields, query.values, false), c.get('session').user, query.values);
    // A section that could not be read says so in a header, so the page's status line counts it (assets).
    if (result.failed || Object.keys(result.errors).length) c.header(SECTION_FAILED, '1');
    return c.html(Object.keys(result.errors).length ? h`<p class="error">${Object.values(result.errors).join('; ')}</p>` : result.html);
  });

  app.get('/op/:id', async (c) => {
    const op = webOperation(options.registry, c.req.param('id'));
    if (!op) return notFound(c, state, `No operation ${c.req.param('id')} on this dashboard.`);
    const read = readQuery(c);
    if (!read.ok) return badRequest(c, state, read.refused, `/op/${op.id}`);
    const query = read.values;
    const session = c.get('session');
    // A link that names a lab (a detail page's *set…*, *edit…*) draws the form in it, whatever the session looks at now.
    const chosen = formLab(c, state, query[CONTEXT_FIELD]);
    if ('refused' in chosen) return refusedLab(c, state, chosen.refused);
    const { lab } = chosen;
    const fields = fieldsOf(op);
    const complete = query._form !== undefined;
    const raw = formToInput(fields, query, complete);
    let errors: Record<string, string> = {};
    let result: Html = h``;
    let related: Html = h``;
    const given = requiredKeys(op).every((k) => raw[k] !== undefined);
    if (op.risk === 'read' && (complete || given)) {
      const read = await readResult(state, lab, op, raw, session.user, query);
      errors = read.errors;
      result = h`<section class="panel" aria-labelledby="result-title"><header><h2 id="result-title">Result</h2></header>${read.html}</section>`;
      if (read.input) related = relatedHtml(options.registry.all(), op, read.input, session.csrf, options.allow, lab.name);
    }
    // A read form names its lab only when it is not the session's (a link named it), so that Show reads there too; else its link follows the session.
    const context = op.risk !== 'read' || lab.name !== sessionLab(c, state).name ? lab.name : undefined;
    const form = operationForm({ op, fields, values: submittedValues(fields, query, complete), errors, csrf: session.csrf, disabled: disabledReason(op, options.allow), ...(context ? { context } : {}) });
    const title = op.id.replace(/\./g, ' ');
    return c.html(userPage(c, state, title, h`<p class="help">${webDescription(op.description ?? op.summary, op)}</p>${result}${related}${form}`, lab.name), Object.keys(errors).length ? 400 : 200);
  });

  app.post('/op/:id', async (c) => {
    const op = webOperation(options.registry, c.req.param('id'));
    if (!op) return notFound(c, state, `No operation ${c.req.param('id')} on this dashboard.`);
    const session = c.get('session');
    const fields = fieldsOf(op);
    const form = await readForm(c);
    if (!form.ok) return badRequest(c, state, form.refused, `/op/${op.id}`);
    const body = form.values;
    const chosen = formLab(c, state, body[CONTEXT_FIELD]);
    if ('refused' in chosen) return refusedLab(c, state, chosen.refused);
    const { lab } = chosen;
    const reason = disabledReason(op, options.allow);
    const complete = body._form !== undefined;
    const showForm = (errors: Record<string, string>, status: 400 | 403 | 405): Response => {
      const form = operationForm({ op, fields, values: submittedValues(fields, body, complete), errors, csrf: session.csrf, disabled: reason, context: lab.name });
      return c.html(userPage(c, state, op.id.replace(/\./g, ' '), h`<p class="help">${webDescription(op.summary, op)}</p>${form}`, lab.name), status);
    };
    if (op.risk === 'read') return showForm({ '': 'A read operation runs from its page; nothing to confirm.' }, 405);
    if (reason) return showForm({ '': `Refused: ${reason}.` }, 403);
    const checked = checkForm(op, formToInput(fields, body, complete));
    if (!checked.ok) return showForm(checked.errors, 400);
    if (isDryRun(op, checked.input)) {
      // A dry run changes nothing (the plan is its result): no confirmation to ask.
      const run = state.runs.start(op, checked.input, session.user, [`Dry run of ${op.id.replace(/\./g, ' ')}: nothing is changed`], lab.name);
      return c.redirect(`/runs/${run.id}`, 303);
    }
    let confirmation: { lines: string[]; changesNothing: boolean };
    try {
      confirmation = await confirmationOf(op, checked.input, webContext(state, session.user, AbortSignal.timeout(options.timeoutMs), undefined, lab));
    } catch (err) {
      return c.html(userPage(c, state, op.id.replace(/\./g, ' '), h`${errorHtml(err, { op, commands: labCommands(options.registry, lab) })}${operationForm({ op, fields, values: submittedValues(fields, body, complete), errors: {}, csrf: session.csrf, context: lab.name })}`, lab.name), 400);
    }
    const { lines, changesNothing } = confirmation;
    if (changesNothing) {
      // A plan that changes nothing (a re-run of expose, unexpose, apply) has nothing to confirm, as
      // on the CLI: it runs at once with this very input, so the plan just read is its ceiling
      // (a change that appeared since is refused, orchestration/plan-operation).
      const run = state.runs.start(op, checked.input, session.user, lines, lab.name);
      options.log(`web:${session.user} started ${op.id}${state.labs.several ? ` in ${lab.name}` : ''} (nothing to change: not asked)`);
      return c.redirect(`/runs/${run.id}`, 303);
    }
    const pending = state.confirmations.add({ op, input: checked.input, user: session.user, context: lab.name, lines, typed: typedText(checked.input, formValues(body)) });
    // The page is about the lab the form was submitted in: its title and header name it, as its body does.
    return c.html(userPage(c, state, `Confirm: ${op.id.replace(/\./g, ' ')}`, confirmPage(pending, session, state.labs.several), pending.context));
  });
}
