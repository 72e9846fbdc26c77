/**
 * @module surfaces/web/runs
 * Runs started from the dashboard after a confirmation: each runs through core
 * `runParsed` (the audit hook records it with the actor `web:<user>`) under the
 * operation's time limit, collects its progress notes (a plan's report updated in place), and ends with its result or
 * error drawn as HTML. Pages follow a run over Server-Sent Events; a late visitor gets
 * the notes so far and the outcome. Only the user who started a run may see it. A run
 * belongs to one lab (context), fixed when it starts.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { TimeoutError } from '../../core/errors.js';
import { runParsed } from '../../core/invoke.js';
import type { AnyOperation, OpContext } from '../../core/operation.js';
import { redact } from '../../core/redact.js';
import type { Html } from './html.js';

/** How a run stands. */
export type RunState = 'running' | 'ok' | 'error';

/** One run. */
export interface Run {
  id: string;
  op: AnyOperation;
  input: Record<string, unknown>;
  user: string;
  /** The lab (context) it runs in. */
  context: string;
  /** What the confirmation said. */
  lines: string[];
  startedAt: number;
  state: RunState;
  /** The progress shown: each note, a plan's report kept as one note updated in place (see `noteIndex`). */
  notes: string[];
  /** The result or error, drawn (set when the run ends). */
  outcome?: Html;
  /** Emits `progress` (note, the index it takes in `notes`, dropping those after it) and `done` (outcome). */
  events: EventEmitter;
}

/** What a run needs from the server. */
export interface RunDeps {
  /** A context for `user` in the lab `context`, with this signal and progress. */
  context(user: string, signal: AbortSignal, progress: (note: string) => void, context: string): OpContext;
  /** Draws the result or the error. */
  draw(run: Run, result: { ok: true; value: unknown } | { ok: false; error: unknown }): Html;
  /** Time limit of a run unless its operation sets one. */
  timeoutMs: number;
}

/**
 * Where a new progress note goes in `notes`: at the end, or, when it is an updated version
 * of the last note of several lines, in that note's place (the notes after it dropped).
 * A plan reports by re-sending its whole report, title and steps so far plus the current
 * one (the edit-in-place text the bot shows): a note that begins with all the lines of
 * that report but its last is its next version. So a ten-step plan shows as its report
 * (about ten lines) and the notes of the step under way, not every version of it.
 */
export function noteIndex(notes: readonly string[], note: string): number {
  for (let i = notes.length - 1; i >= 0; i--) {
    const lines = (notes[i] as string).split('\n');
    if (lines.length < 2) continue;
    return note.startsWith(`${lines.slice(0, -1).join('\n')}\n`) ? i : notes.length;
  }
  return notes.length;
}

/** Runs of one server (the newest 200 are kept). */
export class RunStore {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly deps: RunDeps) {}

  /** Starts a run in the lab `context`; it goes on without the page. */
  start(op: AnyOperation, input: Record<string, unknown>, user: string, lines: string[], context: string): Run {
    const run: Run = { id: randomBytes(12).toString('base64url'), op, input, user, context, lines, startedAt: Date.now(), state: 'running', notes: [], events: new EventEmitter() };
    run.events.setMaxListeners(50);
    this.runs.set(run.id, run);
    if (this.runs.size > 200) this.runs.delete(this.runs.keys().next().value as string);
    const progress = (note: string): void => {
      const line = redact(note);
      const at = noteIndex(run.notes, line);
      run.notes.splice(at, run.notes.length - at, line);
      run.events.emit('progress', line, at);
    };
    const limitMs = op.timeoutMs ?? this.deps.timeoutMs;
    const signal = AbortSignal.timeout(limitMs);
    const finish = (state: RunState, outcome: Html): void => {
      run.state = state;
      run.outcome = outcome;
      run.events.emit('done', outcome);
    };
    let ctx: OpContext;
    try {
      ctx = this.deps.context(user, signal, progress, context);
    } catch (error) {
      finish('error', this.deps.draw(run, { ok: false, error }));
      return run;
    }
    runParsed(op, input, ctx).then(
      (value) => finish('ok', this.deps.draw(run, { ok: true, value })),
      (error: unknown) => finish('error', this.deps.draw(run, { ok: false, error: signal.aborted ? new TimeoutError(op.id, limitMs, 'operation') : error })),
    );
    return run;
  }

  /** The run `id` if `user` started it. */
  get(id: string, user: string): Run | undefined {
    const run = this.runs.get(id);
    return run && run.user === user ? run : undefined;
  }
}
