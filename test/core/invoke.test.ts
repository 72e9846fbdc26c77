import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createContext } from '../../src/core/context.js';
import { UsageError } from '../../src/core/errors.js';
import { invoke } from '../../src/core/invoke.js';
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
});
