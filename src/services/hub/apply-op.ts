/**
 * @module services/hub/apply-op
 * `homelab apply [file]`: makes the live lab what lab.yaml says, by the plan `homelab plan`
 * shows, applied step by step with rollback (`orchestration/`). `--dry-run` prints the plan.
 *
 * Its risk is decided per run, from its plan: `change`, or `danger` when a step deletes
 * (an app removed from the file, a record dropped). The operation is registered as `change`
 * (offered wherever changes are allowed); a run whose plan deletes:
 * - is confirmed with the whole plan shown, its headline saying it is destructive and each
 *   delete marked `[destructive]` (the CLI asks, or needs `--yes`; Telegram's Confirm/Cancel
 *   message shows them);
 * - is refused before anything changes where the surface allows less than `danger`
 *   (`ctx.maxRisk`: an MCP server started without `--allow danger`), with that fix.
 * The web dashboard's contexts carry the same limit (its --allow).
 * A caller that is never asked (an MCP agent, a script) gives `planDigest` (`--plan-digest`),
 * the digest `homelab plan` or the dry run returned: a plan that changed since (lab.yaml
 * edited, an object moved) is refused before any step, deletes the caller never saw included.
 * A plan with conflicts (objects in the way that homelab did not create) is not applied.
 */
import { z } from 'zod';
import { OperationError, UsageError } from '../../core/errors.js';
import { riskAbove, type OpContext } from '../../core/operation.js';
import { checkPlanDigest, planDigest, planLab } from '../../orchestration/plan-digest.js';
import { definePlanOperation, rememberShownPlan, type PlanResult } from '../../orchestration/plan-operation.js';
import { planSummary } from '../../orchestration/render.js';
import { hasChanges, stepState, type Plan } from '../../orchestration/plan.js';
import { buildDesiredPlan, type DesiredPlan } from './desired-plan.js';
import { labFileField } from './plan-op.js';

/** Refuses a desired-state plan that cannot be applied here: conflicts, or more risk than the surface allows. */
export function checkApplicable(ctx: OpContext, desired: DesiredPlan, options: { dryRun: boolean }): void {
  if (desired.conflicts.length) {
    throw new OperationError(`cannot apply ${desired.file}: ${desired.conflicts.length} object${desired.conflicts.length === 1 ? '' : 's'} in the way that homelab did not create; nothing was changed`,
      'homelab never touches what it did not create: change lab.yaml, or adopt or remove them yourself', desired.conflicts);
  }
  if (!options.dryRun && riskAbove(desired.risk, ctx.maxRisk)) {
    const what = desired.removedApps.length ? ` (the objects of ${desired.removedApps.join(', ')})` : '';
    throw new UsageError(`this apply deletes ${desired.deletes} object${desired.deletes === 1 ? '' : 's'} homelab made${what}: a danger run, and ${ctx.actor.surface} allows ${ctx.maxRisk} operations only here; nothing was changed`,
      ctx.actor.surface === 'mcp' ? 'the server owner can restart it with --allow danger; homelab plan shows the deletes' : 'homelab plan shows the deletes');
  }
}

/** The confirmation lines: the headline (destructive when it deletes), each step that changes something, and how many are unchanged. */
export function applyPreview(desired: DesiredPlan): string[] {
  const { plan } = desired;
  const changing = plan.steps.map((s, i) => ({ s, i })).filter(({ s }) => stepState(s) !== 'unchanged');
  const width = Math.max(0, ...changing.map(({ s }) => stepState(s).length));
  const unchanged = plan.steps.length - changing.length;
  return [
    `${plan.title} (${planSummary(plan)})${desired.risk === 'danger' ? `: destructive, deletes ${desired.deletes} object${desired.deletes === 1 ? '' : 's'} homelab made` : ''}`,
    ...changing.map(({ s, i }) => `  ${i + 1}. ${stepState(s).padEnd(width)}  ${s.describe}${s.risk === 'danger' ? '  [destructive]' : ''}`),
    ...(changing.length ? [] : ['  nothing to change']),
    ...(unchanged ? [`  (${unchanged} step${unchanged === 1 ? '' : 's'} unchanged)`] : []),
  ];
}

async function applicablePlan(ctx: OpContext, file: string | undefined, dryRun = false): Promise<{ desired: DesiredPlan; plan: Plan }> {
  const desired = await buildDesiredPlan(ctx, file);
  checkApplicable(ctx, desired, { dryRun });
  return { desired, plan: desired.plan };
}

const base = definePlanOperation({
  id: 'apply',
  summary: 'Make the lab match lab.yaml: the plan of homelab plan, confirmed, applied with rollback (deletes are destructive)',
  description: 'Creates, updates and deletes only objects homelab manages (its marker); an app removed from the file has its objects deleted, '
    + 'which makes the run destructive (confirmed as such; an MCP server needs --allow danger). Anything in the way that homelab did not '
    + 'create stops the apply before it changes anything. A failed step undoes the steps before it. --dry-run prints the plan; '
    + '--plan-digest <digest> (what homelab plan or --dry-run printed) runs that plan only, refused and changing nothing when the plan changed since.',
  args: ['file'],
  input: z.object({ file: labFileField }),
  risk: 'change',
  timeoutMs: 900_000,
  surfaces: ['cli', 'telegram', 'mcp', 'web'],
  examples: ['apply', 'apply ./lab.yaml --dry-run', 'apply --yes', 'apply --yes --plan-digest 3f9c0a2b7d1e4c56'],
  build: async (ctx, input) => (await applicablePlan(ctx, input.file)).plan,
});

/** `homelab apply`: the plan operation, with the confirmation of `applyPreview` and a dry run that any surface may ask for. */
export const applyOperation: typeof base = {
  ...base,
  cliOnlyInputs: ['file'],
  async preview(ctx, input) {
    const { desired } = await applicablePlan(ctx, input.file);
    // A plan that is not the one read is refused before anything is asked.
    checkPlanDigest(desired.plan, input.planDigest, planLab(ctx));
    // What is confirmed is a ceiling for the run (orchestration/plan-operation).
    rememberShownPlan(input, desired.plan);
    // In sync (a re-run): nothing to confirm on the CLI.
    return { lines: applyPreview(desired), changesNothing: !hasChanges(desired.plan) };
  },
  async run(ctx, input) {
    const { file, dryRun } = input;
    // A dry run changes nothing: an agent on a server without --allow danger may read a plan that deletes.
    if (dryRun) {
      const { plan } = await applicablePlan(ctx, file, true);
      return { plan, digest: planDigest(plan, planLab(ctx)), dryRun: true, outcome: null } satisfies PlanResult;
    }
    return base.run(ctx, input);
  },
};
