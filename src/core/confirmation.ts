/**
 * @module core/confirmation
 * Whether a run must be confirmed before it starts, and what its confirmation says: the
 * operation's live `preview` (a plan, facts looked up) or its `confirm` line. Every surface
 * asks through these, so a run is asked about the same way on the CLI, the bot and the web.
 */
import type { z } from 'zod';
import type { AnyOperation, OpContext } from './operation.js';

/**
 * Whether this run changes nothing: the operation has a `dryRun` input key (plan operations
 * do) and it is true. Surfaces then skip the confirmation; the result is the plan.
 */
export function isDryRun(op: { input: z.ZodObject }, input: Record<string, unknown>): boolean {
  return 'dryRun' in op.input.shape && input.dryRun === true;
}

/**
 * Whether a surface must confirm this run before it starts: every `danger` run, and every
 * `change` run of a plan operation (a `preview` and a `dryRun` input), unless it is a dry
 * run. A `change` operation whose preview only checks and states facts (`pve resize`) runs
 * on the CLI unasked, as every `change` does. (Telegram and the web also confirm every other
 * `change` run, with its preview: a tap is cheap and chat commands are easy to mistype.)
 */
export function needsConfirmation(op: AnyOperation, input: Record<string, unknown>): boolean {
  if (isDryRun(op, input)) return false;
  return op.risk === 'danger' || (op.risk === 'change' && isPlanOperation(op));
}

/** Whether `op` runs a plan (it has a `preview` that shows the plan and a `dryRun` input). */
export function isPlanOperation(op: Pick<AnyOperation, 'preview' | 'input'>): boolean {
  return op.preview !== undefined && 'dryRun' in op.input.shape;
}

/** The confirmation of a run: the live `preview` when the operation has one, else its `confirm` line; whether it changes nothing. */
export async function confirmationOf(op: AnyOperation, input: Record<string, unknown>, ctx: OpContext): Promise<{ lines: string[]; changesNothing: boolean }> {
  if (op.preview) {
    const p = await op.preview(ctx, input);
    if (typeof p === 'string') return { lines: [p], changesNothing: false };
    return 'lines' in p ? { lines: [...p.lines], changesNothing: p.changesNothing } : { lines: [...p], changesNothing: false };
  }
  return { lines: [op.confirm?.(input) ?? `Run ${op.id.replace(/\./g, ' ')}`], changesNothing: false };
}
