/**
 * @module surfaces/web/run-routes
 * Confirming and following a run. The confirmation page shows what will happen (the
 * confirm line, or the preview: a headline and its lines, a plan's steps), the input
 * (every value sent, a switch that is off too), and who the audit log will name; Confirm
 * (POST, CSRF) starts the run through `invoke` and leads to `/runs/<id>`, which streams
 * the run's progress notes and then its result over Server-Sent Events (`progress`, whose
 * id is the note's place in the list, a plan's report replacing its previous version;
 * `done`; a HEAD request starts no stream: event-stream), and shows them as they are when loaded again. With several labs both pages name the lab, in the body, the
 * tab's title and the header: the one the form was submitted in, kept with the pending
 * confirmation, where the run goes whatever the header's selector says by then; a lab
 * removed from config.yaml since is refused at Confirm (400), as any unknown name.
 */
import type { Hono } from 'hono';
import { redact, redactValue } from '../../core/redact.js';
import type { PendingRun } from './confirmations.js';
import { eventStream } from './event-stream.js';
import { inputToValues } from './form-input.js';
import { labNamed } from './lab-choice.js';
import { h, join, type Html } from './html.js';
import { notFound, userPage } from './page-context.js';
import type { Run } from './runs.js';
import type { Session } from './sessions.js';
import type { WebEnv, WebState } from './state.js';

/**
 * The input as a list: every value that will be sent, a switch as yes or no (an off one
 * too: it turns something off); a key the schema parsed into an object shows the text
 * typed for it (`typed`), not its parse.
 */
function inputList(input: Record<string, unknown>, typed: Record<string, string> = {}): Html {
  const redacted = redactValue(input);
  const values = inputToValues(redacted);
  for (const [k, text] of Object.entries(typed)) {
    const parsed = redacted[k];
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) values[k] = redact(text);
  }
  const entries = Object.entries(values);
  if (!entries.length) return h``;
  return h`<dl class="fields">${join(entries.map(([k, v]) => h`<dt>${k}</dt><dd>${v === true ? 'yes' : v === false ? 'no' : v}</dd>`))}</dl>`;
}

function whatHtml(lines: readonly string[]): Html {
  const [head, ...rest] = lines.map(redact);
  return h`<p class="what"><strong>${head ?? ''}</strong></p>${rest.length ? h`<ul class="plan">${join(rest.map((l) => h`<li>${l}</li>`))}</ul>` : ''}`;
}

/** The line naming the lab a run is in (with several labs). */
function labLine(context: string): Html {
  return h`<p class="lab" data-context="${context}">In lab <strong>${context}</strong>.</p>`;
}

/** The confirmation page's body; `named`: the dashboard serves several labs, so the page names the run's. */
export function confirmPage(p: PendingRun, session: Session, named: boolean): Html {
  const danger = p.op.risk === 'danger';
  return h`<section class="panel confirm${danger ? ' danger' : ''}" aria-labelledby="confirm-title">
<header><h2 id="confirm-title">${danger ? 'Destructive: confirm' : 'Confirm'}</h2><span class="badge ${p.op.risk}">${p.op.risk}</span></header>
${named ? labLine(p.context) : ''}
${whatHtml(p.lines)}
${inputList(p.input, p.typed)}
<p class="help">Runs as web:${p.user} and is recorded in the audit log. This confirmation is good once, for 5 minutes.</p>
<div class="actions">
<form class="inline" method="post" action="/confirm/${p.token}"><input type="hidden" name="_csrf" value="${session.csrf}"><button type="submit" class="${danger ? 'danger' : ''}"${danger ? '' : h` autofocus`}>Confirm and run</button></form>
<form class="inline" method="post" action="/confirm/${p.token}/cancel"><input type="hidden" name="_csrf" value="${session.csrf}"><button type="submit" class="secondary"${danger ? h` autofocus` : ''}>Cancel</button></form>
</div>
</section>`;
}

const STATE_TEXT = { running: 'Running…', ok: 'Finished', error: 'Failed' } as const;

function runBody(run: Run, named: boolean): Html {
  return h`<section class="panel" aria-labelledby="run-title" data-run-events="${run.state === 'running' ? `/runs/${run.id}/events` : ''}" data-done-text="Finished">
<header><h2 id="run-title">${run.op.id.replace(/\./g, ' ')}</h2><span id="run-state" role="status">${STATE_TEXT[run.state]}</span></header>
${named ? labLine(run.context) : ''}
${whatHtml(run.lines)}
<h3>Progress</h3>
<ol id="progress" aria-live="polite">${join(run.notes.map((n) => h`<li>${n}</li>`))}</ol>
<h3>Result</h3>
<div id="result" tabindex="-1" aria-live="polite">${run.outcome ?? h`<p class="dim">Waiting for the result…</p>`}</div>
</section>
<p><a href="/s/${run.op.id.includes('.') ? run.op.id.split('.')[0] : 'homelab'}">Back to the service</a> · <a href="/audit">Audit log</a></p>`;
}

/** Adds the confirmation and run routes. */
export function runRoutes(app: Hono<WebEnv>, state: WebState): void {
  app.post('/confirm/:token', (c) => {
    const session = c.get('session');
    const taken = state.confirmations.take(c.req.param('token'), session.user);
    if ('refused' in taken) return c.html(userPage(c, state, 'Not run', h`<p class="error" role="alert">${taken.refused}</p><p><a href="/">Back to the overview</a></p>`), 409);
    const { op, input, lines, context } = taken.run;
    // A lab removed from config.yaml since the page was drawn is refused like any unknown name.
    const lab = labNamed(state, context);
    if ('refused' in lab) return c.html(userPage(c, state, 'Not run', h`<p class="error" role="alert">${lab.refused}</p><p><a href="/">Back to the overview</a></p>`), 400);
    const run = state.runs.start(op, input, session.user, lines, context);
    state.options.log(`web:${session.user} started ${op.id}${state.labs.several ? ` in ${context}` : ''}`);
    return c.redirect(`/runs/${run.id}`, 303);
  });

  app.post('/confirm/:token/cancel', (c) => {
    const p = state.confirmations.cancel(c.req.param('token'), c.get('session').user);
    const back = p ? `/op/${p.op.id}` : '/';
    return c.html(userPage(c, state, 'Cancelled', h`<p role="status">Cancelled; nothing was done.</p><p><a href="${back}">Back</a></p>`, p?.context));
  });

  app.get('/runs/:id', (c) => {
    const run = state.runs.get(c.req.param('id'), c.get('session').user);
    if (!run) return notFound(c, state, 'No such run (runs are kept until the server restarts).');
    return c.html(userPage(c, state, `Run: ${run.op.id.replace(/\./g, ' ')}`, runBody(run, state.labs.several), run.context));
  });

  app.get('/runs/:id/events', (c) => {
    const run = state.runs.get(c.req.param('id'), c.get('session').user);
    if (!run) return c.text('No such run.', 404);
    return eventStream(c, state, async (sink, stop) => {
      // A progress event's id is the place of its note in the list: the page drops the items from there on, then adds it.
      const queue: { event: string; data: string; id?: string }[] = run.notes.map((n, i) => ({ event: 'progress', data: n, id: String(i) }));
      let wake: (() => void) | undefined;
      const push = (event: string, data: string, id?: string): void => {
        queue.push({ event, data, ...(id === undefined ? {} : { id }) });
        wake?.();
      };
      const onProgress = (note: string, at: number): void => push('progress', note, String(at));
      const onDone = (outcome: Html): void => push('done', String(outcome));
      run.events.on('progress', onProgress);
      run.events.on('done', onDone);
      if (run.outcome) push('done', String(run.outcome));
      stop.addEventListener('abort', () => wake?.(), { once: true });
      try {
        for (;;) {
          const next = queue.shift();
          if (next) {
            if (!(await sink.send(next)) || next.event === 'done') break;
            continue;
          }
          if (stop.aborted) break;
          await new Promise<void>((resolve) => { wake = resolve; });
          wake = undefined;
        }
      } finally {
        run.events.off('progress', onProgress);
        run.events.off('done', onDone);
      }
    });
  });
}
