/**
 * bash's words as typed, unquoted before matching and the candidates quoted back
 * (surfaces/cli/completion/bash-words): every value, quoted for any place a word can be
 * (plain, inside an open `"`, `'` or `$'`), reads back as itself; and what bash's own
 * `printf %q` writes (any locale) reads back too.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteBashWord, unquoteBashWord, type OpenQuote } from '../../../src/surfaces/cli/completion/bash-words.js';

/** A stored completion value: no control characters (the cache refuses them). */
const value = fc.string({ unit: fc.oneof(fc.constantFrom(' ', "'", '"', '\\', '$', '`', '!', '~', '*', 'Ü', 'ï', '😀', '='), fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' })), minLength: 1, maxLength: 30 })
  .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s));

describe('bash words', () => {
  it('reads back every value quoted for every place', () => {
    fc.assert(fc.property(value, fc.constantFrom<OpenQuote | undefined>(undefined, '"', "'", "$'"), (v, open) => {
      expect(unquoteBashWord(`${open ?? ''}${quoteBashWord(v, open)}`)).toEqual(open ? { text: v, open } : { text: v });
    }));
  });

  it('removes backslashes, quotes and $\'…\' as bash does', () => {
    expect(unquoteBashWord('Home\\ Assistant')).toEqual({ text: 'Home Assistant' });
    expect(unquoteBashWord('"pa"use')).toEqual({ text: 'pause' });
    expect(unquoteBashWord(`'Bob'\\''s NAS'`)).toEqual({ text: "Bob's NAS" });
    expect(unquoteBashWord('"a \\$b \\c')).toEqual({ text: 'a $b \\c', open: '"' });
    expect(unquoteBashWord("$'\\303\\234n\\x20x")).toEqual({ text: 'Ün x', open: "$'" });
    expect(quoteBashWord('Bob\'s NAS')).toBe("Bob\\'s\\ NAS");
  });

  it('reads what bash\'s printf %q writes, in a UTF-8 and in the C locale', () => {
    const words = ['Ünïcode mon two', "Bob's NAS", 'a$b`c"d\\e', '~x*'];
    for (const locale of ['C.UTF-8', 'C']) {
      const run = spawnSync('bash', ['-c', 'printf "%q\\n" "$@"', 'bash', ...words], { env: { LC_ALL: locale }, encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(run.stdout.trimEnd().split('\n').map((w) => unquoteBashWord(w).text)).toEqual(words);
    }
  });
});
