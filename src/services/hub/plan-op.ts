/**
 * @module services/hub/plan-op
 * `homelab plan [file] [--detailed-exitcode]` (read): what `homelab apply` would do to make
 * the live lab what lab.yaml says: create / update / delete steps for the objects homelab
 * manages (by marker). Nothing is changed. Objects that are in the way and not homelab's are
 * listed as conflicts (exit 1: the plan cannot be applied as it is). The result carries the
 * plan's digest (`orchestration/plan-digest`), which `apply --plan-digest` takes to run that
 * plan and no other.
 *
 * `--detailed-exitcode`, for cron and CI (as terraform's): 0 when nothing would change, 2
 * when changes are pending (the plan is printed, then one line on stderr), 1 on any error
 * (a bad lab.yaml, a service unreachable or refusing, a conflict: the error line still says
 * which). On the command line the switch makes every error exit 1, a usage error or an
 * unknown `--context` included (orchestration/detailed-exitcode: the CLI applies it to the
 * whole run), so 2 always means drift. The switch is the command line's alone
 * (`cliOnlyInputs`): MCP does not offer it, and the bot and MCP refuse it.
 */
import { z } from 'zod';
import { ExitCode, OperationError, UsageError, toHomelabError } from '../../core/errors.js';
import { defineOperation, type Risk } from '../../core/operation.js';
import { commandText, table, text, toned, type Block, type Rendered, type Tone } from '../../core/render.js';
import { PendingChanges } from '../../orchestration/detailed-exitcode.js';
import { planDigest, planLab } from '../../orchestration/plan-digest.js';
import { planSummary } from '../../orchestration/render.js';
import { stepState, type Plan, type StepState } from '../../orchestration/plan.js';
import { buildDesiredPlan, type DesiredPlan } from './desired-plan.js';

/** JSON shape of `homelab plan`: the desired-state plan and its digest (`apply --plan-digest` runs exactly this plan). */
export type LabPlanResult = DesiredPlan & { digest: string };

const TONE: Record<StepState, Tone> = { create: 'ok', update: 'warn', delete: 'bad', unchanged: 'dim' };

/** The `file` input of plan and apply. */
export const labFileField = z.string().min(1).max(4096).optional()
  .describe('the lab file (default: $HOMELAB_CONFIG_HOME/homelab/lab.yaml); a path is read on the command line only');

/** The steps of a desired-state plan that change something, as a table, then what is unchanged and what is in the way. */
export function renderDesired(r: { plan: Plan; conflicts: string[]; changes: number; risk: Risk; digest?: string }): Rendered {
  const changing = r.plan.steps.map((s, i) => ({ s, i })).filter(({ s }) => stepState(s) !== 'unchanged');
  const blocks: Block[] = [];
  if (changing.length) {
    blocks.push(table(['#>', 'change', 'step', 'operation'], changing.map(({ s, i }) => [
      i + 1, toned(stepState(s), TONE[stepState(s)]), s.describe, toned(s.op.replace(/\./g, ' '), 'dim'),
    ]), { title: r.plan.title }));
  } else {
    blocks.push(text(r.plan.title, 'accent'));
  }
  if (r.conflicts.length) {
    blocks.push(table(['in the way, left alone'], r.conflicts.map((c) => [toned(c, 'bad')])));
  }
  const unchanged = r.plan.steps.length - changing.length;
  blocks.push(r.changes
    ? commandText(`${planSummary(r.plan)}${r.risk === 'danger' ? ': deletes objects homelab made (destructive)' : ''}; homelab apply makes these changes`, 'accent')
    : text(`no changes: the lab matches the file${unchanged ? ` (${unchanged} step${unchanged === 1 ? '' : 's'} unchanged)` : ''}`, 'ok'));
  if (r.changes && r.digest) blocks.push(text(`plan digest ${r.digest}`, 'dim'));
  return blocks;
}

/** `homelab plan`. */
export const planOperation = defineOperation({
  id: 'plan',
  summary: 'What apply would change to make the lab match lab.yaml (create / update / delete), changing nothing',
  description: 'Diffs lab.yaml (apps: and records:) against DNS, the proxy and Uptime Kuma. Only objects homelab manages (its marker) '
    + 'are ever changed or deleted; an app removed from the file has its objects deleted. Anything in the way that homelab did '
    + 'not create is listed and left alone (exit 1). The result carries the plan\'s digest: homelab apply --plan-digest <digest> runs that plan only. '
    + '--detailed-exitcode: 0 no changes, 2 changes pending, 1 error.',
  args: ['file'],
  input: z.object({
    file: labFileField,
    detailedExitcode: z.boolean().default(false).describe('exit 0 when nothing would change, 2 when changes are pending, 1 on error (for cron and CI)'),
  }),
  risk: 'read',
  timeoutMs: 120_000,
  examples: ['plan', 'plan ./lab.yaml', 'plan --detailed-exitcode', 'plan --json'],
  // An exit code is the command line's idea: MCP and the bot answer with the plan itself.
  cliOnlyInputs: ['file', 'detailedExitcode'],
  async run(ctx, input): Promise<LabPlanResult> {
    if (input.detailedExitcode && ctx.actor.surface !== 'cli') {
      throw new UsageError(`--detailed-exitcode is for the command line (an exit code for cron and CI); on ${ctx.actor.surface} the plan itself says whether changes are pending`, 'leave it out');
    }
    let result: LabPlanResult;
    try {
      const desired = await buildDesiredPlan(ctx, input.file);
      result = { ...desired, digest: planDigest(desired.plan, planLab(ctx)) };
    } catch (err) {
      if (!input.detailedExitcode) throw err;
      const e = toHomelabError(err);
      throw new OperationError(e.message, e.hint, e instanceof OperationError ? e.details : undefined, undefined, ExitCode.failed);
    }
    if (result.conflicts.length) {
      throw new OperationError(`plan: ${result.conflicts.length} object${result.conflicts.length === 1 ? '' : 's'} in the way that homelab did not create: nothing can be applied`,
        'homelab never touches what it did not create: change lab.yaml, or adopt or remove them yourself', undefined, result, ExitCode.failed);
    }
    if (input.detailedExitcode && result.changes) throw new PendingChanges(result.changes, result);
    return result;
  },
  render: (r) => renderDesired(r),
});
