/**
 * Property tests of the bot's command-line parsing (message text → command line →
 * route), over every operation offered on Telegram: any text gives a route or a usage
 * error whose reply is one clear line (plus the usage), and every valid input, written
 * with any quoting, spacing, alias, letter case or `@bot` suffix the bot reads, comes
 * back as the same operation input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HomelabError } from '../../src/core/errors.js';
import { parseInput } from '../../src/core/invoke.js';
import { isOfferedOn } from '../../src/core/operation.js';
import { getRegistry } from '../../src/services/index.js';
import { parseCommandLine, tokenize } from '../../src/surfaces/telegram/command-line.js';
import { errorHtml } from '../../src/surfaces/telegram/errors.js';
import { pingHost } from '../../src/surfaces/telegram/ping.js';
import { route } from '../../src/surfaces/telegram/router.js';
import { expectUsageError, junkWords } from './junk.js';
import { quoteForBot, wordsArbitrary } from './render.js';
import { freeText, inputArbitrary } from './zod-arbitrary.js';

const registry = getRegistry();
const ops = registry.all().filter((op) => isOfferedOn(op, 'telegram'));
const names = [...new Set([...registry.services.flatMap((s) => [s.name, ...(s.aliases ?? [])]), ...ops.map((op) => op.id.split('.')[0] as string)])].filter(Boolean);

/** Routes `text` as the bot does; a refusal must be a usage error that replies in one clear line. */
export function routeOrRefuse(text: string): ReturnType<typeof route> | undefined {
  const line = parseCommandLine(text);
  if (!line) return undefined;
  try {
    const r = route(registry, line);
    if (r.kind === 'ping') pingHost(r.words);
    return r;
  } catch (err) {
    if (!(err instanceof HomelabError)) throw err;
    expectUsageError(err);
    const reply = errorHtml(err).split('\n');
    expect(reply[0]).toMatch(/^⚠️ \S/);
    expect(reply.length).toBeLessThanOrEqual(2);
    expect(reply.join('\n')).not.toContain('unexpected error');
    return undefined;
  }
}

const space = fc.constantFrom(' ', '  ', '\n', '\t', ' \u00a0');

describe('bot command lines (property)', () => {
  it('tokenizes any text; without quotes, words are what whitespace separates', () => {
    const unquoted = fc.string({ unit: 'grapheme', maxLength: 200 }).map((t) => t.replace(/["'\u201c\u201d\u2018\u2019]/g, ''));
    fc.assert(
      fc.property(unquoted, fc.string({ unit: 'binary', maxLength: 300 }), (plain, text) => {
        expect(tokenize(plain)).toEqual(plain.split(/\s+/).filter(Boolean).map((w) => w.replace(/^[\u2014\u2013]/, '--')));
        for (const w of tokenize(text)) expect(text.includes(w) || w.startsWith('--')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('tokenizes huge text with unclosed quotes in linear time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50_000, max: 100_000 }), fc.constantFrom('\u201c ', '\u2018x ', '"\u2018 '), (n, unit) => {
        expect(tokenize(unit.repeat(n)).length).toBeGreaterThanOrEqual(n / 2);
      }),
      { numRuns: 5 },
    );
  });

  it('routes any message or refuses it with one clear line', () => {
    const command = fc.tuple(
      fc.oneof(fc.constantFrom(...names, 'help', 'start', 'ping', 'status', 'pbs', 'PVE', 'Dns'), fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/)),
      fc.option(fc.constantFrom('@homelab_bot', '@x', '@other_bot'), { nil: '' }),
      fc.constantFrom(...ops).chain(junkWords),
      fc.array(space, { minLength: 12, maxLength: 12 }),
    ).map(([name, bot, words, gaps]) => `/${name}${bot}${words.map((w, i) => `${gaps[i % gaps.length]}${w}`).join('')}`);
    fc.assert(
      fc.property(fc.oneof({ arbitrary: command, weight: 4 }, freeText, fc.string({ unit: 'binary', maxLength: 500 }).map((t) => `/${t}`)), (text) => {
        routeOrRefuse(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('reads /pbs with switches only as /pbs status', () => {
    for (const [text, json] of [['/pbs', false], ['/pbs --json', true], ['/pbs --json=false', false], ['/pbs --no-json', false]] as const) {
      expect(routeOrRefuse(text), text).toMatchObject({ kind: 'run', op: { id: 'pbs.status' }, json });
    }
    expect(routeOrRefuse('/pbs --help')).toMatchObject({ kind: 'reply' });
    expect(() => route(registry, parseCommandLine('/pbs --bogus') as NonNullable<ReturnType<typeof parseCommandLine>>)).toThrow('unknown option --bogus for pbs status');
  });

  it('names a bad value by the option the user wrote, as the CLI does', () => {
    expect(() => route(registry, parseCommandLine('/pve clone 9000 --ssh-key nonsense') as NonNullable<ReturnType<typeof parseCommandLine>>)).toThrow(/^pve clone: --ssh-key: /);
  });

  it.each(ops.map((op) => [op.id, op] as const))('round-trips valid input of /%s', (_id, op) => {
    const [first, ...verb] = op.id.split('.') as [string, ...string[]];
    const aliases = registry.service(first)?.aliases ?? [];
    const cases = inputArbitrary(op).chain((input) => fc.record({
      input: fc.constant(input),
      rendered: wordsArbitrary(op, input),
      name: fc.constantFrom(first, first.toUpperCase(), ...aliases),
      bot: fc.constantFrom('', '@homelab_bot'),
      gaps: fc.array(space, { minLength: 8, maxLength: 8 }),
      pick: fc.nat(),
    }));
    fc.assert(
      fc.property(cases, ({ input, rendered, name, bot, gaps, pick }) => {
        const quoted = [...verb, ...rendered.words].map((w, i) => quoteForBot(w, pick + i));
        fc.pre(quoted.every((w) => w !== undefined));
        const text = `/${name}${bot}${quoted.map((w, i) => `${gaps[i % gaps.length]}${w}`).join('')}`;
        const r = routeOrRefuse(text);
        expect(r, text).toMatchObject({ kind: 'run', json: rendered.json });
        expect(r?.kind === 'run' && r.op.id).toBe(op.id);
        expect(r?.kind === 'run' && r.input).toEqual(parseInput(op, input));
      }),
      { numRuns: 30 },
    );
  });
});
