/**
 * A batch's text into command lines, as a shell would read them: a line ending in a
 * backslash, unquoted or inside double quotes, continues on the next (the backslash and the line break go), and the
 * command goes by its first line's number; a backslash that is escaped, quoted or in a
 * comment does not continue anything.
 */
import { describe, expect, it } from 'vitest';
import { readBatchLines } from '../../../src/surfaces/cli/batch-lines.js';

const read = (text: string): [number, string[], string | undefined][] => readBatchLines(text).map((l) => [l.line, l.words, l.error?.message]);

describe('batch lines', () => {
  it('joins a line ending in a backslash with the next, numbered by its first line', () => {
    expect(read('dns zones \\\n  --json\ndns records home.lan\n')).toEqual([[1, ['dns', 'zones', '--json'], undefined], [3, ['dns', 'records', 'home.lan'], undefined]]);
    expect(read('# c\ndns add web1 \\\n  10.5.0.51 \\\n  --ttl 300\n')).toEqual([[2, ['dns', 'add', 'web1', '10.5.0.51', '--ttl', '300'], undefined]]);
    // As in a shell, nothing is put in the break's place: `a\` + `b` is one word.
    expect(read('dns records home\\\n.lan')).toEqual([[1, ['dns', 'records', 'home.lan'], undefined]]);
    expect(read('dns zones \\\r\n  --json\r\n')).toEqual([[1, ['dns', 'zones', '--json'], undefined]]);
    expect(read('dns zones \\')).toEqual([[1, ['dns', 'zones'], undefined]]);
  });

  it('continues inside double quotes too, as bash does (the backslash and the break go); not inside single quotes', () => {
    expect(read('telegram send "hello \\\nworld"\ndns zones\n')).toEqual([[1, ['telegram', 'send', 'hello world'], undefined], [3, ['dns', 'zones'], undefined]]);
    expect(read('telegram send "a\\\nb\\\n c" --json')).toEqual([[1, ['telegram', 'send', 'ab c', '--json'], undefined]]);
    // An escaped backslash at the end of a quoted line is a backslash: nothing continues, the quote is unterminated.
    expect(read('telegram send "a\\\\\nb"')).toEqual([[1, [], 'unterminated double quote'], [2, [], 'unterminated double quote']]);
  });

  it('does not continue on an escaped, quoted or commented backslash', () => {
    expect(read('dns add a \\\\\ndns zones')).toEqual([[1, ['dns', 'add', 'a', '\\'], undefined], [2, ['dns', 'zones'], undefined]]);
    expect(read('dns add a "x\\\\" \\\n--ttl 5')).toEqual([[1, ['dns', 'add', 'a', 'x\\', '--ttl', '5'], undefined]]);
    expect(read('dns zones # see below \\\ndns zones')).toEqual([[1, ['dns', 'zones'], undefined], [2, ['dns', 'zones'], undefined]]);
    expect(read("dns add 'a\\\nb'")).toEqual([[1, [], 'unterminated single quote'], [2, [], 'unterminated single quote']]);
  });
});
