/**
 * @module orchestration/plan-operation
 * `definePlanOperation`: an operation whose work is a plan (`expose`, `unexpose`, `apply`).
 * It is defined by how it builds its plan from the live state (reads only); the rest is
 * the same for all of them:
 * - the input gains `dryRun` (`--dry-run` on the CLI, `dryRun: true` for an MCP agent or
 *   `/expose … --dry-run` on the bot): the plan is built and returned, nothing changes and
 *   nothing is confirmed;
 * - `preview` is the whole plan, so every surface's confirmation shows it before asking (the
 *   CLI confirms a plan operation like a destructive one: `--yes` or a prompt; a plan that
 *   changes nothing, a re-run, it runs without asking);
 * - `run` builds the plan again (the live state may have moved since the preview; steps
 *   already as wanted are `unchanged`), applies it with rollback, and returns the plan and
 *   its outcome; a failed plan throws an OperationError carrying that result (every surface
 *   shows the outcome table, then the one line) with exit code 1, or 4/5;
 * - what was confirmed is a ceiling: when the plan was shown for this very input (every
 *   surface confirms and then runs the same input object), a rebuilt plan with a change the
 *   shown one did not have (a record someone added meanwhile, now to be deleted) is refused
 *   before any step runs ("the lab changed since the plan was shown"). Fewer changes (a step
 *   now unchanged) are fine: that is the plan converging;
 * - a caller that is never shown a confirmation (an MCP agent, a script) ties the run to the
 *   plan it read with `planDigest` (`--plan-digest`): the digest a dry run returned
 *   (`plan-digest`). A real run whose plan has another digest is refused before any step
 *   ("the plan changed since it was read"), and so is its preview, before anything is asked;
 * - `render` is the plan table (dry run) or the outcome table.
 */
import { z } from 'zod';
import { OperationError } from '../core/errors.js';
import { defineOperation, type Actor, type OpContext, type Operation } from '../core/operation.js';
import { applyPlan, describeFailure, type PlanOutcome } from './apply.js';
import { rerunCommand } from './in-flight.js';
import { checkPlanDigest, planDigest, planDigestField, planLab } from './plan-digest.js';
import { hasChanges, type Plan } from './plan.js';
import { planPreview, renderOutcome, renderPlan } from './render.js';

/** The result of a plan operation (plain data: `--json` prints it). */
export interface PlanResult {
  plan: Plan;
  /** The plan's digest (`plan-digest`): what `planDigest` takes to run exactly this plan. */
  digest: string;
  dryRun: boolean;
  /** Null on a dry run. */
  outcome: PlanOutcome | null;
}

/** What a plan operation is made of. */
export interface PlanOperationSpec<I extends z.ZodObject> {
  id: string;
  summary: string;
  description?: string;
  args?: readonly string[];
  variadic?: boolean;
  input: I;
  /** `change` (expose, apply) or `danger` (unexpose, an apply that deletes). */
  risk: 'change' | 'danger';
  timeoutMs?: number;
  surfaces?: readonly Actor['surface'][];
  examples?: readonly string[];
  /** Builds the plan from the live state: reads only (through `ctx.invoke`), never changes anything; `dryRun`: it is only to be shown. */
  build(ctx: OpContext, input: z.infer<I>, options: { dryRun: boolean }): Promise<Plan>;
  /** The command that runs it again with this input, options included (default: the id and the positional args). */
  rerun?(input: z.infer<I>): string;
}

/** The `dryRun` input field every plan operation has. */
export const dryRunField = z.boolean({ error: 'dryRun must be true or false' }).default(false).describe('print the plan and change nothing');

/** The thrown form of a failed plan: the result to show, the outcome's exit code. */
export class PlanFailedError extends OperationError {
  override readonly name = 'PlanFailedError';
  constructor(readonly planResult: PlanResult & { outcome: PlanOutcome }) {
    super(describeFailure(planResult.outcome), undefined, undefined, planResult, planResult.outcome.exitCode as 1 | 4 | 5);
  }
}

/** Returns the result of an applied plan, or throws PlanFailedError when a step failed. */
export function settlePlan(plan: Plan, outcome: PlanOutcome, lab: string): PlanResult {
  const result = { plan, digest: planDigest(plan, lab), dryRun: false, outcome };
  if (!outcome.ok) throw new PlanFailedError(result);
  return result;
}

type WithDryRun<I extends z.ZodObject> = z.ZodObject<I['shape'] & { dryRun: typeof dryRunField; planDigest: typeof planDigestField }>;

/** The plan each input was last shown with for confirmation (the surfaces run that same object). */
const shownPlans = new WeakMap<object, Plan>();

/**
 * Records `plan` as the one shown for confirmation of `input` (the object the surface will
 * run). `definePlanOperation`'s own preview does it; an operation with a preview of its own
 * (`apply`) calls it with the plan it showed.
 */
export function rememberShownPlan(input: object, plan: Plan): void {
  shownPlans.set(input, plan);
}

const stepIdentity = (step: Plan['steps'][number]): string => JSON.stringify([step.key, step.op, step.state ?? 'create', step.input]);

/** The steps of `rebuilt` that change something the `shown` plan did not say it would change. */
export function unconfirmedSteps(shown: Plan, rebuilt: Plan): Plan['steps'] {
  const confirmed = new Set(shown.steps.filter((s) => s.state !== 'unchanged').map(stepIdentity));
  return rebuilt.steps.filter((s) => s.state !== 'unchanged' && !confirmed.has(stepIdentity(s)));
}

/** Defines a plan operation (see the module comment). */
export function definePlanOperation<I extends z.ZodObject>(spec: PlanOperationSpec<I>): Operation<WithDryRun<I>, PlanResult> {
  const { build, rerun: rerunOf, ...rest } = spec;
  const input = spec.input.extend({ dryRun: dryRunField, planDigest: planDigestField }) as unknown as WithDryRun<I>;
  const planOf = (ctx: OpContext, value: z.infer<WithDryRun<I>>): Promise<Plan> => {
    const { dryRun, planDigest: _digest, ...own } = value as Record<string, unknown>;
    return build(ctx, own as z.infer<I>, { dryRun: dryRun === true });
  };
  return defineOperation({
    ...rest,
    input,
    async preview(ctx, value) {
      const plan = await planOf(ctx, value);
      checkPlanDigest(plan, (value as { planDigest?: string }).planDigest, planLab(ctx));
      rememberShownPlan(value, plan);
      return { lines: planPreview(plan), changesNothing: !hasChanges(plan) };
    },
    async run(ctx, value): Promise<PlanResult> {
      const plan = await planOf(ctx, value);
      if ((value as { dryRun?: boolean }).dryRun) return { plan, digest: planDigest(plan, planLab(ctx)), dryRun: true, outcome: null };
      checkPlanDigest(plan, (value as { planDigest?: string }).planDigest, planLab(ctx));
      const shown = shownPlans.get(value);
      shownPlans.delete(value);
      const added = shown ? unconfirmedSteps(shown, plan) : [];
      if (added.length) {
        throw new OperationError(
          `the lab changed since the plan was shown: ${added.map((s) => `${s.state ?? 'create'} ${s.describe}`).join('; ')} was not in it; nothing was changed`,
          'run it again to see the new plan',
        );
      }
      // The plan is this operation's own: its undos may run above an MCP agent's cap.
      const rerun = rerunOf ? rerunOf(value as z.infer<I>) : rerunCommand(spec.id, (spec.args ?? []).map((key) => (value as Record<string, unknown>)[key]));
      return settlePlan(plan, await applyPlan(ctx, plan, { trustedUndos: true, rerun }), planLab(ctx));
    },
    render: (result) => (result.outcome ? renderOutcome(result.outcome) : renderPlan(result.plan, result.digest)),
  });
}
