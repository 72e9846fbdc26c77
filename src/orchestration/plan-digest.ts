/**
 * @module orchestration/plan-digest
 * A plan's digest: what ties a run to the plan its caller read. `plan` and a plan
 * operation's dry run return it (`digest`); the run takes it back (`planDigest`, on the
 * CLI `--plan-digest`) and is refused before any step when its rebuilt plan has another
 * one ("the plan changed since it was read"). This is the guard of a caller that never sees
 * a confirmation (an MCP agent, a script): the shown-plan ceiling of `plan-operation` needs
 * a preview, which such a caller does not get.
 *
 * The digest covers the lab the plan is for, by its context name and the URLs of its
 * services (two labs with the same zone and apps build the same steps: a digest read in one,
 * another context or another hub's, never runs in the other) and the steps that change
 * something, in order: each one's key, operation, state and input (the object it acts on
 * and how). The plan id (new on every build), titles,
 * descriptions and `unchanged` steps are left out, so `plan` and `apply --dry-run` over the
 * same lab give the same digest, and a step someone did meanwhile (now `unchanged`) changes
 * it: the exact plan read runs, or nothing does.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_CONTEXT } from '../core/context-name.js';
import { OperationError } from '../core/errors.js';
import type { OpContext } from '../core/operation.js';
import { stepState, type Plan } from './plan.js';
import { planSummary } from './render.js';

/** Hex digits of a digest (64 bits: a guard against a plan that moved, not against forgery). */
const DIGEST_LENGTH = 16;

/** The `planDigest` input of `apply` and the plan operations. */
export const planDigestField = z.string({ error: 'planDigest must be the digest a plan or a dry run returned' })
  .regex(new RegExp(`^[0-9a-f]{${DIGEST_LENGTH}}$`), { error: `planDigest must be ${DIGEST_LENGTH} hex digits, as a plan or a dry run returned it` })
  .optional()
  .describe('the digest of the plan as read (plan and a dry run return it): the run is refused, changing nothing, when its plan is no longer that one');

/** JSON with object keys sorted, so that equal values give equal text whatever order their keys were set in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The lab a plan built in `ctx` is for: its context name and the URL of each of its services. */
export function planLab(ctx: Pick<OpContext, 'config'>): string {
  const urls = Object.entries(ctx.config.services ?? {}).map(([name, section]) => {
    const url = section !== null && typeof section === 'object' && 'url' in section ? section.url : undefined;
    return [name, typeof url === 'string' ? url : null];
  });
  return canonical({ context: ctx.config.context ?? DEFAULT_CONTEXT, urls: Object.fromEntries(urls) });
}

/** The digest of `plan` for the lab `lab` (see the module comment): 16 hex digits. */
export function planDigest(plan: Plan, lab: string): string {
  const changing = plan.steps.filter((s) => stepState(s) !== 'unchanged').map((s) => [s.key, s.op, stepState(s), s.input]);
  return createHash('sha256').update(canonical({ lab, changing })).digest('hex').slice(0, DIGEST_LENGTH);
}

/** Throws, naming what the plan is now, when `expected` is given and `plan` (for `lab`) is not the plan it was the digest of. */
export function checkPlanDigest(plan: Plan, expected: string | undefined, lab: string): void {
  if (expected === undefined) return;
  const digest = planDigest(plan, lab);
  if (digest === expected) return;
  throw new OperationError(
    `the plan changed since it was read: it is now ${planSummary(plan)} (digest ${digest}, not ${expected}); nothing was changed`,
    'read it again with --dry-run and give its digest with --plan-digest',
  );
}
