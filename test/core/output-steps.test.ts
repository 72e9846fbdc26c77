import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createContext } from '../../src/core/context.js';
import { addInvokeHook, runParsed } from '../../src/core/invoke.js';
import { defineOperation, type AnyOperation, type OpContext } from '../../src/core/operation.js';
import { outputStepsOf } from '../../src/core/output-steps.js';

/** An operation that leaves one step for after its output, recording what it was told. */
function leavingStep(told: boolean[], fails = false): AnyOperation {
  return defineOperation({
    id: 'demo.take', summary: 'take', input: z.object({}), risk: 'change',
    run: async (ctx: OpContext) => {
      ctx.afterOutput?.(async (delivered) => {
        told.push(delivered);
        if (fails) throw new Error('put back failed');
      });
      return 'taken';
    },
  }) as unknown as AnyOperation;
}

const context = (): OpContext => createContext({ actor: { surface: 'cli', id: 'x' }, config: { services: {}, ssh: { targets: [], concurrency: 1, timeout_seconds: 1 }, path: '/none' } });

let removeHook: () => void = () => undefined;
afterEach(() => removeHook());

/** The outcomes the audit hook hears, in order. */
function outcomes(): { ok: boolean; error?: string }[] {
  const heard: { ok: boolean; error?: string }[] = [];
  removeHook = addInvokeHook({ after: (_t, outcome) => { heard.push({ ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}) }); } });
  return heard;
}

describe('output steps (what an operation leaves for after its output)', () => {
  it('run once settled, told whether the output was delivered, and only then finish the audit row', async () => {
    const heard = outcomes();
    const told: boolean[] = [];
    const ctx = context();
    const steps = outputStepsOf(ctx);
    await expect(runParsed(leavingStep(told), {}, ctx, { outputSteps: steps.take })).resolves.toBe('taken');
    expect(steps.waiting()).toBe(true);
    await Promise.resolve();
    expect(told).toEqual([]);
    expect(heard).toEqual([]);
    await steps.settle(false);
    expect(told).toEqual([false]);
    expect(heard).toEqual([{ ok: true }]);
    // Only the first settle counts.
    await steps.settle(true);
    expect(told).toEqual([false]);
  });

  it('never run when the output could not be shown, and the run is recorded with that failure', async () => {
    const heard = outcomes();
    const told: boolean[] = [];
    const ctx = context();
    const steps = outputStepsOf(ctx);
    await runParsed(leavingStep(told), {}, ctx, { outputSteps: steps.take });
    steps.abandon(new Error('stdout closed'));
    await steps.settle(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).toEqual([]);
    expect(heard).toEqual([{ ok: false, error: 'stdout closed' }]);
  });

  it('settled before the run returned (the surface stopped waiting) run with that answer when it does', async () => {
    const heard = outcomes();
    const told: boolean[] = [];
    const ctx = context();
    const steps = outputStepsOf(ctx);
    await steps.settle(false);
    await runParsed(leavingStep(told), {}, ctx, { outputSteps: steps.take });
    await new Promise((resolve) => setImmediate(resolve));
    expect(told).toEqual([false]);
    expect(heard).toEqual([{ ok: true }]);
  });

  it('reject settle with their failure, which the audit row records', async () => {
    const heard = outcomes();
    const ctx = context();
    const steps = outputStepsOf(ctx);
    await runParsed(leavingStep([], true), {}, ctx, { outputSteps: steps.take });
    await expect(steps.settle(true)).rejects.toThrow('put back failed');
    expect(heard).toEqual([{ ok: false, error: 'put back failed' }]);
  });

  it('are nothing to wait for when the run left none', async () => {
    const ctx = context();
    const steps = outputStepsOf(ctx);
    const plain = defineOperation({ id: 'demo.read', summary: 'read', input: z.object({}), risk: 'read', run: async () => 1 }) as unknown as AnyOperation;
    await runParsed(plain, {}, ctx, { outputSteps: steps.take });
    expect(steps.waiting()).toBe(false);
    expect(steps.take()).toBeUndefined();
    steps.abandon(new Error('no one hears this'));
    await expect(steps.settle(true)).resolves.toBeUndefined();
  });
});
