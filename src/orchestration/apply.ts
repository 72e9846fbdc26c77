/**
 * @module orchestration/apply
 * Applies a plan: every step that is not `unchanged` runs, in order, through
 * `ctx.invoke` (validation, the operation's own checks, one audit row per step carrying
 * the plan id and the step key). When a step fails, the steps already done are undone in
 * reverse order, each through `ctx.invoke` too, under a fresh time limit of their own (the
 * failure may have been the run's own timeout or a Ctrl-C: the undo must still run).
 *
 * A step that failed after its request may have reached the service (cancelled, timed out,
 * the connection lost: orchestration/in-flight) is undone too, first: its undo finds the
 * object and removes it, or finds nothing ("nothing to undo"); when it cannot run, the
 * outcome says the object may be left in place and gives the command that removes it.
 *
 * The outcome says, per step: done, unchanged, failed (with why), undone, undo-failed (with
 * why: the object was left behind), or not-run. Its exit code is 0 when every step ran, else
 * 4 or 5 when the failed step's cause was unreachable/timed out or refused, else 1.
 *
 * Progress: one note per step, "step 2/3: proxy host wiki.home.lan", preceded by the plan's
 * title and the lines of the steps already finished ("✓ step 1/3: …"), and a last note when
 * it is over; so a surface that shows the whole note (the bot's edited message) lists the
 * plan step by step, and one that shows a line (the CLI spinner) shows the step running now.
 */
import { deriveContext } from '../core/context.js';
import { CancelledError, ExitCode, HomelabError, OperationError, TimeoutError, type ExitCodeValue } from '../core/errors.js';
import type { OpContext } from '../core/operation.js';
import { outcomeUnknown } from './in-flight.js';
import { stepState, valueAt, type Plan, type PlanStep } from './plan.js';
import type { StepError, StepOutcome, StepStatus } from './step-outcome.js';
import { lookUpDeleted, MARK, NO_UNDO_NOTE, stepError, undoInFlight, undoStep, type UndoRun } from './undo.js';
import { watchWrites } from './write-watch.js';

/** The outcome of applying a plan (plain data: `--json` prints it). */
export interface PlanOutcome {
  plan: string;
  title: string;
  ok: boolean;
  /** 0 when every step ran or was unchanged; else 1, or 4/5 (see the module comment). */
  exitCode: number;
  /** The step that failed, if one did. */
  failed: { key: string; describe: string; error: StepError } | null;
  steps: StepOutcome[];
  counts: Record<StepStatus, number>;
}

/** Options of `applyPlan`. */
export interface ApplyOptions {
  /** Time limit of each undo step (default 60 s). */
  undoTimeoutMs?: number;
  /**
   * The plan was built by homelab's own operation (definePlanOperation), so its undos may run
   * above the context's risk cap (see ContextOverrides.undoing): they remove or restore only
   * what this run changed. Never set for a plan that came from outside.
   */
  trustedUndos?: boolean;
  /** The command that runs the plan's operation again (`homelab unexpose wiki`): named where a failed run left a job half done. */
  rerun?: string;
}

/** The exit code of a plan whose step failed with `exitCode`: 4 or 5 kept, anything else 1. */
export function planExitCode(exitCode: number): ExitCodeValue {
  return exitCode === ExitCode.unreachable || exitCode === ExitCode.auth ? exitCode : ExitCode.failed;
}

/** The input of a step, with fields taken from earlier steps' results. */
function stepInput(step: PlanStep, results: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const input = { ...step.input };
  for (const [field, ref] of Object.entries(step.inputFrom ?? {})) {
    if (!results.has(ref.step)) continue; // the step was unchanged: the literal value stays
    const value = valueAt(results.get(ref.step), ref.path);
    if (value === undefined) throw new OperationError(`step ${step.key} needs ${ref.path} from the result of step ${ref.step}, which has none`);
    input[field] = value;
  }
  return input;
}

/**
 * Why the run stopped between steps, as a homelab error: a surface's time limit (the
 * signal's DOMException `TimeoutError`) is a TimeoutError (exit 4), anything else not already
 * homelab's a cancel (exit 1).
 */
function stopError(reason: unknown): HomelabError {
  if (reason instanceof HomelabError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return Object.assign(new TimeoutError('homelab', 0), { message: "the run's time limit was reached before this step: it and the steps after it were not sent" });
  }
  return new CancelledError();
}

/** Checks, before anything runs, that every step's operation exists and its input fits (inputs filled from results are checked when they run). */
async function preflight(ctx: OpContext, plan: Plan): Promise<{ index: number; error: StepError } | undefined> {
  for (const [index, step] of plan.steps.entries()) {
    if (stepState(step) === 'unchanged') continue;
    try {
      const info = await ctx.lookup(step.op);
      if (!info) throw new OperationError(`operation ${step.op} is not available`);
      if (!step.inputFrom) info.validate(step.input);
      if (step.undo && !(await ctx.lookup(step.undo.op))) throw new OperationError(`operation ${step.undo.op} (the undo of step ${step.key}) is not available`);
    } catch (err) {
      return { index, error: stepError(err) };
    }
  }
  return undefined;
}

/** Applies `plan` in `ctx`. Never throws for a failed step or undo: the outcome says what happened. */
export async function applyPlan(ctx: OpContext, plan: Plan, options: ApplyOptions = {}): Promise<PlanOutcome> {
  const total = plan.steps.length;
  const outcomes: StepOutcome[] = plan.steps.map((s) => ({ key: s.key, describe: s.describe, op: s.op, state: stepState(s), status: 'not-run', error: null, note: null, inFlight: null }));
  const log: string[] = [plan.title];
  const note = (line: string): void => ctx.progress([...log, line].join('\n'));
  const results = new Map<string, unknown>();
  const done: number[] = [];
  const progress: UndoRun = { log, note, total, timeoutMs: options.undoTimeoutMs ?? 60_000, trusted: options.trustedUndos === true, ...(options.rerun ? { rerun: options.rerun } : {}) };
  let failed: { index: number; error: StepError; unknown?: boolean } | undefined = await preflight(ctx, plan);

  for (const [index, step] of plan.steps.entries()) {
    if (failed) break;
    const out = outcomes[index] as StepOutcome;
    const label = `step ${index + 1}/${total}: ${step.describe}`;
    if (out.state === 'unchanged') {
      out.status = 'unchanged';
      log.push(`${MARK.unchanged} ${label} (unchanged)`);
      continue;
    }
    note(label);
    if (ctx.signal.aborted) {
      // Stopped between steps: this one was never sent.
      failed = { index, error: stepError(stopError(ctx.signal.reason)) };
      break;
    }
    const stepCtx = deriveContext(ctx, { plan: { id: plan.id, step: step.key } });
    const ran = await watchWrites(async () => stepCtx.invoke(step.op, stepInput(step, results)));
    if (ran.ok) results.set(step.key, ran.value);
    const unknown = !ran.ok && outcomeUnknown(ran.error, ran.wrote);
    // A delete whose answer was lost: its object looked up. Gone, it was done; still there, it was not.
    const found = unknown && out.state === 'delete' ? await lookUpDeleted(ctx, plan, step, progress) : undefined;
    if (ran.ok || found === 'gone') {
      out.status = 'done';
      if (!ran.ok) out.note = 'the service did not say it was done, but it is gone when looked up: deleted';
      done.push(index);
      log.push(`${MARK.done} ${label}${out.note ? ` (${out.note})` : ''}`);
      continue;
    }
    failed = { index, error: stepError(ran.error), unknown: unknown && found !== 'there' };
    if (found === 'there') {
      out.inFlight = 'nothing';
      out.note = 'still there when looked up: not deleted';
    }
  }

  if (failed) {
    const out = outcomes[failed.index] as StepOutcome;
    out.status = 'failed';
    out.error = failed.error;
    log.push(`${MARK.failed} step ${failed.index + 1}/${total}: ${out.describe}: ${failed.error.message}`);
    if (failed.unknown) await undoInFlight(ctx, plan, failed.index, out, progress);
    for (const index of [...done].reverse()) await undoStep(ctx, plan, index, results, outcomes[index] as StepOutcome, progress);
  }

  note(failed ? `plan ${plan.id} failed` : `plan ${plan.id} applied`);
  const counts = { done: 0, unchanged: 0, failed: 0, undone: 0, 'undo-failed': 0, 'not-run': 0 } satisfies Record<StepStatus, number>;
  for (const o of outcomes) counts[o.status]++;
  const failedStep = failed && (outcomes[failed.index] as StepOutcome);
  return {
    plan: plan.id,
    title: plan.title,
    ok: !failed,
    exitCode: failed ? planExitCode(failed.error.exitCode) : ExitCode.ok,
    failed: failed && failedStep ? { key: failedStep.key, describe: failedStep.describe, error: failed.error } : null,
    steps: outcomes,
    counts,
  };
}

/** The one-line summary of a failed outcome: what failed and why, what was undone, what was left. */
export function describeFailure(outcome: PlanOutcome): string {
  if (!outcome.failed) return `${outcome.title}: done`;
  const n = outcome.steps.findIndex((s) => s.key === outcome.failed?.key) + 1;
  const parts = [`${outcome.title}: step ${n} of ${outcome.steps.length} (${outcome.failed.describe}) failed: ${outcome.failed.error.message}`];
  if (outcome.counts.undone) parts.push(`${outcome.counts.undone} step${outcome.counts.undone === 1 ? '' : 's'} undone`);
  const inFlight = outcome.steps.find((s) => s.inFlight);
  if (inFlight?.inFlight === 'undone') parts.push('the failed step had gone through all the same and was undone too');
  if (inFlight?.inFlight === 'restored') parts.push(`the failed step's ${inFlight.note ?? ''}`);
  if (inFlight?.inFlight === 'may-remain' || inFlight?.inFlight === 'may-be-deleted') parts.push(`the failed step ${inFlight.note ?? ''}`);
  const left = outcome.steps.filter((s) => s.status === 'undo-failed' || (s.status === 'done' && s.note === NO_UNDO_NOTE));
  if (left.length) parts.push(`left in place: ${left.map((s) => s.describe).join('; ')}`);
  const partial = outcome.steps.filter((s) => s.status === 'undone' && s.note);
  if (partial.length) parts.push(partial.map((s) => `${s.describe}: ${s.note}`).join('; '));
  return parts.join('; ');
}
