/**
 * @module orchestration/undo
 * Undoing the steps of a failed plan (orchestration/apply): each done step's undo, and the
 * undo of the failed step when its request may have gone through (orchestration/in-flight).
 * Every undo runs through `ctx.invoke` under a fresh time limit of its own (the failure may
 * have been the run's own timeout or a Ctrl-C), audited under the plan as `<step>:undo`.
 */
import { deriveContext } from '../core/context.js';
import { OperationError, toHomelabError } from '../core/errors.js';
import type { OpContext, Risk } from '../core/operation.js';
import { redact } from '../core/redact.js';
import type { StepError, StepOutcome, StepStatus } from './apply.js';
import { manualCommand, nothingToUndo } from './in-flight.js';
import { stepState, valueAt, type Plan, type PlanStep } from './plan.js';

const RANK: Record<Risk, number> = { read: 0, change: 1, danger: 2 };
/** The mark of each status in the progress log. */
export const MARK: Record<StepStatus, string> = { done: '✓', unchanged: '=', failed: '✖', undone: '↩', 'undo-failed': '!', 'not-run': '·' };

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

/** How undos report and run: the progress log, the time limit of each, and whether they may run above the risk cap. */
export interface UndoRun { log: string[]; note: (line: string) => void; total: number; timeoutMs: number; trusted: boolean }

function undoContext(ctx: OpContext, plan: Plan, step: PlanStep, run: UndoRun): OpContext {
  return deriveContext(ctx, { signal: AbortSignal.timeout(run.timeoutMs), plan: { id: plan.id, step: `${step.key}:undo` }, ...(run.trusted ? { undoing: true as const } : {}) });
}

/**
 * Undoes the failed step whose request may have reached the service (orchestration/in-flight).
 * Its status stays `failed`; `inFlight` and the note say what its undo found. A delete is not
 * re-created (that would make a second object when the delete did not happen): it is named.
 */
export async function undoInFlight(ctx: OpContext, plan: Plan, index: number, out: StepOutcome, run: UndoRun): Promise<void> {
  const step = plan.steps[index] as PlanStep;
  const undo = step.undo;
  const left = stepState(step) === 'update' ? 'may be left changed' : 'may be left in place';
  if (stepState(step) === 'delete') {
    out.inFlight = 'may-be-deleted';
    out.note = 'may have been deleted all the same (the request was sent, no answer came); not re-created, which could make a second one';
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
  const undoCtx = undoContext(ctx, plan, step, run);
  let ready = false;
  try {
    // Refusals of the undo itself (its input, the risk cap) first: they are not "nothing to undo".
    const info = await ctx.lookup(undo.op);
    if (!info) throw new OperationError(`operation ${undo.op} is not available`);
    info.validate(input);
    if (undoCtx.maxRisk && RANK[info.risk] > RANK[undoCtx.maxRisk]) throw new OperationError(`${undo.op.replace(/\./g, ' ')} is a ${info.risk} operation, above what ${ctx.actor.surface} allows here`);
    ready = true;
    await undoCtx.invoke(undo.op, input);
    out.inFlight = 'undone';
    out.note = `the request went through all the same: undone (${undo.describe})`;
    run.log.push(`${MARK.undone} ${label}`);
  } catch (err) {
    const e = stepError(err);
    const absent = ready && nothingToUndo(err);
    out.inFlight = absent ? 'nothing' : 'may-remain';
    out.note = absent ? `nothing to undo (${e.message})` : `${left}: ${step.describe}; undo failed (${e.message}); ${command} removes it`;
    run.log.push(`${absent ? MARK.unchanged : MARK['undo-failed']} ${label}: ${out.note}`);
  }
}

/** Undoes one done step (its outcome becomes `undone`, `undo-failed`, or stays `done` with a note when it has no undo). */
export async function undoStep(ctx: OpContext, plan: Plan, index: number, results: ReadonlyMap<string, unknown>, out: StepOutcome, progress: UndoRun): Promise<void> {
  const step = plan.steps[index] as PlanStep;
  if (!step.undo) {
    out.note = 'no undo step: left in place';
    return;
  }
  const label = `undo ${index + 1}/${progress.total}: ${step.undo.describe}`;
  progress.note(label);
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
