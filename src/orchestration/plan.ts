/**
 * @module orchestration/plan
 * What a plan is: plain data (JSON-printable, no functions), an ordered list of steps, each
 * an existing operation with its input, the step that undoes it and one line that describes
 * it. The plan mechanism knows no service: whoever builds a plan (expose, apply) reads the
 * live state first and marks a step `unchanged` when its object is already as wanted, so
 * re-running a plan is safe.
 *
 * Values known only after a step ran (the id a service gives a new object) are referenced,
 * not guessed, in two typed ways (prefer natural keys, such as a DNS name, where a service
 * has them; then no reference is needed):
 * - `undo.fromResult: { id: 'id' }`: the undo's input field `id` is taken from the step's
 *   own result at the path `id` (dots walk into objects and arrays: `host.id`, `items.0.id`);
 * - `inputFrom: { certificateId: { step: 'cert', path: 'id' } }`: an input field taken from
 *   the result of an earlier step that ran. When that step was `unchanged` (it did not run),
 *   the literal value in `input` stays: the builder puts the existing object's value there.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Risk } from '../core/operation.js';

/** What a step does to its object, as the plan builder found the live state. */
export type StepState = 'create' | 'update' | 'delete' | 'unchanged';

/** A value from a step's result: `path` is a dot path (`id`, `host.id`, `items.0.id`). */
export interface ResultRef {
  /** The key of an earlier step in the same plan. */
  step: string;
  path: string;
}

/** How to undo a step: an operation with its input, and one line saying what it does. */
export interface StepUndo {
  op: string;
  input: Record<string, unknown>;
  describe: string;
  /** Undo input fields taken from the step's own result, by dot path: `{ id: 'id' }`. */
  fromResult?: Record<string, string>;
  /**
   * What the undo cannot bring back (it re-creates a deleted object as well as the
   * operation allows): an undone step's outcome says "re-created with defaults: …".
   */
  lost?: string[];
}

/**
 * How to find a delete step's object afterwards: a read operation that throws a
 * NotFoundError when the object is gone (`proxy.show` by id). When the delete's outcome is
 * unknown (orchestration/in-flight), the applier asks it: gone means the delete was done.
 * A listing (`dns.records`, which never throws for a missing record) says it with `find`:
 * the object is the item of the list at `find.in` whose fields equal `find.where` (case and
 * a trailing dot ignored); no such item means it is gone.
 */
export interface StepLookup {
  op: string;
  input: Record<string, unknown>;
  find?: { in: string; where: Record<string, string> };
}

/** One step of a plan. */
export interface PlanStep {
  /** Unique within the plan (`dns`, `proxy`, `monitor`, `app:wiki/dns`). */
  key: string;
  /** One line for people: "DNS A wiki.home.lan → 10.5.0.3". */
  describe: string;
  /** The operation id (`dns.add`, `proxy.add`, `kuma.add.http`). */
  op: string;
  input: Record<string, unknown>;
  /** The operation's risk, shown with the plan (a `delete` step is `danger`). */
  risk: Risk;
  /** Default `create`; `unchanged` steps are not run. */
  state?: StepState;
  /** Omitted when nothing can undo the step (its outcome then says it was left in place). */
  undo?: StepUndo;
  /** Input fields taken from earlier steps' results (see the module comment). */
  inputFrom?: Record<string, ResultRef>;
  /** A delete step's look-up of its object (see `StepLookup`). */
  lookup?: StepLookup;
}

/** A plan: an id shared by its steps' audit rows, a title, the steps in order. */
export interface Plan {
  id: string;
  /** One line: "Expose wiki.home.lan → forgejo (10.5.0.60:3000)". */
  title: string;
  steps: PlanStep[];
}

const riskSchema = z.enum(['read', 'change', 'danger']);
const inputSchema = z.record(z.string(), z.unknown());

/** The schema of a plan read from JSON (a plan file, a tool argument): zod at the boundary. */
export const planSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  steps: z.array(z.object({
    key: z.string().min(1),
    describe: z.string(),
    op: z.string().min(1),
    input: inputSchema,
    risk: riskSchema,
    state: z.enum(['create', 'update', 'delete', 'unchanged']).optional(),
    undo: z.object({
      op: z.string().min(1), input: inputSchema, describe: z.string(), fromResult: z.record(z.string(), z.string()).optional(), lost: z.array(z.string()).optional(),
    }).optional(),
    inputFrom: z.record(z.string(), z.object({ step: z.string(), path: z.string() })).optional(),
    lookup: z.object({ op: z.string().min(1), input: inputSchema, find: z.object({ in: z.string(), where: z.record(z.string(), z.string()) }).optional() }).optional(),
  })),
}).superRefine((plan, issue) => {
  const seen = new Set<string>();
  for (const step of plan.steps) {
    if (seen.has(step.key)) issue.addIssue({ code: 'custom', message: `step key ${step.key} is used twice` });
    for (const ref of Object.values(step.inputFrom ?? {})) {
      if (!seen.has(ref.step)) issue.addIssue({ code: 'custom', message: `step ${step.key} takes input from ${ref.step}, which is not an earlier step` });
    }
    seen.add(step.key);
  }
});

/** A new plan id: the UTC date and time and 6 random hex digits (`20250301-142233-a1b2c3`), sortable and unique enough. */
export function newPlanId(now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Makes a plan with a new id; checks the step keys and references (throws on a builder's mistake). */
export function createPlan(title: string, steps: PlanStep[], id = newPlanId()): Plan {
  return planSchema.parse({ id, title, steps });
}

/** The state of a step (`create` when not set). */
export function stepState(step: PlanStep): StepState {
  return step.state ?? 'create';
}

/** Whether a plan changes anything (some step is not `unchanged`). */
export function hasChanges(plan: Plan): boolean {
  return plan.steps.some((s) => stepState(s) !== 'unchanged');
}

/** The value at a dot path in a result (`host.id`, `items.0.id`); undefined when absent. */
export function valueAt(result: unknown, path: string): unknown {
  let value: unknown = result;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
