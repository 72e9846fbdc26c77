/**
 * @module orchestration/render
 * How plans and their outcomes look to people, on every surface: `renderPlan` and
 * `renderOutcome` return blocks (the CLI draws them as tables, the bot as monospace text,
 * MCP as plain text); `planPreview` gives the lines of a confirmation (the plan's title,
 * then one line per step with what it does to its object).
 */
import { table, text, toned, type Block, type Cell, type Rendered, type Tone } from '../core/render.js';
import type { PlanOutcome } from './apply.js';
import type { StepOutcome, StepStatus } from './step-outcome.js';
import { hasChanges, stepState, type Plan, type StepState } from './plan.js';
import { NO_UNDO_NOTE } from './undo.js';

const STATE_TONE: Record<StepState, Tone> = { create: 'ok', update: 'warn', delete: 'bad', unchanged: 'dim' };
const STATUS_TONE: Record<StepStatus, Tone> = { done: 'ok', unchanged: 'dim', failed: 'bad', undone: 'warn', 'undo-failed': 'bad', 'not-run': 'dim' };

/** Counts of a plan's steps by state: "2 to create, 1 unchanged". */
export function planSummary(plan: Plan): string {
  const counts = new Map<StepState, number>();
  for (const s of plan.steps) counts.set(stepState(s), (counts.get(stepState(s)) ?? 0) + 1);
  const words: Record<StepState, string> = { create: 'to create', update: 'to update', delete: 'to delete', unchanged: 'unchanged' };
  const parts = (['create', 'update', 'delete', 'unchanged'] as const).filter((s) => counts.get(s)).map((s) => `${counts.get(s)} ${words[s]}`);
  return parts.length ? parts.join(', ') : 'no steps';
}

/** The confirmation lines of a plan: its title, then `  1. create  DNS A wiki.home.lan → 10.5.0.3`. */
export function planPreview(plan: Plan): string[] {
  const width = Math.max(...plan.steps.map((s) => stepState(s).length), 0);
  return [
    `${plan.title} (${planSummary(plan)})`,
    ...plan.steps.map((s, i) => `  ${i + 1}. ${stepState(s).padEnd(width)}  ${s.describe}${s.risk === 'danger' && stepState(s) !== 'unchanged' ? '  [destructive]' : ''}`),
  ];
}

/** A plan as a table: step, change, what, operation; then its summary and, when it changes something and is given, its digest. */
export function renderPlan(plan: Plan, digest?: string): Rendered {
  const blocks: Block[] = [
    table(['#>', 'change', 'step', 'operation'], plan.steps.map((s, i) => [
      i + 1,
      toned(stepState(s), STATE_TONE[stepState(s)]),
      s.describe,
      toned(s.op.replace(/\./g, ' '), 'dim'),
    ]), { title: plan.title, empty: 'nothing to do' }),
  ];
  blocks.push(text(hasChanges(plan) ? `plan ${plan.id}: ${planSummary(plan)}` : `plan ${plan.id}: nothing to change`, hasChanges(plan) ? 'accent' : 'ok'));
  if (digest && hasChanges(plan)) blocks.push(text(`plan digest ${digest}`, 'dim'));
  return blocks;
}

/**
 * The detail cell of a step's outcome: why it failed, and for a failed step whose request may
 * have gone through, what its undo found (a command line when it names one to run by hand).
 */
function detail(s: StepOutcome): Cell {
  if (s.error && s.inFlight) return { text: `${s.error.message}; ${s.note ?? ''}`, tone: s.inFlight === 'undone' || s.inFlight === 'nothing' || s.inFlight === 'restored' ? 'warn' : 'bad', ...(s.note?.includes('homelab ') ? { command: true } : {}) };
  if (s.error) return toned(s.error.message, 'bad');
  return s.note ? toned(s.note, 'warn') : '';
}

/** An outcome as a table: each step's result, with why it failed; then one line. */
export function renderOutcome(outcome: PlanOutcome): Rendered {
  const blocks: Block[] = [
    table(['#>', 'result', 'step', 'detail'], outcome.steps.map((s, i) => [
      i + 1,
      toned(s.status, STATUS_TONE[s.status]),
      s.describe,
      detail(s),
    ]), { title: outcome.title, empty: 'nothing to do' }),
  ];
  const c = outcome.counts;
  if (outcome.ok) {
    blocks.push(text(`plan ${outcome.plan}: ${c.done} done, ${c.unchanged} unchanged`, 'ok'));
  } else {
    const left = c['undo-failed'] + outcome.steps.filter((s) => (s.status === 'done' && s.note === NO_UNDO_NOTE) || s.inFlight === 'may-remain').length;
    const deleted = outcome.steps.filter((s) => s.inFlight === 'may-be-deleted').length;
    const parts = [`${c.undone} undone`, ...(left ? [`${left} left in place`] : []), ...(deleted ? [`${deleted} may have been deleted`] : [])];
    blocks.push(text(`plan ${outcome.plan} failed at ${outcome.failed?.describe ?? 'a step'}: ${parts.join(', ')}${left || deleted ? ' (see above)' : ''}`, 'bad'));
  }
  return blocks;
}
