import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asksForHelp, fieldsOf, inputFromWords, splitWords, usageLine } from '../../src/core/args.js';
import { commaList } from '../../src/core/comma-list.js';
import { UsageError } from '../../src/core/errors.js';
import { parseInput } from '../../src/core/invoke.js';
import { defineOperation, type AnyOperation } from '../../src/core/operation.js';
import { getRegistry } from '../../src/services/index.js';
import { vmidSchema } from '../../src/services/pve/inputs.js';

const registry = getRegistry();

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

const status = defineOperation({
  id: 'pve.status', summary: 'status', args: ['vmid'], input: z.object({ vmid: vmidSchema }), risk: 'read', run: async () => 1,
}) as unknown as AnyOperation;

const add = defineOperation({
  id: 'dns.add', summary: 'add', args: ['name'],
  input: z.object({ name: z.string(), comment: z.string().optional(), ttl: z.number().int().min(0).optional(), offset: z.number().min(-10).optional(), ptr: z.boolean().default(false) }),
  risk: 'change', run: async () => 1,
}) as unknown as AnyOperation;

/** The input the words give after validation, or the usage error's message. */
function parsed(o: AnyOperation, words: string[]): Record<string, unknown> | string {
  try {
    return parseInput(o, inputFromWords(o, words).input);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).message;
  }
}

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

  it('refuses a missing required positional by name, with the usage line, before zod sees it', () => {
    const refusal = (words: string[]): unknown => { try { inputFromWords(add, words); } catch (err) { return err; } return undefined; };
    expect(refusal([])).toMatchObject({ exitCode: 2, message: 'dns add: missing <name>', hint: 'usage: homelab dns add <name> [options]' });
    expect(refusal(['--ttl', '60'])).toMatchObject({ message: 'dns add: missing <name>' });
    expect(() => inputFromWords(say, ['owner'])).toThrow('demo say: missing <text>');
    expect(() => inputFromWords(op, ['--type', 'lxc'])).toThrow('demo do: missing <vmid>');
    // A required option is refused by its flag's name, the same way.
    const create = defineOperation({
      id: 'pve.create.ct', summary: 'create', args: ['vmid'],
      input: z.object({ vmid: z.number().int().optional(), template: z.string(), hostName: z.string() }),
      risk: 'change', run: async () => 1,
    }) as unknown as AnyOperation;
    expect(() => inputFromWords(create, ['--template', 'local:vztmpl/x.tar.zst'])).toThrow('pve create ct: missing --host-name');
    expect(() => inputFromWords(create, [])).toThrow('pve create ct: missing --template');
    expect(parsed(create, ['--template', 't', '--host-name', 'h'])).toMatchObject({ template: 't', hostName: 'h' });
    // Given as its flag, or optional: no refusal.
    expect(parsed(add, ['--name', 'x'])).toMatchObject({ name: 'x' });
    expect(parsed(op, ['1'])).toMatchObject({ vmid: 1 });
  });

  it('refuses --quiet: no surface reads it, so taking it silently would promise what nothing does', () => {
    expect(() => inputFromWords(op, ['1', '--quiet'])).toThrow('unknown option --quiet for demo do');
    expect(() => inputFromWords(op, ['1', '--no-quiet'])).toThrow('unknown option --no-quiet for demo do');
  });

  it('describes fields for help with choices and positions', () => {
    const fields = fieldsOf(op);
    expect(fields.map((f) => f.key)).toEqual(['vmid', 'name', 'wait', 'type', 'maxCount']);
    expect(fields.find((f) => f.key === 'type')).toMatchObject({ kind: 'enum', choices: ['qemu', 'lxc'], description: 'guest type', optional: true });
    expect(usageLine(op)).toBe('demo do <vmid> [name] [options]');
  });
});

describe('numbers are plain decimal', () => {
  it('refuses hex, exponents, spaces and a leading + instead of reading another number', () => {
    expect(parsed(status, ['101'])).toEqual({ vmid: 101 });
    // 99999999999999999999 fails two checks with the one message: said once.
    for (const word of ['0x65', '1e2', ' 100', '100 ', '+101', '0b1100101', '1_01', '101.0', 'Infinity', '\u0661\u0660\u0661', '99999999999999999999', '1000000000']) {
      expect(parsed(status, [word]), word).toBe('pve status: vmid must be an integer from 100 to 999999999');
    }
    expect(parsed(add, ['x', '--ttl', '0x10'])).toBe('dns add: ttl must be a number');
    expect(parsed(add, ['x', '--ttl=1e3'])).toBe('dns add: ttl must be a number');
  });

  it('reads negative numbers and decimals where the schema takes them', () => {
    expect(parsed(add, ['x', '--offset', '-2.5'])).toMatchObject({ offset: -2.5 });
    expect(parsed(add, ['x', '--offset=-3'])).toMatchObject({ offset: -3 });
    expect(parsed(add, ['x', '--ttl', '-1'])).toBe('dns add: ttl must be at least 0');
    expect(parsed(add, ['x', '--offset', '.5'])).toBe('dns add: offset must be a number');
  });
});

describe('switches', () => {
  it('--json=false prints no JSON and --yes=false still asks: a switch reads true/false, yes/no, 1/0', () => {
    expect(inputFromWords(op, ['1', '--json=false']).flags.has('json')).toBe(false);
    expect(inputFromWords(op, ['1', '--json=0']).flags.has('json')).toBe(false);
    expect(inputFromWords(op, ['1', '--json=TRUE']).flags.has('json')).toBe(true);
    expect(inputFromWords(op, ['1', '--yes=no']).flags.has('yes')).toBe(false);
    expect(inputFromWords(op, ['1', '--yes=yes']).flags.has('yes')).toBe(true);
    expect(splitWords(['--json=false']).flags.has('json')).toBe(false);
    expect(parsed(op, ['1', '--wait=false'])).toMatchObject({ wait: false });
    expect(parsed(op, ['1', '--wait=1'])).toMatchObject({ wait: true });
  });

  it('lets the last of --json and --no-json win, and refuses an operation switch given both ways', () => {
    expect(inputFromWords(op, ['1', '--json', '--no-json']).flags.has('json')).toBe(false);
    expect(inputFromWords(op, ['1', '--no-json', '--json']).flags.has('json')).toBe(true);
    expect(() => inputFromWords(op, ['1', '--wait', '--no-wait'])).toThrow('--wait and --no-wait contradict each other: give one');
    expect(() => inputFromWords(op, ['1', '--no-wait', '--wait=true'])).toThrow('--no-wait and --wait=true contradict each other: give one');
    expect(parsed(op, ['1', '--no-wait', '--no-wait'])).toMatchObject({ wait: false });
  });

  it('refuses any other value for a switch, and any value for --no-x', () => {
    expect(() => inputFromWords(op, ['1', '--json=maybe'])).toThrow('--json is a switch: write --json or --no-json (or =true, =false)');
    expect(() => inputFromWords(op, ['1', '--wait=later'])).toThrow('--wait is a switch');
    expect(() => inputFromWords(op, ['1', '--no-json=1'])).toThrow('--no-json takes no value');
    expect(() => inputFromWords(op, ['1', '--no-wait=true'])).toThrow('--no-wait takes no value');
  });
});

describe('flag values', () => {
  it('never takes the next option as a value: --comment --ttl is refused', () => {
    expect(() => inputFromWords(add, ['x', '--comment', '--ttl', '60'])).toThrow('--comment needs a value');
    expect(() => inputFromWords(add, ['x', '--comment', '-y'])).toThrow('--comment needs a value');
    expect(() => inputFromWords(add, ['x', '--comment', '--'])).toThrow('--comment needs a value');
    const refusal = (() => { try { inputFromWords(add, ['x', '--comment', '--ttl']); } catch (err) { return err; } })();
    expect(refusal).toMatchObject({ exitCode: 2, hint: 'a value that starts with - is written --comment=-…' });
  });

  it('takes a value that starts with -- when written --flag=value, and a negative number or - as it is', () => {
    expect(parsed(add, ['x', '--comment=--ttl', '--ttl', '60'])).toEqual({ name: 'x', comment: '--ttl', ttl: 60, ptr: false });
    expect(parsed(add, ['x', '--comment', '-5'])).toMatchObject({ comment: '-5' });
    expect(parsed(add, ['x', '--comment', '-'])).toMatchObject({ comment: '-' });
    expect(parsed(add, ['x', '--comment='])).toMatchObject({ comment: '' });
  });

  it('reads every word after -- as positional, flag-like or not', () => {
    expect(parsed(say, ['--', '--ttl', '5', '-h'])).toEqual({ to: '--ttl', text: '5 -h' });
    expect(parsed(say, ['owner', '--', '--json'])).toEqual({ to: 'owner', text: '--json' });
    expect(inputFromWords(say, ['owner', '--', '--json']).flags.has('json')).toBe(false);
    expect(asksForHelp(['owner', '--', '-h'])).toBe(false);
    expect(asksForHelp(['owner', '-h'])).toBe(true);
  });
});

describe('errors stay one short line', () => {
  it('quotes odd words cut short, with control characters escaped', () => {
    expect(() => inputFromWords(op, ['1', '--bad\nname'])).toThrow('unknown option --"bad\\nname" for demo do');
    expect(() => inputFromWords(op, ['1', 'a', `b\u2028${'z'.repeat(100)}`])).toThrow(`unexpected argument "b\\u2028${'z'.repeat(38)}…"`);
    expect(() => inputFromWords(op, ['1', '-\u001b[31m'])).toThrow('unknown option "-\\u001b[31m"');
  });
});

describe('repeated options', () => {
  const tag = defineOperation({
    id: 'demo.tag', summary: 'tag', args: ['names'],
    input: z.object({ names: z.array(z.string()), domains: commaList(z.string().describe('domains, comma-separated')).optional(), ttl: z.number().int().optional(), on: z.boolean().default(false) }),
    risk: 'read', run: async () => 1,
  }) as unknown as AnyOperation;

  it('adds up a list option\'s repeats, comma lists and repeats alike (and a positional\'s words)', () => {
    expect(parsed(tag, ['a', '--names', 'b,c', '--names=d'])).toMatchObject({ names: ['a', 'b', 'c', 'd'] });
    expect(parsed(tag, ['a', '--domains', 'x.lan', '--domains', 'y.lan,z.lan'])).toMatchObject({ domains: 'x.lan,y.lan,z.lan' });
    const update = registry.get('proxy.update') as AnyOperation;
    expect(parsed(update, ['auditA.home.lan', '--domains', 'auditA.home.lan', '--domains', 'auditB.home.lan'])).toMatchObject({ domains: ['audita.home.lan', 'auditb.home.lan'] });
    // pve set's --tags is a comma list too: its repeats add up as --domains' do.
    const set = registry.get('pve.set') as AnyOperation;
    expect(parsed(set, ['105', '--tags', 'web', '--tags', 'prod,db'])).toMatchObject({ vmid: 105, tags: 'web,prod,db' });
  });

  it('refuses any other option given twice with different values, naming it (exit 2)', () => {
    const refusal = (o: AnyOperation, words: string[]): unknown => { try { inputFromWords(o, words); } catch (err) { return err; } return undefined; };
    expect(refusal(tag, ['a', '--ttl', '60', '--ttl=300'])).toMatchObject({ exitCode: 2, message: '--ttl is given twice with different values: give it once' });
    expect(refusal(registry.get('updates.check') as AnyOperation, ['--target', 'blackhole', '--target', 'closed', '--target', 'dns'])).toMatchObject({ exitCode: 2, message: '--target is given twice with different values: give it once' });
    expect(refusal(status, ['105', '--vmid', '106'])).toMatchObject({ exitCode: 2, message: 'vmid is given twice with different values, as an argument and as --vmid: give it once' });
    // The same thing said again is harmless.
    expect(parsed(tag, ['a', '--ttl', '60', '--ttl=60'])).toMatchObject({ ttl: 60 });
    expect(parsed(status, ['105', '--vmid', '105'])).toEqual({ vmid: 105 });
  });

  it('takes a switch said twice the same way, and refuses it said both ways', () => {
    expect(parsed(tag, ['a', '--on', '--on=yes'])).toMatchObject({ on: true });
    // The refusal names the two words as typed, never a --no-on nobody wrote.
    expect(() => inputFromWords(tag, ['a', '--on=true', '--on=false'])).toThrow(new UsageError('--on=true and --on=false contradict each other: give one'));
    expect(() => inputFromWords(tag, ['a', '--on', '--on=0'])).toThrow(new UsageError('--on and --on=0 contradict each other: give one'));
    expect(() => inputFromWords(tag, ['a', '--on=YES', '--on=no'])).toThrow(new UsageError('--on=YES and --on=no contradict each other: give one'));
    expect(() => inputFromWords(registry.get('pve.set') as AnyOperation, ['105', '--onboot=true', '--onboot=false'])).toThrow(new UsageError('--onboot=true and --onboot=false contradict each other: give one'));
    // --no-x and --x=<word> compare what they mean: both off (or both on) is the same said twice.
    for (const same of [['--no-on', '--on=false'], ['--on=no', '--no-on'], ['--no-on', '--on=0', '--no-on']]) {
      expect(parsed(tag, ['a', ...same]), same.join(' ')).toMatchObject({ on: false });
    }
    for (const [both, message] of [[['--no-on', '--on=true'], '--no-on and --on=true'], [['--on=yes', '--no-on'], '--on=yes and --no-on'], [['--no-on', '--on=false', '--on'], '--no-on and --on']] as const) {
      expect(() => inputFromWords(tag, ['a', ...both]), both.join(' ')).toThrow(new UsageError(`${message} contradict each other: give one`));
    }
    // A word no switch takes is refused as such, beside --no-on too.
    for (const both of [['--no-on', '--on=maybe'], ['--on=maybe', '--no-on']]) {
      expect(() => inputFromWords(tag, ['a', ...both]), both.join(' ')).toThrow(new UsageError('--on is a switch: write --on or --no-on (or =true, =false)'));
    }
    expect(parsed(registry.get('pve.start') as AnyOperation, ['105', '--no-wait', '--wait=false'])).toEqual({ vmid: 105, wait: false });
    // An option that takes a value is no switch: its --no- form is unknown, whichever comes first.
    const dnsAdd = registry.get('dns.add') as AnyOperation;
    for (const words of [['rvtest', '10.5.0.99', '--ttl', '0', '--no-ttl'], ['rvtest', '10.5.0.99', '--no-ttl', '--ttl', '0'], ['rvtest', '10.5.0.99', '--ttl=0', '--no-ttl']]) {
      expect(() => inputFromWords(dnsAdd, words), words.join(' ')).toThrow('unknown option --no-ttl for dns add');
    }
    // Global switches: the last wins (a later word turns off what an alias put first).
    expect(inputFromWords(tag, ['a', '--json', '--json=false']).flags.has('json')).toBe(false);
  });

  it('the daemons\' splitWords refuses a value flag repeated with another value too', () => {
    expect(() => splitWords(['--port', '1', '--port', '2'], (n) => n === 'port')).toThrow('--port is given twice with different values: give it once');
    expect(() => splitWords(['--port=1', '--port=0'], { takesValue: (n) => n === 'port' })).toThrow('--port is given twice with different values');
    expect(splitWords(['--port=1', '--port', '1'], (n) => n === 'port').flags.get('port')).toBe('1');
  });
});

describe('unknown options come first', () => {
  it('names an unknown option followed by a value, not the value as an unexpected argument', () => {
    expect(() => inputFromWords(registry.get('pve.list') as AnyOperation, ['--timeout', '2'])).toThrow('unknown option --timeout for pve list');
    expect(() => inputFromWords(registry.get('dns.add') as AnyOperation, ['c1', '10.5.0.91', '--comment', 'hi', '--tll', '300'])).toThrow('unknown option --tll for dns add');
    expect(() => inputFromWords(op, ['1', '--bogus=1', '--bogus=2'])).toThrow('unknown option --bogus for demo do');
    // An unexpected argument with only known options is still that.
    expect(() => inputFromWords(op, ['1', 'a', 'b', '--no-wait'])).toThrow('unexpected argument "b"');
  });

  it.each([
    [['--jsn'], 'unknown option --jsn for pve list (did you mean --json?)'],
    [['--stauts', 'running'], 'unknown option --stauts for pve list (did you mean --status?)'],
    [['-j'], 'unknown option -j for pve list (did you mean --json?)'],
    [['-jsn'], 'unknown option -jsn for pve list (did you mean --json?)'],
    [['-q'], 'unknown option -q for pve list'],
    [['--frobnicate'], 'unknown option --frobnicate for pve list'],
  ])('pve list %j: names the command and the option a typo is close to, with its help', (words, message) => {
    let caught: unknown;
    try { inputFromWords(registry.get('pve.list') as AnyOperation, words); } catch (err) { caught = err; }
    expect(caught).toBeInstanceOf(UsageError);
    expect([(caught as UsageError).message, (caught as UsageError).hint]).toEqual([message, 'see: homelab pve list --help']);
  });

  it('offers a switch\'s --no- form for a typo of it', () => {
    expect(() => inputFromWords(op, ['1', '--no-wiat'])).toThrow('unknown option --no-wiat for demo do (did you mean --no-wait?)');
    expect(() => inputFromWords(op, ['1', '--max-cuont', '2'])).toThrow('unknown option --max-cuont for demo do (did you mean --max-count?)');
  });
});
