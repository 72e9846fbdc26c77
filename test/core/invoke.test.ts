import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createContext } from '../../src/core/context.js';
import { UsageError } from '../../src/core/errors.js';
import { invoke, parseInput } from '../../src/core/invoke.js';
import { defineOperation, type AnyOperation } from '../../src/core/operation.js';

let runs = 0;
const localOnly = defineOperation({
  id: 'demo.grant', summary: 'grant', input: z.object({}), risk: 'change', surfaces: ['cli'],
  run: async () => ++runs,
}) as unknown as AnyOperation;

describe('invoke', () => {
  it('runs a CLI-only operation from the CLI and refuses it from every other surface without running it', async () => {
    const on = (surface: 'cli' | 'telegram' | 'mcp' | 'watch') => createContext({ actor: { surface, id: 'x' }, config: { services: {}, ssh: { targets: [], concurrency: 1, timeout_seconds: 1 }, path: '/none' } });
    await expect(invoke(localOnly, {}, on('cli'))).resolves.toBe(1);
    for (const surface of ['telegram', 'mcp', 'watch'] as const) {
      await expect(invoke(localOnly, {}, on(surface))).rejects.toThrow(new UsageError(`demo grant is only available from cli, not ${surface}`));
    }
    expect(runs).toBe(1);
  });

  it('refuses, when it validates, a run that gives none of the keys an operation needsOneOf, naming them as the surface spells them', () => {
    const edit = defineOperation({
      id: 'demo.edit', summary: 'edit', input: z.object({ id: z.number(), name: z.string().optional(), onboot: z.boolean().optional() }), risk: 'change',
      needsOneOf: ['name', 'onboot'], run: async () => 'edited',
    }) as unknown as AnyOperation;
    expect(() => parseInput(edit, { id: 1 }, (key) => `--${key}`)).toThrow(new UsageError('demo edit: nothing to change', 'give at least one of --name, --onboot'));
    // false is a value given (--no-onboot), not a missing one.
    expect(parseInput(edit, { id: 1, onboot: false })).toEqual({ id: 1, onboot: false });
  });
});
