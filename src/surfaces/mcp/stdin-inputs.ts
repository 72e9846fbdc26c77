/**
 * @module surfaces/mcp/stdin-inputs
 * Inputs the command line reads from stdin when they are absent (`telegram send`'s `text`:
 * `df -h | homelab telegram send`), marked in the operation's schema with zod metadata
 * `.meta({ stdin: true })`. An MCP server has no stdin to give (its stdin is the protocol),
 * so over MCP such an input is required: listed in the tool's `required`, and a call
 * without it is refused by name before anything runs.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import type { AnyOperation } from '../../core/operation.js';

/** Whether a field's schema (or the one it wraps as optional) carries `stdin: true`. */
function readsStdin(schema: unknown): boolean {
  for (let s = schema; s instanceof z.ZodType; s = s instanceof z.ZodOptional || s instanceof z.ZodDefault ? s.unwrap() : undefined) {
    if (z.globalRegistry.get(s)?.stdin === true) return true;
  }
  return false;
}

/** The input keys of `op` the command line reads from stdin when absent. */
export function stdinInputs(op: AnyOperation): string[] {
  return Object.entries(op.input.shape as Record<string, unknown>).filter(([, schema]) => readsStdin(schema)).map(([key]) => key);
}

/** Refuses arguments that leave out an input the command line would read from stdin (a UsageError naming it). */
export function missingStdinInputs(op: AnyOperation, args: unknown): void {
  const given = args !== null && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  const missing = stdinInputs(op).filter((key) => given[key] === undefined);
  if (missing.length) throw new UsageError(`${op.id.replace(/\./g, ' ')}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required (there is no stdin to read ${missing.length === 1 ? 'it' : 'them'} from)`);
}
