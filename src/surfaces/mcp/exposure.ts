/**
 * @module surfaces/mcp/exposure
 * Which operations the MCP server offers, and how each becomes a tool. Generated from
 * the registry, never written per tool: the name is the id with dots turned into
 * underscores, the description is the summary, the input schema is the zod input as
 * JSON Schema. The server is read-only unless started with `--allow change` (adds
 * change operations) or `--allow danger` (adds destructive ones, and change ones).
 * Inputs are strict: an argument a tool does not take is refused by name. Descriptions say
 * things in the tool's terms, not the command line's (`terms.ts`), and a plan tool asks the
 * agent to pass the digest of the plan it read (`planDigest`).
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { isPlanOperation } from '../../core/confirmation.js';
import { isOfferedOn, type AnyOperation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import { isAllowed, type AllowLevel } from '../shared/allow-level.js';
import { labCommandWord } from '../shared/command-words.js';
import { pageable, pageProperties } from './paging.js';
import { stdinInputs } from './stdin-inputs.js';
import { mcpDescription, operationWords, type OperationWords } from './terms.js';

/** The MCP tool name of an operation: `pve.start` → `pve_start`. */
export function toolName(op: AnyOperation): string {
  return op.id.replace(/\./g, '_');
}

/** A tool as listed to clients (the MCP `Tool` shape). */
export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  /** `idempotentHint` is meaningful only when `readOnlyHint` is false (the MCP spec): the inbox's marking says it. */
  annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint?: boolean; openWorldHint: boolean };
}

/**
 * The JSON Schema of an operation's input, as a client must send it. Inputs the command
 * line alone takes (`cliOnlyInputs`: a path on the hub's disk) are left out: the operation
 * refuses them from any other surface, so offering them would only invite a refusal. An
 * input the command line reads from stdin when absent is required (`stdin-inputs.ts`), and
 * a tool whose operation lists something takes the server's `limit` and `offset` (`paging.ts`).
 */
export function inputJsonSchema(op: AnyOperation, words: OperationWords = operationWords([op])): ToolDefinition['inputSchema'] {
  const schema = z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete schema.$schema;
  const cliOnly = new Set(op.cliOnlyInputs ?? []);
  const fromStdin = stdinInputs(op);
  if (typeof schema.properties === 'object' && schema.properties !== null) {
    schema.properties = Object.fromEntries(Object.entries(schema.properties).filter(([key]) => !cliOnly.has(key)).map(([key, property]) => [key, described(property, op, words)]));
    const required = Array.isArray(schema.required) ? schema.required.map(String).filter((key) => !cliOnly.has(key)) : [];
    const all = [...required, ...fromStdin.filter((key) => !required.includes(key))];
    if (all.length) schema.required = all;
    else delete schema.required;
  }
  if (pageable(op)) schema.properties = { ...(schema.properties as Record<string, unknown> | undefined), ...pageProperties };
  // Arguments the tool does not take are refused (rejectUnknownArguments), never ignored: say so in the schema too.
  return { ...schema, type: 'object', additionalProperties: false };
}

/** A property's JSON Schema with its description in the tool's terms. */
function described(property: unknown, op: AnyOperation, words: OperationWords): unknown {
  if (property === null || typeof property !== 'object') return property;
  // `stdin: true` is the schema's mark for stdin-inputs.ts, not a JSON Schema keyword.
  const { stdin: _mark, ...p } = property as { description?: unknown; stdin?: unknown };
  return typeof p.description === 'string' ? { ...p, description: mcpDescription(p.description, op, words) } : p;
}

/** What a plan tool says of `planDigest`: the guard of a caller that is never asked to confirm. */
function planDigestNote(op: AnyOperation): string {
  const from = op.id === 'apply' ? 'of plan, or of this tool with dryRun: true' : 'of this tool with dryRun: true';
  return `Pass planDigest: the digest of the plan you read (\`digest\` in the structured content ${from}). Then only that plan runs: `
    + 'when the plan changed since it was read, the call is refused and changes nothing; read it again.';
}

/**
 * Refuses a call whose arguments name keys the operation does not take (a typo such as
 * `websocket` for `websockets`, or another tool's flag such as `noMonitor`): a UsageError
 * naming them, and every argument the tool does take (its own, `limit` and `offset` when it
 * pages, `context`). Ignoring them would run something other than what the agent asked for.
 * `context`, `limit` and `offset` are taken off before this is asked.
 */
export function rejectUnknownArguments(op: AnyOperation, args: Record<string, unknown>): void {
  const shape = op.input.shape as Record<string, unknown>;
  const unknown = Object.keys(args).filter((key) => !Object.hasOwn(shape, key));
  if (!unknown.length) return;
  const cliOnly = new Set(op.cliOnlyInputs ?? []);
  const own = Object.keys(shape).filter((key) => !cliOnly.has(key));
  // An operation that reads less for a window (Operation.page) has limit and offset of its own: named once.
  const takes = [...new Set([...own, ...(pageable(op) ? Object.keys(pageProperties) : []), ...(own.includes('context') ? [] : ['context'])])];
  throw new UsageError(`${op.id.replace(/\./g, ' ')}: unknown argument${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; it takes ${takes.join(', ')}`);
}

/**
 * The tool definition of an operation. `words` finds the tools that `homelab …` in its text
 * names (`terms.ts`); only this one's when not given.
 */
export function toolDefinition(op: AnyOperation, words: OperationWords = operationWords([op])): ToolDefinition {
  const title = op.id.replace(/\./g, ' ');
  const risk = op.risk === 'read' ? '' : op.risk === 'change' ? ' (changes state)' : ' (destructive)';
  const parts = [
    `${mcpDescription(op.summary, op, words)}${risk}`,
    ...(op.description ? [mcpDescription(op.description, op, words)] : []),
    ...(op.needsOneOf ? [`Give at least one of: ${op.needsOneOf.join(', ')}.`] : []),
    ...('planDigest' in op.input.shape ? [planDigestNote(op)] : []),
  ];
  return {
    name: toolName(op),
    title,
    description: parts.filter(Boolean).join('\n\n'),
    inputSchema: inputJsonSchema(op, words),
    annotations: {
      title,
      readOnlyHint: op.risk === 'read',
      // A plan operation (apply, expose) may update and delete what homelab manages: confirmed like a danger run.
      destructiveHint: op.risk === 'danger' || (op.risk === 'change' && isPlanOperation(op)),
      openWorldHint: true,
    },
  };
}

/** The operations of the registry, by tool name, split into offered and withheld. */
export interface Exposure {
  allow: AllowLevel;
  /** Offered tools: listed and callable. */
  offered: Map<string, AnyOperation>;
  /** Every operation by tool name, to say why a withheld one is refused. */
  all: Map<string, AnyOperation>;
  /** Finds the tool `homelab <words>` names in a message (`terms.ts`). */
  words: OperationWords;
  /** Whether `homelab <word>` names one of homelab's commands (a service, an operation, a CLI command but `context`), offered on MCP or not (`shared/command-words`). */
  commandWord: (word: string) => boolean;
}

/** Works out what a server started with `allow` offers. */
export function exposure(registry: Registry, allow: AllowLevel): Exposure {
  const all = new Map<string, AnyOperation>();
  const offered = new Map<string, AnyOperation>();
  for (const op of registry.all()) {
    if (!isOfferedOn(op, 'mcp')) continue;
    const name = toolName(op);
    all.set(name, op);
    if (isAllowed(op.risk, allow)) offered.set(name, op);
  }
  return { allow, offered, all, words: operationWords(all.values()), commandWord: labCommandWord(registry) };
}
