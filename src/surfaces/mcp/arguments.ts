/**
 * @module surfaces/mcp/arguments
 * A tool call's `arguments` as the tools read them: an object (absent: none). tools/call takes
 * arguments of any JSON type (`server.ts`), so one that is not an object (`null`, `[101]`,
 * `"vmid=101"`) is refused here, once for every tool, as a usage error an agent can read.
 */
import { UsageError } from '../../core/errors.js';

/** The arguments of a call as an object (`{}` when absent); a UsageError when they are not one. */
export function callArguments(args: unknown): Record<string, unknown> {
  if (args === undefined) return {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) throw new UsageError('arguments must be an object');
  return args as Record<string, unknown>;
}
