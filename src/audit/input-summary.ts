/**
 * @module audit/input-summary
 * An audit row's input in one short line, as `homelab audit` and the dashboard's audit
 * page both show it: `key=value` pairs in the input's order, a switch that is on as its key
 * alone (`wait`), one that is off as `key=false` (`onboot=false`: a setting turned off is a
 * change, never left out), objects and arrays as JSON, cut to `max` characters with `…`.
 * The row's input is already redacted when it is stored; the caller redacts again where
 * it shows text of its own.
 */

/** The input of an audit row as one line of at most `max` characters. */
export function summariseInput(input: Record<string, unknown>, max: number): string {
  const line = Object.entries(input)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === true ? k : `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`))
    .join(' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
