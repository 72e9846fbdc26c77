/**
 * The bot reads a command's words as the CLI does (core/args), and `/start` as Telegram
 * sends it: an unknown option is named before a stray word, a list option's repeats add
 * up, any other option given twice is refused, and `/start` with a deep link's payload is
 * the overview, as `/start` alone is.
 */
import { describe, expect, it } from 'vitest';
import { getRegistry } from '../../../src/services/index.js';
import { parseCommandLine } from '../../../src/surfaces/telegram/command-line.js';
import { route, type Route } from '../../../src/surfaces/telegram/router.js';

const registry = getRegistry();

/** The route of a message, or the message of the usage error it gives. */
function routed(text: string): Route | string {
  const line = parseCommandLine(text);
  if (!line) throw new Error(`not a command: ${text}`);
  try {
    return route(registry, line);
  } catch (err) {
    return (err as Error).message;
  }
}

describe('the bot\'s words', () => {
  it('names an unknown option followed by a value', () => {
    expect(routed('/pve list --timeout 2')).toBe('unknown option --timeout for pve list');
    expect(routed('/dns add c1 10.5.0.91 --comment hi --tll 300')).toBe('unknown option --tll for dns add (did you mean --ttl?)');
  });

  it('adds up a list option\'s repeats and refuses any other option given twice', () => {
    expect(routed('/proxy update auditA.home.lan --domains auditA.home.lan --domains auditB.home.lan')).toMatchObject({ kind: 'run', input: { domains: ['audita.home.lan', 'auditb.home.lan'] } });
    expect(routed('/updates check --target blackhole --target closed --target dns')).toBe('--target is given twice with different values: give it once');
  });

  it('answers /start with a deep link\'s payload as /start, and /help <service> with its help', () => {
    const start = routed('/start');
    expect(start).toMatchObject({ kind: 'reply' });
    expect(routed('/start payload123')).toEqual(start);
    expect(routed('/start pve')).toEqual(start);
    expect(routed('/help pve')).not.toEqual(start);
    expect(routed('/help payload123')).toBe('no service named payload123');
  });
});
