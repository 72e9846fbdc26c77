/**
 * Tests of `ctx.invoke` and the plan applier with real operations of a tiny registry
 * (test/orchestration/notes-service.ts) and the real audit hook writing SQLite rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAuditHook } from '../../src/audit/hook.js';
import { AuditStore } from '../../src/audit/store.js';
import type { HomelabConfig } from '../../src/core/config.js';
import { createContext } from '../../src/core/context.js';
import { CancelledError, ExitCode, HomelabError, OperationError, UsageError } from '../../src/core/errors.js';
import { addInvokeHook, invoke, runParsed } from '../../src/core/invoke.js';
import { confirmationOf, needsConfirmation } from '../../src/core/confirmation.js';
import { type AnyOperation, type OpContext, type Risk } from '../../src/core/operation.js';
import { renderText } from '../../src/core/render.js';
import { applyPlan, createPlan, definePlanOperation, describeFailure, PlanFailedError, planSchema, renderOutcome, type PlanResult, type PlanStep } from '../../src/orchestration/index.js';
import { newNotes, notesRegistry, type Notes } from './notes-service.js';

const config: HomelabConfig = { services: {}, ssh: { targets: [], concurrency: 1, timeout_seconds: 1 }, path: '/none' };
let dir: string;
let removeHook: () => void;
let stores: AuditStore[] = [];
let notes: Notes;
let progress: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-plan-'));
  removeHook = addInvokeHook(createAuditHook((d) => {
    const store = AuditStore.open(d);
    stores.push(store);
    return store;
  }));
});
afterAll(() => {
  removeHook();
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  notes = newNotes();
  progress = [];
});
afterEach(() => {
  for (const s of stores) s.close();
  stores = [];
});

function ctxWith(options: { signal?: AbortSignal; maxRisk?: Risk; noSource?: boolean } = {}): OpContext {
  return createContext({
    actor: { surface: 'cli', id: 'tester' }, config, env: { HOMELAB_DATA_HOME: dir },
    progress: (n) => progress.push(n),
    ...(options.noSource ? {} : { operations: notesRegistry(notes) }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.maxRisk ? { maxRisk: options.maxRisk } : {}),
  });
}

/** Audit rows of one plan. */
function rowsOf(plan: string): { operation: string; planStep: string | null; outcome: string; input: Record<string, unknown> }[] {
  const store = AuditStore.open(dir);
  try {
    return store.list({ plan, limit: 1000 }).map((r) => ({ operation: r.operation, planStep: r.planStep, outcome: r.outcome, input: r.input }));
  } finally {
    store.close();
  }
}

const put = (key: string, extra: Record<string, unknown> = {}, state?: PlanStep['state']): PlanStep => ({
  key, describe: `note ${key}`, op: 'notes.put', input: { key, value: `v-${key}`, ...extra }, risk: 'change',
  ...(state ? { state } : {}),
  undo: { op: 'notes.delete', input: {}, describe: `delete note ${key}`, fromResult: { id: 'id' } },
});

describe('ctx.invoke', () => {
  it('validates the input with the operation\'s schema, nothing run (exit 2, naming the operation and key)', async () => {
    const err = await ctxWith().invoke('notes.put', { key: '', value: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('notes put: key must not be empty');
    expect(notes.log).toEqual([]);
  });

  it('runs the operation and returns its result; an unknown id or a context without a source is one clear error', async () => {
    await expect(ctxWith().invoke('notes.put', { key: 'a', value: '1' })).resolves.toEqual({ id: 1, key: 'a' });
    await expect(ctxWith().invoke('notes.nope', {})).rejects.toThrow(new OperationError('operation notes.nope is not available'));
    const err = (await ctxWith({ noSource: true }).invoke('notes.list').catch((e: unknown) => e)) as HomelabError;
    expect(err.message).toContain('built without an operation source');
    expect(err.exitCode).toBe(ExitCode.failed);
  });

  it('never runs more than the context allows (a read-only surface cannot change through a nested call)', async () => {
    const ctx = ctxWith({ maxRisk: 'read' });
    await expect(ctx.invoke('notes.list')).resolves.toEqual([]);
    await expect(ctx.invoke('notes.put', { key: 'a', value: '1' })).rejects.toThrow(/notes put is a change operation; cli runs only read operations here/);
    expect(notes.log).toEqual([]);
  });

  it('describes an operation without running it (lookup), and validates through it', async () => {
    const info = await ctxWith().lookup('notes.delete');
    expect(info).toMatchObject({ id: 'notes.delete', risk: 'danger' });
    expect(() => info?.validate({ id: 'x' })).toThrow(UsageError);
    expect(await ctxWith().lookup('notes.nope')).toBeUndefined();
  });
});

describe('applyPlan', () => {
  it('runs each step through invoke: one audit row per step carrying the plan id and step key; results feed later steps', async () => {
    const plan = createPlan('two notes', [
      put('a'),
      { ...put('b'), inputFrom: { value: { step: 'a', path: 'key' } } },
    ]);
    const outcome = await applyPlan(ctxWith(), plan);
    expect(outcome).toMatchObject({ ok: true, exitCode: 0, failed: null, counts: { done: 2, unchanged: 0 } });
    expect(outcome.steps.map((s) => s.status)).toEqual(['done', 'done']);
    expect([...notes.byId.values()]).toEqual([{ key: 'a', value: 'v-a' }, { key: 'b', value: 'a' }]);
    expect(rowsOf(plan.id)).toEqual([
      { operation: 'notes.put', planStep: 'a', outcome: 'ok', input: { key: 'a', value: 'v-a' } },
      { operation: 'notes.put', planStep: 'b', outcome: 'ok', input: { key: 'b', value: 'a' } },
    ]);
    expect(progress).toContain('two notes\n✓ step 1/2: note a\nstep 2/2: note b');
  });

  it('skips unchanged steps (reported unchanged, nothing run, no audit row); a plan with nothing to change runs nothing', async () => {
    const plan = createPlan('mixed', [put('a', {}, 'unchanged'), put('b'), put('c', {}, 'unchanged')]);
    const outcome = await applyPlan(ctxWith(), plan);
    expect(outcome.steps.map((s) => s.status)).toEqual(['unchanged', 'done', 'unchanged']);
    expect(notes.log).toEqual(['put b']);
    expect(rowsOf(plan.id).map((r) => r.planStep)).toEqual(['b']);
    const still = createPlan('nothing', [put('a', {}, 'unchanged')]);
    expect(await applyPlan(ctxWith(), still)).toMatchObject({ ok: true, counts: { unchanged: 1, done: 0 } });
    expect(notes.log).toEqual(['put b']);
  });

  it('on a failure undoes the done steps in reverse order, each undo audited under the plan, and exits 1', async () => {
    const plan = createPlan('three', [put('a'), put('b'), put('c', { fail: 'api' })]);
    const outcome = await applyPlan(ctxWith(), plan);
    expect(notes.log).toEqual(['put a', 'put b', 'put c', 'delete 2', 'delete 1']);
    expect(notes.byId.size).toBe(0);
    expect(outcome.steps.map((s) => s.status)).toEqual(['undone', 'undone', 'failed']);
    expect(outcome).toMatchObject({ ok: false, exitCode: 1, failed: { key: 'c', error: { message: 'notes: key c is taken', exitCode: 1 } } });
    expect(rowsOf(plan.id).map((r) => [r.operation, r.planStep, r.outcome])).toEqual([
      ['notes.put', 'a', 'ok'], ['notes.put', 'b', 'ok'], ['notes.put', 'c', 'error'],
      ['notes.delete', 'b:undo', 'ok'], ['notes.delete', 'a:undo', 'ok'],
    ]);
  });

  it('reports an undo that fails (the object is left in place) and carries on with the others', async () => {
    notes.undeletable.add(1);
    const outcome = await applyPlan(ctxWith(), createPlan('left', [put('a'), put('b'), put('c', { fail: 'api' })]));
    expect(notes.log).toEqual(['put a', 'put b', 'put c', 'delete 2', 'delete 1']);
    expect(outcome.steps.map((s) => s.status)).toEqual(['undo-failed', 'undone', 'failed']);
    expect(outcome.steps[0]?.error?.message).toBe('notes: note 1 is locked');
    expect(outcome.counts).toMatchObject({ undone: 1, 'undo-failed': 1, failed: 1 });
    const text = renderText(definePlanOperation({ id: 'x', summary: 'x', input: z.object({}), risk: 'change', build: async () => createPlan('x', []) }).render?.({ plan: createPlan('x', []), digest: '', dryRun: false, outcome }, { dryRun: false }) ?? []);
    expect(text).toContain('undo-failed');
    expect(text).toContain('1 left in place');
  });

  it('exits 4 when the failed step could not reach its service, 5 when refused, 1 otherwise', async () => {
    expect((await applyPlan(ctxWith(), createPlan('u', [put('a'), put('b', { fail: 'unreachable' })]))).exitCode).toBe(4);
    expect((await applyPlan(ctxWith(), createPlan('r', [put('a', { fail: 'auth' })]))).exitCode).toBe(5);
    // A step whose input does not fit its operation (exit 2 on its own) fails the plan with 1, before anything runs.
    notes.log.length = 0;
    const bad = await applyPlan(ctxWith(), createPlan('bad', [put('a'), put('b', { value: 42 })]));
    expect(bad).toMatchObject({ exitCode: 1, failed: { key: 'b', error: { exitCode: 2 } } });
    expect(notes.log).toEqual([]);
    expect(bad.steps.map((s) => s.status)).toEqual(['not-run', 'failed']);
  });

  it('still undoes when the run itself was cancelled (Ctrl-C, a time limit): undo steps get a signal of their own', async () => {
    const controller = new AbortController();
    notes.abort = () => controller.abort(new CancelledError('interrupted'));
    const outcome = await applyPlan(ctxWith({ signal: controller.signal }), createPlan('cancel', [put('a'), put('b', { abort: true })]));
    expect(notes.log).toEqual(['put a', 'put b', 'delete 1']);
    expect(outcome.steps.map((s) => s.status)).toEqual(['undone', 'failed']);
    expect(outcome.failed?.error.message).toBe('interrupted');
  });

  /** A step whose undo deletes by key (marker-guarded in a real service: NotFoundError when the object is not there). */
  const keyed = (key: string, extra: Record<string, unknown> = {}, undoExtra: Record<string, unknown> = {}): PlanStep => ({
    ...put(key, extra), undo: { op: 'notes.drop', input: { key, ...undoExtra }, describe: `drop note ${key}` },
  });

  it('undoes a failed step whose answer was lost after the service did it (reset, timed out), before the done steps', async () => {
    for (const lose of ['reset', 'timeout'] as const) {
      notes = newNotes();
      const plan = createPlan('lost', [keyed('a'), keyed('b', { lose })]);
      const outcome = await applyPlan(ctxWith(), plan);
      expect(notes.log).toEqual(['put a', 'put b', 'drop b', 'drop a']);
      expect(notes.byId.size).toBe(0);
      expect(outcome.steps.map((s) => [s.status, s.inFlight])).toEqual([['undone', null], ['failed', 'undone']]);
      expect(outcome.steps[1]?.note).toBe('the request went through all the same: undone (drop note b)');
      expect(outcome.exitCode).toBe(4);
      expect(describeFailure(outcome)).toContain('1 step undone; the failed step had gone through all the same and was undone too');
      expect(rowsOf(plan.id).map((r) => [r.operation, r.planStep, r.outcome])).toEqual([
        ['notes.put', 'a', 'ok'], ['notes.put', 'b', 'error'], ['notes.drop', 'b:undo', 'ok'], ['notes.drop', 'a:undo', 'ok'],
      ]);
    }
  });

  it('says "nothing to undo" when the undo of a step with an unknown outcome finds nothing (the request never took effect)', async () => {
    const outcome = await applyPlan(ctxWith(), createPlan('timeout', [keyed('a'), keyed('b', { fail: 'timeout' })]));
    expect(notes.log).toEqual(['put a', 'put b', 'drop b', 'drop a']);
    expect(outcome.steps.map((s) => [s.status, s.inFlight])).toEqual([['undone', null], ['failed', 'nothing']]);
    expect(outcome.steps[1]?.note).toBe('nothing to undo (notes: no note b)');
    const text = renderText(renderOutcome(outcome));
    expect(text).toContain('notes: POST /notes timed out after 15 s; nothing to undo (notes: no note b)');
    expect(text).toMatch(/failed at note b: 1 undone$/m);
  });

  it('never undoes a step the service refused or never received (4xx, refused login, connection refused, stopped between steps)', async () => {
    for (const fail of ['api', 'auth', 'unreachable'] as const) {
      notes = newNotes();
      const outcome = await applyPlan(ctxWith(), createPlan(fail, [keyed('a'), keyed('b', { fail })]));
      expect(notes.log, fail).toEqual(['put a', 'put b', 'drop a']);
      expect(outcome.steps[1]?.inFlight).toBeNull();
    }
    notes = newNotes();
    const controller = new AbortController();
    notes.abort = () => controller.abort(new CancelledError('interrupted'));
    // Ctrl-C while step a runs; a still finishes (done). b is stopped before it is sent: only a's undo runs.
    const outcome = await applyPlan(ctxWith({ signal: controller.signal }), createPlan('stop', [keyed('a', { stopAfter: true }), keyed('b')]));
    expect(notes.log).toEqual(['put a', 'drop a']);
    expect(outcome.steps.map((s) => [s.status, s.inFlight])).toEqual([['undone', null], ['failed', null]]);
    expect(outcome.failed?.error).toMatchObject({ message: 'interrupted', exitCode: 1 });
  });

  it('a surface\'s time limit reached between steps is a timeout (exit 4), the next step never sent', async () => {
    const controller = new AbortController();
    notes.abort = () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    const outcome = await applyPlan(ctxWith({ signal: controller.signal }), createPlan('limit', [keyed('a', { stopAfter: true }), keyed('b')]));
    expect(notes.log).toEqual(['put a', 'drop a']);
    expect(outcome.exitCode).toBe(4);
    expect(outcome.failed?.error).toMatchObject({ message: "the run's time limit was reached before this step: it and the steps after it were not sent", exitCode: 4 });
  });

  it('takes only "not found" as nothing to undo: an undo refused as ambiguous names what may be left in place', async () => {
    const outcome = await applyPlan(ctxWith(), createPlan('ambiguous', [keyed('a', { lose: 'reset' }, { fail: 'ambiguous' })]));
    expect(notes.log).toEqual(['put a', 'drop a']);
    expect(outcome.steps[0]).toMatchObject({ status: 'failed', inFlight: 'may-remain' });
    expect(outcome.steps[0]?.note).toBe('may be left in place: note a; undo failed (2 notes are keyed a: use the id); homelab notes drop --key a --fail ambiguous --yes removes it');
  });

  it('names what may be left in place, with the command that removes it, when the undo cannot run or fails', async () => {
    const controller = new AbortController();
    notes.abort = () => controller.abort(new CancelledError('interrupted'));
    // The undo needs the id the answer would have told.
    const byId = await applyPlan(ctxWith({ signal: controller.signal }), createPlan('id', [put('a', { abort: true })]));
    expect(byId.steps[0]).toMatchObject({ status: 'failed', inFlight: 'may-remain', note: 'may be left in place: note a; homelab notes delete --id <id> --yes removes it' });
    expect(describeFailure(byId)).toBe('id: step 1 of 1 (note a) failed: interrupted; the failed step may be left in place: note a; homelab notes delete --id <id> --yes removes it');
    const table = renderOutcome(byId)[0];
    expect(table?.type === 'table' && table.rows[0]?.[3]).toMatchObject({ command: true });
    // The undo itself fails.
    const failing = await applyPlan(ctxWith(), createPlan('undo fails', [keyed('a', { lose: 'reset' }, { fail: 'unreachable' })]));
    expect(failing.steps[0]).toMatchObject({ inFlight: 'may-remain' });
    expect(failing.steps[0]?.note).toBe('may be left in place: note a; undo failed (notes: cannot reach http://127.0.0.1:9: ECONNREFUSED); homelab notes drop --key a --fail unreachable --yes removes it');
    expect(renderText(renderOutcome(failing))).toContain('failed at note a: 0 undone, 1 left in place (see above)');
    // A plan from outside under a cap: the undo is refused before it is sent, and that is no "nothing to undo".
    notes = newNotes();
    const capped = await applyPlan(ctxWith({ maxRisk: 'change' }), createPlan('capped', [keyed('a', { lose: 'timeout' })]));
    expect(capped.steps[0]).toMatchObject({ inFlight: 'may-remain' });
    expect(notes.log).toEqual(['put a']);
  });

  it('never re-creates what a delete step with an unknown outcome may have deleted: it names it', async () => {
    await ctxWith().invoke('notes.put', { key: 'a', value: 'v' });
    const drop: PlanStep = { key: 'd', describe: 'note a', op: 'notes.put', input: { key: 'x', value: 'v', lose: 'reset' }, risk: 'danger', state: 'delete', undo: { op: 'notes.put', input: { key: 'a', value: 'v' }, describe: 're-create note a' } };
    const outcome = await applyPlan(ctxWith(), createPlan('del', [drop]));
    expect(outcome.steps[0]).toMatchObject({ status: 'failed', inFlight: 'may-be-deleted' });
    expect(notes.log).toEqual(['put a', 'put x']);
  });

  it('keeps a done step that has no undo, and says so', async () => {
    const outcome = await applyPlan(ctxWith(), createPlan('keep', [{ ...put('a'), undo: undefined }, put('b', { fail: 'api' })]));
    expect(outcome.steps[0]).toMatchObject({ status: 'done', note: 'no undo step: left in place' });
  });

  it('plans are plain data: JSON round trip, and the schema refuses duplicate keys and forward references', () => {
    const plan = createPlan('data', [put('a'), put('b')]);
    expect(planSchema.parse(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
    expect(() => createPlan('dup', [put('a'), put('a')])).toThrow(/step key a is used twice/);
    expect(() => createPlan('fwd', [{ ...put('a'), inputFrom: { value: { step: 'b', path: 'id' } } }, put('b')])).toThrow(/not an earlier step/);
  });
});

describe('definePlanOperation', () => {
  const twoNotes = definePlanOperation({
    id: 'twonotes',
    summary: 'put two notes',
    input: z.object({ second: z.string(), fail: z.boolean().default(false) }),
    risk: 'change',
    build: async (ctx, input) => {
      const existing = (await ctx.invoke<{ key: string }[]>('notes.list')).map((n) => n.key);
      return createPlan(`two notes: first, ${input.second}`, [
        put('first', {}, existing.includes('first') ? 'unchanged' : 'create'),
        put(input.second, input.fail ? { fail: 'unreachable' } : {}, existing.includes(input.second) ? 'unchanged' : 'create'),
      ]);
    },
  }) as unknown as AnyOperation;

  it('--dry-run builds and returns the plan, changes nothing and needs no confirmation; otherwise it is confirmed with the plan as preview', async () => {
    const ctx = ctxWith();
    expect(needsConfirmation(twoNotes, { second: 's', dryRun: true })).toBe(false);
    expect(needsConfirmation(twoNotes, { second: 's', dryRun: false })).toBe(true);
    const dry = (await invoke(twoNotes, { second: 's', dryRun: true }, ctx)) as PlanResult;
    expect(dry).toMatchObject({ dryRun: true, outcome: null, plan: { title: 'two notes: first, s' } });
    expect(notes.log).toEqual([]);
    expect(await twoNotes.preview?.(ctx, { second: 's', dryRun: false })).toEqual({
      lines: ['two notes: first, s (2 to create)', '  1. create  note first', '  2. create  note s'],
      changesNothing: false,
    });
  });

  it('applies, and a second run is all unchanged', async () => {
    const first = (await invoke(twoNotes, { second: 's' }, ctxWith())) as PlanResult;
    expect(first.outcome?.counts).toMatchObject({ done: 2 });
    const again = (await invoke(twoNotes, { second: 's' }, ctxWith())) as PlanResult;
    expect(again.outcome?.steps.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    expect(notes.log).toEqual(['put first', 'put s']);
  });

  it('a failed plan throws with the outcome as its result and the outcome\'s exit code', async () => {
    const err = (await invoke(twoNotes, { second: 's', fail: true }, ctxWith()).catch((e: unknown) => e)) as PlanFailedError;
    expect(err).toBeInstanceOf(PlanFailedError);
    expect(err.exitCode).toBe(4);
    expect(err.message).toBe('two notes: first, s: step 2 of 2 (note s) failed: notes: cannot reach http://127.0.0.1:9: ECONNREFUSED; 1 step undone');
    expect((err.result as PlanResult).outcome?.steps.map((s) => s.status)).toEqual(['undone', 'failed']);
  });

  it('runs no more than was confirmed: a change that appeared since the plan was shown is refused before any step', async () => {
    // prune: delete every note not kept; a note added after the preview would be deleted unseen.
    const prune = definePlanOperation({
      id: 'prune',
      summary: 'delete the notes not kept',
      input: z.object({ keep: z.string() }),
      risk: 'danger',
      build: async (ctx, input) => createPlan('prune', (await ctx.invoke<{ id: number; key: string }[]>('notes.list'))
        .filter((n) => n.key !== input.keep)
        .map((n) => ({ key: `del:${n.id}`, describe: `note ${n.key}`, op: 'notes.delete', input: { id: n.id }, risk: 'danger' as const, state: 'delete' as const }))),
    }) as unknown as AnyOperation;
    const ctx = ctxWith();
    for (const key of ['keep', 'old']) await ctx.invoke('notes.put', { key, value: 'v' });
    const input = { keep: 'keep', dryRun: false };
    expect((await confirmationOf(prune, input, ctx)).lines).toEqual(['prune (1 to delete)', '  1. delete  note old  [destructive]']);
    await ctx.invoke('notes.put', { key: 'new', value: 'v' });
    // As every surface does: the confirmed input object itself is run.
    const err = (await runParsed(prune, input, ctx).catch((e: unknown) => e)) as HomelabError;
    expect(err.message).toBe('the lab changed since the plan was shown: delete note new was not in it; nothing was changed');
    expect(err.exitCode).toBe(1);
    expect([...notes.byId.values()].map((n) => n.key)).toEqual(['keep', 'old', 'new']);
    // Shown again, then run: it does what it showed. Fewer changes than shown (a step done meanwhile) are fine.
    await confirmationOf(prune, input, ctx);
    await ctx.invoke('notes.delete', { id: 3 });
    expect(((await runParsed(prune, input, ctx)) as PlanResult).outcome?.counts).toMatchObject({ done: 1 });
    expect([...notes.byId.values()].map((n) => n.key)).toEqual(['keep']);
    // Without a preview (--yes, an agent's call) the plan is built and run as before.
    await ctx.invoke('notes.put', { key: 'later', value: 'v' });
    expect(((await invoke(prune, { keep: 'keep', dryRun: false }, ctx)) as PlanResult).outcome?.counts).toMatchObject({ done: 1 });
  });

  it('rolls back its own plan above the context\'s risk cap (an MCP agent allowed change), which a plan from outside may not', async () => {
    // notes.delete, the undo, is a danger operation; the agent may run change operations only.
    const err = (await invoke(twoNotes, { second: 's', fail: true }, ctxWith({ maxRisk: 'change' })).catch((e: unknown) => e)) as PlanFailedError;
    expect((err.result as PlanResult).outcome?.steps.map((s) => s.status)).toEqual(['undone', 'failed']);
    expect([...notes.byId.values()]).toEqual([]);
    // The same steps applied as a plan given from outside: the cap holds, the undo is refused and reported.
    const outside = await applyPlan(ctxWith({ maxRisk: 'change' }), createPlan('outside', [put('a'), put('b', { fail: 'api' })]));
    expect(outside.steps.map((s) => s.status)).toEqual(['undo-failed', 'failed']);
    expect(outside.steps[0]?.error?.message).toMatch(/danger operation/);
    // A nested run of the undone step's context does not carry the lift to anything but the undo.
    await expect(ctxWith({ maxRisk: 'change' }).invoke('notes.delete', { id: 1 })).rejects.toThrow(/danger operation/);
  });
});
