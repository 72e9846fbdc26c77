/**
 * `audit --plan <id>`: the run that applied the plan (`expose`, `unexpose`, `apply`) comes
 * first, carrying the plan's id, then its steps and undos. Real plan operations of a tiny
 * registry (test/orchestration/notes-service.ts), run through `invoke` with the real audit
 * hook writing SQLite, read back with the real `audit` operation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAuditHook } from '../../src/audit/hook.js';
import { AuditStore, type AuditEntry } from '../../src/audit/store.js';
import type { HomelabConfig } from '../../src/core/config.js';
import { createContext } from '../../src/core/context.js';
import { addInvokeHook, invoke } from '../../src/core/invoke.js';
import type { AnyOperation, OpContext } from '../../src/core/operation.js';
import { renderText } from '../../src/core/render.js';
import { createPlan, definePlanOperation, type PlanResult, type PlanStep } from '../../src/orchestration/index.js';
import { auditOperation, type AuditRows } from '../../src/services/audit/operations.js';
import { newNotes, notesRegistry, type Notes } from '../orchestration/notes-service.js';

const config: HomelabConfig = { services: {}, ssh: { targets: [], concurrency: 1, timeout_seconds: 1 }, path: '/none' };
let dir: string;
let removeHook: () => void;
let notes: Notes;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-plan-rows-'));
  removeHook = addInvokeHook(createAuditHook((d) => AuditStore.open(d)));
});
afterAll(() => {
  removeHook();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => { notes = newNotes(); });

const ctx = (): OpContext => createContext({ actor: { surface: 'cli', id: 'tester' }, config, env: { HOMELAB_DATA_HOME: dir }, operations: notesRegistry(notes) });

const put = (key: string, extra: Record<string, unknown> = {}): PlanStep => ({
  key, describe: `note ${key}`, op: 'notes.put', input: { key, value: `v-${key}`, ...extra }, risk: 'change',
  undo: { op: 'notes.delete', input: {}, describe: `delete note ${key}`, fromResult: { id: 'id' } },
});

/** A plan operation like `expose`: its plan puts the notes named, the last one failing when asked. */
const noteAll = definePlanOperation({
  id: 'notes.all', summary: 'put notes', args: ['keys'], risk: 'change',
  input: z.object({ keys: z.string(), failLast: z.boolean().default(false) }),
  build: async (_ctx, input) => {
    const keys = input.keys.split(',');
    return createPlan(`notes ${input.keys}`, keys.map((k, i) => put(k, input.failLast && i === keys.length - 1 ? { fail: 'api' } : {})));
  },
}) as unknown as AnyOperation;

async function auditRows(plan: string): Promise<AuditRows> {
  return (await invoke(auditOperation, { plan }, ctx())) as AuditRows;
}

describe('audit --plan', () => {
  it('lists the run that applied the plan first, with the plan id, then its steps', async () => {
    const result = (await invoke(noteAll, { keys: 'a,b' }, ctx())) as PlanResult;
    const rows = await auditRows(result.plan.id);
    expect(rows.map((r) => [r.operation, r.plan, r.planStep, r.outcome])).toEqual([
      ['notes.all', result.plan.id, null, 'ok'],
      ['notes.put', result.plan.id, 'a', 'ok'],
      ['notes.put', result.plan.id, 'b', 'ok'],
    ]);
    const table = renderText(auditOperation.render?.(rows, {} as never) ?? []);
    expect(table).toContain(`notes.all (plan ${result.plan.id})`);
    expect(table).toContain('notes.put (plan step a)');
  });

  it('keeps a failed run first, with its steps and undos', async () => {
    const err = (await invoke(noteAll, { keys: 'x,y', failLast: true }, ctx()).catch((e: unknown) => e)) as { result: PlanResult };
    const rows = await auditRows(err.result.plan.id);
    expect(rows.map((r) => [r.operation, r.planStep, r.outcome])).toEqual([
      ['notes.all', null, 'error'], ['notes.put', 'x', 'ok'], ['notes.put', 'y', 'error'], ['notes.delete', 'x:undo', 'ok'],
    ]);
  });

  it('gives a dry run (no step ran) and another run no plan id; one context running two plans in turn tags each', async () => {
    const shared = ctx();
    const dry = (await invoke(noteAll, { keys: 'd', dryRun: true }, shared)) as PlanResult;
    expect(await auditRows(dry.plan.id)).toEqual([]);
    const first = (await invoke(noteAll, { keys: 'e' }, shared)) as PlanResult;
    const second = (await invoke(noteAll, { keys: 'f' }, shared)) as PlanResult;
    expect((await auditRows(first.plan.id)).map((r) => [r.operation, r.planStep])).toEqual([['notes.all', null], ['notes.put', 'e']]);
    expect((await auditRows(second.plan.id)).map((r) => [r.operation, r.planStep])).toEqual([['notes.all', null], ['notes.put', 'f']]);
  });

  it('finds a plan older than the 24 h default window; an explicit --since still applies', async () => {
    const store = AuditStore.open(dir);
    const old = '20250101-000000-0a0b0c';
    const run = store.begin({ startedAt: Date.now() - 3 * 86_400_000, actor: { surface: 'cli', id: 'tester' }, operation: 'notes.all', risk: 'change', input: {} });
    store.setPlan(run, old);
    store.finish(run, { ok: true, durationMs: 1843 });
    store.close();
    expect((await auditRows(old)).map((r) => r.operation)).toEqual(['notes.all']);
    expect(await invoke(auditOperation, { plan: old, since: '24h' }, ctx())).toEqual([]);
    // Without --plan the default window still holds.
    expect((await invoke(auditOperation, {}, ctx()) as AuditRows).some((r) => r.plan === old)).toBe(false);
  });

  it("shows a failed plan's own row by the step that failed and why, and seconds with a decimal", async () => {
    const err = (await invoke(noteAll, { keys: 'p,q,r', failLast: true }, ctx()).catch((e: unknown) => e)) as { result: PlanResult };
    const rows = await auditRows(err.result.plan.id);
    const own = rows[0] as AuditEntry;
    expect(own.error).toMatch(/^notes p,q,r: step 3 of 3 \(note r\) failed: /);
    const table = renderText(auditOperation.render?.([{ ...own, durationMs: 1843 }], {} as never) ?? []);
    expect(table).toContain('error: step 3 of 3 failed: ');
    expect(table).toContain('1.8 s');
    expect(table).not.toContain('notes p,q,r:');
  });
});
