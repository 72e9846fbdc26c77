/**
 * Property tests of the CLI argument parser (argv words → an operation's input), over
 * every operation in the registry: any words give an input or a usage error (exit 2,
 * one short line), and every valid input, written any way the parser promises to read,
 * comes back as the same operation input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asksForHelp, inputFromWords } from '../../src/core/args.js';
import { HomelabError } from '../../src/core/errors.js';
import { parseInput } from '../../src/core/invoke.js';
import { getRegistry } from '../../src/services/index.js';
import { wordsArbitrary } from './render.js';
import { expectUsageError, junkWords } from './junk.js';
import { inputArbitrary } from './zod-arbitrary.js';

const registry = getRegistry();
const ops = registry.all();

describe('CLI arguments, every operation (property)', () => {
  it('turns any words into an input or a usage error, never anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ops).chain((op) => fc.tuple(fc.constant(op), junkWords(op))), ([op, words]) => {
        const argv = [...op.id.split('.'), ...words];
        const resolved = registry.resolve(argv);
        if (!resolved || asksForHelp(resolved.rest)) return;
        try {
          parseInput(resolved.op, inputFromWords(resolved.op, resolved.rest).input);
        } catch (err) {
          if (!(err instanceof HomelabError)) throw err;
          expectUsageError(err);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it.each(ops.map((op) => [op.id, op] as const))('round-trips valid input of %s', (_id, op) => {
    const cases = inputArbitrary(op).chain((input) => wordsArbitrary(op, input).map((rendered) => ({ input, rendered })));
    fc.assert(
      fc.property(cases, ({ input, rendered }) => {
        const expected = parseInput(op, input);
        const resolved = registry.resolve([...op.id.split('.'), ...rendered.words]);
        expect(resolved?.op.id).toBe(op.id);
        const { input: raw, flags } = inputFromWords(op, resolved?.rest ?? []);
        expect(parseInput(op, raw)).toEqual(expected);
        expect(flags.has('json')).toBe(rendered.json);
      }),
      { numRuns: 40 },
    );
  });
});
