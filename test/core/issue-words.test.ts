/**
 * zod's default messages are worded as homelab words every other refusal, naming what was
 * wrong as the surface spells it (`--minutes must be at most 60`, never `Too big: expected
 * number to be <=60`), on the command line and beside a web form's field; a schema's own
 * message is kept as it is, the key it starts with said as the surface spells it (the CLI
 * and the bot: `--limit must be an integer from 1 to 1000`; MCP: `limit …`).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inputFromWords, wordName } from '../../src/core/args.js';
import { UsageError } from '../../src/core/errors.js';
import { describeInputIssues, parseInput } from '../../src/core/invoke.js';
import { defineOperation, type AnyOperation } from '../../src/core/operation.js';
import { getRegistry } from '../../src/services/index.js';
import { parseCommandLine } from '../../src/surfaces/telegram/command-line.js';
import { route } from '../../src/surfaces/telegram/router.js';
import { checkForm } from '../../src/surfaces/web/form-check.js';

const registry = getRegistry();

/** The refusal `homelab <id> <words…>` gives before anything is sent. */
function refusal(id: string, words: string[]): string {
  const op = registry.get(id) as AnyOperation;
  try {
    parseInput(op, inputFromWords(op, words).input, wordName(op));
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${id} ${words.join(' ')} was taken`);
}

/** describeInputIssues of `schema` refusing `value`. */
function issuesOf(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('taken');
  return describeInputIssues(parsed.error, (key) => `--${key}`);
}

describe("zod's default messages in homelab's words", () => {
  it('says the limits and choices of real operations as homelab does', () => {
    expect(refusal('kuma.add.http', ['x'.repeat(300), 'https://a.example'])).toBe('kuma add http: name must be at most 150 characters');
    expect(refusal('beszel.system', ['pbs', '--minutes', '61'])).toBe('beszel system: --minutes must be at most 60');
    expect(refusal('kuma.add.port', ['db', '10.0.0.5', '70000'])).toBe('kuma add port: port must be at most 65535');
    expect(refusal('pve.list', ['--status', 'paused'])).toBe('pve list: --status must be one of running, stopped');
  });

  it('names the flag as typed in a limit the schema words itself, on the CLI and the bot; the parameter on MCP', () => {
    expect(refusal('pve.tasks', ['--limit', '0'])).toBe('pve tasks: --limit must be an integer from 1 to 1000');
    expect(refusal('pbs.tasks', ['--limit', '0'])).toBe('pbs tasks: --limit must be an integer from 1 to 1000');
    expect(refusal('audit', ['--limit', '0'])).toBe('audit: --limit must be an integer from 1 to 10000');
    expect(refusal('check', ['--concurrency', '0'])).toBe('check: --concurrency must be an integer from 1 to 64');
    expect(refusal('proxy.audit', ['--limit', '0'])).toBe('proxy audit: --limit must be at least 1');
    // A message naming the key as its flag (`access-list` for accessList), and a positional, as typed.
    expect(refusal('proxy.add', ['a.home.lan', '10.5.0.1:80', '--access-list', 'x'])).toBe('proxy add: --access-list must be an access list id');
    expect(refusal('pve.status', ['5'])).toBe('pve status: vmid must be an integer from 100 to 999999999');
    // The bot reads words as the CLI does (telegram/router); MCP names its parameters by their keys.
    const line = parseCommandLine('/pve tasks --limit 0');
    if (!line) throw new Error('not a command');
    expect(() => route(registry, line)).toThrow('pve tasks: --limit must be an integer from 1 to 1000');
    expect(() => parseInput(registry.get('pve.tasks') as AnyOperation, { limit: 0 })).toThrow('pve tasks: limit must be an integer from 1 to 1000');
    expect(() => parseInput(registry.get('proxy.add') as AnyOperation, { domains: 'a.home.lan', target: '10.5.0.1:80', accessList: 'x' })).toThrow(/: accessList must be an access list id$/);
  });

  it('names another key a message compares with as the surface spells it too: flags on the CLI and the bot, parameters on MCP', () => {
    const why = '(an error is a warning that came closer)';
    expect(refusal('check', ['--cert-error-days', '20', '--cert-warn-days', '10'])).toBe(`check: --cert-error-days must not be more than --cert-warn-days ${why}`);
    const line = parseCommandLine('/check --cert-error-days 20 --cert-warn-days 10');
    if (!line) throw new Error('not a command');
    expect(() => route(registry, line)).toThrow(`check: --cert-error-days must not be more than --cert-warn-days ${why}`);
    expect(() => parseInput(registry.get('check') as AnyOperation, { certErrorDays: 20, certWarnDays: 10 })).toThrow(`check: certErrorDays must not be more than certWarnDays ${why}`);
    expect(checkForm(registry.get('check') as AnyOperation, { certErrorDays: 20, certWarnDays: 10 })).toEqual({ ok: false, errors: { certErrorDays: `cert-error-days must not be more than cert-warn-days ${why}` } });
    // Only a key in braces: other text is kept as written.
    expect(issuesOf(z.object({ n: z.number().max(1, 'n must be {m} or less, not {x y}') }), { n: 2 })).toBe('--n must be --m or less, not {x y}');
  });

  it('words each kind of default issue, and keeps a schema\'s own message', () => {
    expect(issuesOf(z.object({ n: z.number().min(1) }), { n: 0 })).toBe('--n must be at least 1');
    expect(issuesOf(z.object({ n: z.number().positive() }), { n: 0 })).toBe('--n must be more than 0');
    expect(issuesOf(z.object({ n: z.number().lt(5) }), { n: 5 })).toBe('--n must be less than 5');
    expect(issuesOf(z.object({ n: z.number() }), { n: 'big' })).toBe('--n must be a number');
    expect(issuesOf(z.object({ n: z.int() }), { n: 1.5 })).toBe('--n must be a whole number');
    expect(issuesOf(z.object({ s: z.string() }), {})).toBe('--s is required');
    expect(issuesOf(z.object({ s: z.string().min(1) }), { s: '' })).toBe('--s must not be empty');
    expect(issuesOf(z.object({ s: z.string().min(3) }), { s: 'ab' })).toBe('--s must be at least 3 characters');
    expect(issuesOf(z.object({ l: z.array(z.string()).max(2) }), { l: ['a', 'b', 'c'] })).toBe('--l must have at most 2 items');
    expect(issuesOf(z.object({ k: z.literal('yes') }), { k: 'no' })).toBe('--k must be yes');
    // A schema's own message, even one on the same kinds of check, is said as the schema says it,
    // the key it starts with named as the surface spells it.
    expect(issuesOf(z.object({ n: z.number().max(9, 'n must be a single digit') }), { n: 10 })).toBe('--n must be a single digit');
    expect(issuesOf(z.object({ n: z.number().max(9, 'too big, sorry') }), { n: 10 })).toBe('--n: too big, sorry');
    expect(issuesOf(z.object({ c: z.enum(['a', 'b'], { error: 'pick a or b' }) }), { c: 'z' })).toBe('--c: pick a or b');
    expect(issuesOf(z.object({ n: z.number({ error: 'n must be a count' }) }), { n: 'x' })).toBe('--n must be a count');
    expect(issuesOf(z.object({ n: z.number({ error: 'nodes must be a count' }) }), { n: 'x' })).toBe('--n: nodes must be a count');
  });

  it('leaves alone what it cannot word well, and never throws on an odd issue', () => {
    // A type it has no words for, and a date's limit (an epoch number), stay zod's.
    expect(issuesOf(z.object({ r: z.record(z.string(), z.string()) }), { r: 1 })).toBe('--r: Invalid input: expected record, received number');
    expect(issuesOf(z.object({ d: z.date().max(new Date(0)) }), { d: new Date(1000) })).toMatch(/^--d: Too big: expected date to be <=/);
    // A too_big issue added by hand without its bound: kept as written.
    const odd = z.object({ n: z.number() }).superRefine((_v, ctx) => ctx.addIssue({ code: 'too_big', message: 'weird', origin: 'number' } as never));
    expect(issuesOf(odd, { n: 1 })).toBe('weird');
  });

  it('beside a web form field too', () => {
    const op = defineOperation({
      id: 'demo.form', summary: 'form', risk: 'change', run: async () => 'ok',
      input: z.object({ name: z.string().max(5), size: z.number().max(60), tags: z.array(z.string()).optional(), kind: z.enum(['a', 'b']) }),
    }) as unknown as AnyOperation;
    const checked = checkForm(op, { name: 'toolong', size: 61, tags: ['x', 3], kind: 'c' });
    expect(checked).toEqual({ ok: false, errors: { name: 'Must be at most 5 characters', size: 'Must be at most 60', tags: '1 must be text', kind: 'Must be one of a, b' } });
    expect(checkForm(op, { size: 1, kind: 'a' })).toEqual({ ok: false, errors: { name: 'Required' } });
  });
});
