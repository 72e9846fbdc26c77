/**
 * @module audit/input-summary
 * An audit row's input in one short line, as `homelab audit` and the dashboard's audit
 * page both show it: `key=value` pairs in the input's order, a switch that is on as its key
 * alone (`wait`), one that is off as `key=false` (`onboot=false`: a setting turned off is a
 * change, never left out) unless off is its default (the row's `defaultOff`, recorded when it
 * was written: `dns add`'s `ptr=false replace=false` say nothing and are left out), objects
 * and arrays as JSON, cut to `max` characters with `…` between graphemes (`core/text-head`: an
 * emoji kept or dropped whole, never half of one shown as `�`). A row written before `defaultOff`
 * was recorded shows every switch. The row's input is already redacted when it is stored;
 * the caller redacts again where it shows text of its own.
 */
import { textHead } from '../core/text-head.js';

/**
 * The input of an audit row as one line of at most `max` characters; `defaultOff`: the keys
 * of switches that are off by their default, left out while they are off.
 */
export function summariseInput(input: Record<string, unknown>, max: number, defaultOff: readonly string[] = []): string {
  const line = Object.entries(input)
    .filter(([k, v]) => v !== undefined && !(v === false && defaultOff.includes(k)))
    .map(([k, v]) => (v === true ? k : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`))
    .join(' ');
  return line.length > max ? `${textHead(line, max - 1)}…` : line;
}

/** The switches of `input` that are off because off is their default (`fields`: the operation's, with their schema defaults). */
export function offByDefault(input: Record<string, unknown>, fields: readonly { key: string; defaultValue?: unknown }[]): string[] {
  return fields.filter((f) => f.defaultValue === false && input[f.key] === false).map((f) => f.key);
}
