/**
 * @module test/property/junk
 * What a careless or hostile user types, and what every refusal of it must look like.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { fieldsOf } from '../../src/core/args.js';
import { UsageError } from '../../src/core/errors.js';
import type { AnyOperation } from '../../src/core/operation.js';
import { freeText } from './zod-arbitrary.js';

/** Words a user might type at an operation: its own flags with odd values, numbers written oddly, unicode, huge words. */
export function junkWords(op: AnyOperation): fc.Arbitrary<string[]> {
  const flags = fieldsOf(op).map((f) => f.flag);
  const flag = flags.length ? fc.constantFrom(...flags) : fc.constant('x');
  const word = fc.oneof(
    { arbitrary: freeText, weight: 4 },
    flag.map((f) => `--${f}`),
    flag.map((f) => `--no-${f}`),
    fc.tuple(flag, freeText).map(([f, v]) => `--${f}=${v}`),
    fc.constantFrom('--json', '--json=maybe', '--no-json=1', '-y', '-h', '--', '-', '-x', '--=', '---', '--help=no', '--yes=false'),
    fc.constantFrom('0x65', '1e2', ' 100', '+100', '100 ', '1_000', 'Infinity', 'NaN', '1.5', '-0', '9007199254740993', '١٠٠', '１００'),
    fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
    fc.string({ unit: 'binary', maxLength: 3000 }),
  );
  return fc.array(word, { maxLength: 10 });
}

/** Asserts what every refusal must be: a UsageError (exit 2) in one short line. */
export function expectUsageError(err: unknown): void {
  expect(err).toBeInstanceOf(UsageError);
  const e = err as UsageError;
  expect(e.exitCode).toBe(2);
  for (const line of [e.message, e.hint ?? '']) {
    expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(line.length).toBeLessThan(1000);
  }
}

