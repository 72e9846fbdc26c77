import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldsOf, inputFromWords, usageLine } from '../../src/core/args.js';
import { UsageError } from '../../src/core/errors.js';
import { parseInput } from '../../src/core/invoke.js';
import { defineOperation, type AnyOperation } from '../../src/core/operation.js';

const op = defineOperation({
  id: 'demo.do',
  summary: 'demo',
  args: ['vmid', 'name'],
  input: z.object({
    vmid: z.number({ error: 'vmid must be an integer' }).int(),
    name: z.string().optional(),
    wait: z.boolean().default(true),
    type: z.enum(['qemu', 'lxc']).optional().describe('guest type'),
    maxCount: z.number().optional(),
  }),
  risk: 'read',
  run: async () => 1,
}) as unknown as AnyOperation;

const say = defineOperation({
  id: 'demo.say', summary: 'say', args: ['to', 'text'], variadic: true,
  input: z.object({ to: z.string(), text: z.string() }), risk: 'read', run: async () => 1,
}) as unknown as AnyOperation;

describe('words to input', () => {
  it('gives the last positional of a variadic operation every remaining word', () => {
    expect(inputFromWords(say, ['owner', 'backup', 'failed', 'again', '--json']).input).toEqual({ to: 'owner', text: 'backup failed again' });
    expect(inputFromWords(say, ['owner', 'one']).input).toEqual({ to: 'owner', text: 'one' });
  });

  it('maps positionals, --no-x switches, kebab-case flags and numbers', () => {
    const { input, flags } = inputFromWords(op, ['105', 'snap1', '--no-wait', '--type', 'lxc', '--max-count=3', '--json']);
    expect(input).toEqual({ vmid: 105, name: 'snap1', wait: false, type: 'lxc', maxCount: 3 });
    expect(flags.get('json')).toBe(true);
  });

  it('leaves non-numbers for zod to refuse with its message', () => {
    const { input } = inputFromWords(op, ['abc']);
    expect(input.vmid).toBe('abc');
    expect(() => parseInput(op, input)).toThrow(new UsageError('demo do: vmid must be an integer'));
  });

  it('refuses unknown options, extra arguments and missing values', () => {
    expect(() => inputFromWords(op, ['1', '--bogus'])).toThrow('unknown option --bogus for demo do');
    expect(() => inputFromWords(op, ['1', 'a', 'b'])).toThrow('unexpected argument "b"');
    expect(() => inputFromWords(op, ['1', '--type'])).toThrow('--type needs a value');
  });

  it('describes fields for help with choices and positions', () => {
    const fields = fieldsOf(op);
    expect(fields.map((f) => f.key)).toEqual(['vmid', 'name', 'wait', 'type', 'maxCount']);
    expect(fields.find((f) => f.key === 'type')).toMatchObject({ kind: 'enum', choices: ['qemu', 'lxc'], description: 'guest type', optional: true });
    expect(usageLine(op)).toBe('demo do <vmid> [name] [options]');
  });
});
