/**
 * An error of another bundle's copy of core/errors (dist/lab.cjs holds one, dist/daemons.cjs
 * another) is no `instanceof` this copy's classes: `toHomelabError` knows it by the mark every
 * HomelabError carries and keeps its message, hint, details and exit code. An object without
 * the mark is an unknown error (exit 1) whatever exit code it claims, and a marked one with an
 * exit code that is not homelab's counts as failed (1).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, HomelabError, OperationError, isHomelabError, toHomelabError } from '../../src/core/errors.js';

const LAB = fileURLToPath(new URL('../../dist/lab.cjs', import.meta.url));
const MARK = Symbol.for('homelab.error');

/** An Error carrying `fields`, marked as a HomelabError of another bundle when `marked`. */
function foreign(message: string, fields: Record<string, unknown>, marked = true): Error {
  return Object.assign(new Error(message), fields, marked ? { [MARK]: true } : {});
}

afterEach(() => {
  delete process.env.HOMELAB_LAB_SSH_SERVER;
});

describe('toHomelabError across bundles', () => {
  it("keeps a ConfigError thrown by dist/lab.cjs's own copy of the classes as exit 3", async () => {
    if (!existsSync(LAB)) throw new Error(`${LAB} is missing: run npm run build first`);
    const lab = createRequire(import.meta.url)(LAB) as { attachSshTargets(lab: unknown): Promise<unknown> };
    process.env.HOMELAB_LAB_SSH_SERVER = 'bogus';
    const thrown: unknown = await lab.attachSshTargets({}).then(() => undefined, (err: unknown) => err);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(HomelabError); // another copy: the reason for the mark
    expect(isHomelabError(thrown)).toBe(true);
    const e = toHomelabError(thrown);
    expect([e.exitCode, e.message, e.hint]).toEqual([ExitCode.config, 'HOMELAB_LAB_SSH_SERVER must be auto, sshd or ssh2, not "bogus"', undefined]);
  });

  it('keeps the message, hint, exit code and details of a marked error', () => {
    const e = toHomelabError(foreign('pve: nope', { exitCode: 5, hint: 'check the token' }));
    expect(e).toBeInstanceOf(HomelabError);
    expect([e.exitCode, e.message, e.hint]).toEqual([ExitCode.auth, 'pve: nope', 'check the token']);
    const op = toHomelabError(foreign('2 of 3 failed', { exitCode: 4, details: ['a: down', 'b: down'] }));
    expect(op).toBeInstanceOf(OperationError);
    expect([op.exitCode, (op as OperationError).details]).toEqual([ExitCode.unreachable, ['a: down', 'b: down']]);
  });

  it('trusts no exit code of an unmarked object, nor one that is not homelab\'s', () => {
    expect(isHomelabError(foreign('x', { exitCode: 3, hint: 'h' }, false))).toBe(false);
    const plain = toHomelabError(foreign('x', { exitCode: 3, hint: 'h' }, false));
    expect([plain.exitCode, plain.hint]).toEqual([ExitCode.failed, undefined]);
    for (const exitCode of [0, 0.5, -1, 7, 256, 1e9, '3', undefined]) expect(toHomelabError(foreign('x', { exitCode })).exitCode).toBe(ExitCode.failed);
    // A hint or details that are not text are left out.
    const odd = toHomelabError(foreign('x', { exitCode: 3, hint: { toString: () => 'no' }, details: [1, 2] }));
    expect([odd.exitCode, odd.hint, odd instanceof OperationError]).toEqual([ExitCode.config, undefined, false]);
  });

  it('marks every HomelabError of this copy, not other errors', () => {
    expect((new ConfigError('x') as unknown as Record<symbol, unknown>)[MARK]).toBe(true);
    expect(isHomelabError(new ConfigError('x'))).toBe(true);
    expect(isHomelabError(new Error('x'))).toBe(false);
    expect(toHomelabError(new ConfigError('x', 'y'))).toBeInstanceOf(ConfigError);
  });
});
