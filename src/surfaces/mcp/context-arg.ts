/**
 * @module surfaces/mcp/context-arg
 * The optional `context` argument every tool takes (several labs, `core/lab-set`): the
 * tool's JSON Schema gains it with the names the config defines, and a call's arguments
 * give it up before the operation's own schema sees them. Without it, a call runs in the
 * server's home context (the one it was started in).
 */
import { UsageError } from '../../core/errors.js';
import type { ToolDefinition } from './exposure.js';

/** The tool definition with the `context` property added (kept out of `required`). */
export function withContextProperty(tool: ToolDefinition, names: readonly string[], home: string): ToolDefinition {
  const properties = (tool.inputSchema.properties ?? {}) as Record<string, unknown>;
  if ('context' in properties) return tool;
  const context = {
    type: 'string',
    enum: [...names],
    description: `the lab (context) to run in; default ${home}. Contexts: ${names.join(', ')}`,
  };
  return { ...tool, inputSchema: { ...tool.inputSchema, properties: { ...properties, context } } };
}

/** A call's arguments without `context`, and the context it named (undefined: the home one). */
export function takeContextArg(args: Record<string, unknown>): { context?: string; args: Record<string, unknown> } {
  if (!('context' in args)) return { args };
  const { context, ...rest } = args;
  if (context === undefined) return { args: rest };
  if (typeof context !== 'string' || !context) throw new UsageError('context must be the name of a context (a string)');
  return { context, args: rest };
}
