/**
 * The option a typo was meant to be (`core/unknown-option`): the known one within a few
 * letters of it, or, for one letter after one dash, the only known option starting with it;
 * none when nothing is close or the letter starts several.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { optionMeant, unknownOption } from '../../src/core/unknown-option.js';

const known = ['host', 'port', 'allow', 'refresh', 'trust-proxy', 'no-wait', 'json'];

describe('the option meant', () => {
  it.each([
    ['--hst', '--host'],
    ['--prot', '--port'],
    ['--alow=change', '--allow'],
    ['--trust-porxy', '--trust-proxy'],
    ['--no-wiat', '--no-wait'],
    ['-h', '--host'],
    ['-jsn', '--json'],
    ['-a', '--allow'],
    ['-n', undefined], // no-wait is no option of its own letter
    ['-t', '--trust-proxy'],
    ['--xyzzy', undefined],
    ['--', undefined],
  ])('%s → %s', (word, meant) => {
    expect(optionMeant(word, known)).toBe(meant);
  });

  it('is named in one line with the command and the hint', () => {
    const err = unknownOption('--hst', 'serve', known, 'see: homelab serve --help');
    expect(err).toBeInstanceOf(UsageError);
    expect([err.message, err.hint]).toEqual(['unknown option --hst for serve (did you mean --host?)', 'see: homelab serve --help']);
    expect(unknownOption('--bad\nname', 'serve', known, 'x').message).toBe('unknown option --"bad\\nname" for serve');
  });
});
