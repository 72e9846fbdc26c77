/**
 * @module orchestration/undo
 * Undoing the steps of a failed plan (orchestration/apply): each done step's undo, and the
 * undo of the failed step when its request may have gone through (orchestration/in-flight).
 * Every undo runs through `ctx.invoke` under a fresh time limit of its own (the failure may
 * have been the run's own timeout or a Ctrl-C), audited under the plan as `<step>:undo`.
 */
import { deriveContext } from '../core/context.js';
import { OperationError, toHomelabError } from '../core/errors.js';
import type { OpContext } from '../core/operation.js';
import { redact } from '../core/redact.js';
import type { StepError, StepOutcome, StepStatus } from './step-outcome.js';
import { changedNothing, manualCommand, nothingToUndo } from './in-flight.js';
import { stepState, valueAt, type Plan, type PlanStep, type StepLookup } from './plan.js';

/** The mark of each status in the progress log. */
export const MARK: Record<StepStatus, string> = { done: '✓', unchanged: '=', failed: '✖', undone: '↩', 'undo-failed': '!', 'not-run': '·' };

/** The note of a done step that stays after the plan failed: it has no undo. */
export const NO_UNDO_NOTE = 'no undo step: left in place';

/** An error as the outcome carries it. */
export function stepError(err: unknown): StepError {
  const e = toHomelabError(err);
  return { message: redact(e.message), hint: e.hint ? redact(e.hint) : null, exitCode: e.exitCode };
}

/** The input of a step's undo, with fields taken from the step's result. */
function undoInput(step: PlanStep, result: unknown): Record<string, unknown> {
  const undo = step.undo;
  if (!undo) return {};
  const input = { ...undo.input };
  for (const [field, path] of Object.entries(undo.fromResult ?? {})) {
    const value = valueAt(result, path);
    if (value === undefined) throw new OperationError(`the undo of step ${step.key} needs ${path} from its result, which has none`);
    input[field] = value;
  }
  return input;
}

/**
 * How undos report and run: the progress log, the time limit of each, whether they may run
 * above the risk cap, and the command that runs the plan's operation again (it finishes what
 * a failed run left), when there is one.
 */
export interface UndoRun { log: string[]; note: (line: string) => void; total: number; timeoutMs: number; trusted: boolean; rerun?: string }

function undoContext(ctx: OpContext, plan: Plan, step: PlanStep, run: UndoRun): OpContext {
  return deriveContext(ctx, { signal: AbortSignal.timeout(run.timeoutMs), plan: { id: plan.id, step: `${step.key}:undo` }, ...(run.trusted ? { undoing: true as const } : {}) });
}

const norm = (v: unknown): string => String(v).replace(/\.$/, '').toLowerCase();

/** Whether the list at `find.in` of a look-up's result has an item whose fields are `find.where` (a result without that list throws: unknown). */
function listHas(result: unknown, find: NonNullable<StepLookup['find']>): boolean {
  const list = valueAt(result, find.in);
  if (!Array.isArray(list)) throw new OperationError(`the look-up's result has no list at ${find.in}`);
  return list.some((item) => item !== null && typeof item === 'object'
    && Object.entries(find.where).every(([k, v]) => norm((item as Record<string, unknown>)[k]) === norm(v)));
}

/** What a look-up of a delete step's object found: gone (the delete was done), there (it was not), or unknown. */
export type LookupFinding = 'gone' | 'there' | 'unknown';

/**
 * Looks up the object of a delete step whose outcome is unknown (`PlanStep.lookup`, a read
 * operation, under a fresh time limit): NotFoundError is `gone`, an answer is `there`, no
 * look-up or any other failure `unknown`; with `find`, an answer without the item is `gone`.
 */
export async function lookUpDeleted(ctx: OpContext, plan: Plan, step: PlanStep, run: UndoRun): Promise<LookupFinding> {
  const lookup = step.lookup;
  if (!lookup) return 'unknown';
  try {
    // Only a read may run here: a plan from outside names its own look-up.
    if ((await ctx.lookup(lookup.op))?.risk !== 'read') return 'unknown';
    const result = await undoContext(ctx, plan, step, run).invoke(lookup.op, lookup.input);
    return !lookup.find || listHas(result, lookup.find) ? 'there' : 'gone';
  } catch (err) {
    return nothingToUndo(err) ? 'gone' : 'unknown';
  }
}

/**
 * Undoes the failed step whose request may have reached the service (orchestration/in-flight).
 * Its status stays `failed`; `inFlight` and the note say what its undo found. A delete is not
 * re-created (that would make a second object when the delete did not happen): it is named,
 * with the command that finishes the job (the applier has looked it up first: `lookUpDeleted`).
 * An update's undo writes the old values back, which proves nothing unless its result says
 * whether it changed anything.
 */
export async function undoInFlight(ctx: OpContext, plan: Plan, index: number, out: StepOutcome, run: UndoRun): Promise<void> {
  const step = plan.steps[index] as PlanStep;
  const undo = step.undo;
  const state = stepState(step);
  const left = state === 'update' ? 'may be left changed' : 'may be left in place';
  if (state === 'delete') {
    out.inFlight = 'may-be-deleted';
    out.note = `may have been deleted all the same (the request reached the service, which did not say it was done); not re-created, which could make a second one${run.rerun ? `; ${run.rerun} finishes the job` : ''}`;
    return;
  }
  if (!undo) {
    out.inFlight = 'may-remain';
    out.note = `${left}: ${step.describe} (it has no undo step)`;
    return;
  }
  // Values only the step's answer would have told (a new certificate's id): the undo cannot run.
  const missing = Object.keys(undo.fromResult ?? {});
  const input = Object.fromEntries(Object.entries(undo.input).filter(([k]) => !missing.includes(k)));
  const command = manualCommand(undo.op, input, missing);
  if (missing.length) {
    out.inFlight = 'may-remain';
    out.note = `${left}: ${step.describe}; ${command} removes it`;
    run.log.push(`${MARK['undo-failed']} ${out.note}`);
    return;
  }
  const label = `undo ${index + 1}/${run.total}: ${undo.describe} (the request may have gone through)`;
  run.note(label);
  try {
    const result = await undoContext(ctx, plan, step, run).invoke(undo.op, input);
    // A create's undo that removed something proves the step went through; a restore proves nothing unless it says what it changed.
    const unchanged = state === 'update' ? changedNothing(result) : false;
    out.inFlight = unchanged === undefined ? 'restored' : unchanged ? 'nothing' : 'undone';
    out.note = unchanged === undefined ? `old values written back in case it went through (${undo.describe})`
      : unchanged ? `not applied: ${undo.describe} found nothing to change` : `the request went through all the same: undone (${undo.describe})`;
    run.log.push(`${unchanged ? MARK.unchanged : MARK.undone} ${label}${unchanged === false ? '' : `: ${out.note}`}`);
  } catch (err) {
    const e = stepError(err);
    const absent = nothingToUndo(err);
    out.inFlight = absent ? 'nothing' : 'may-remain';
    out.note = absent ? `nothing to undo (${e.message})` : `${left}: ${step.describe}; undo failed (${e.message}); ${command} ${state === 'update' ? 'restores' : 'removes'} it`;
    run.log.push(`${absent ? MARK.unchanged : MARK['undo-failed']} ${label}: ${out.note}`);
  }
}

/** Undoes one done step (its outcome becomes `undone`, `undo-failed`, or stays `done` with a note when it has no undo). */
export async function undoStep(ctx: OpContext, plan: Plan, index: number, results: ReadonlyMap<string, unknown>, out: StepOutcome, progress: UndoRun): Promise<void> {
  const step = plan.steps[index] as PlanStep;
  if (!step.undo) {
    out.note = NO_UNDO_NOTE;
    return;
  }
  const label = `undo ${index + 1}/${progress.total}: ${step.undo.describe}`;
  progress.note(label);
  // What was said of the step when it ran (a delete found gone) is no longer its story.
  out.note = null;
  try {
    await undoContext(ctx, plan, step, progress).invoke(step.undo.op, undoInput(step, results.get(step.key)));
    out.status = 'undone';
    if (step.undo.lost?.length) out.note = `re-created with defaults: ${step.undo.lost.join(', ')}`;
    progress.log.push(`${MARK.undone} ${label}${out.note ? ` (${out.note})` : ''}`);
  } catch (err) {
    out.status = 'undo-failed';
    out.error = stepError(err);
    progress.log.push(`${MARK['undo-failed']} ${label}: ${out.error.message}`);
  }
}
