/**
 * @module core/invoke
 * The single path from a surface to an operation: validate the input with the
 * operation's schema (a UsageError naming the bad key, nothing sent), run it, and tell
 * the hooks (the audit log) before and after. Every surface calls `invoke`; none calls
 * `op.run` directly.
 */
import type { z } from 'zod';
import { UsageError, toHomelabError } from './errors.js';
import { keyNamedAt, keysNamed, plainIssueWords } from './issue-words.js';
import { withProgress } from './progress-scope.js';
import { isOfferedOn, type AnyOperation, type OpContext } from './operation.js';

/** Observes operation runs (the audit log). `before` may return a token passed to `after`. */
export interface InvokeHook {
  before?(op: AnyOperation, input: Record<string, unknown>, ctx: OpContext): unknown;
  after?(token: unknown, outcome: { ok: boolean; error?: string; durationMs: number }): void;
}

const hooks: InvokeHook[] = [];

/** Adds a hook called around every operation run; returns a function that removes it. */
export function addInvokeHook(hook: InvokeHook): () => void {
  hooks.push(hook);
  return () => {
    const i = hooks.indexOf(hook);
    if (i >= 0) hooks.splice(i, 1);
  };
}

/**
 * Formats zod issues as one line: `vmid: must be …; name must be at most 150 characters`
 * (zod's default messages worded as homelab words them: core/issue-words). `name` shows a key as the
 * surface spells it (the CLI: `--ssh-key` for `sshKey`), in a schema's own message that starts
 * with the key too (`limit must be an integer from 1 to 1000` → `--limit must be …`). A message is said once: a schema
 * with one message for all its checks (`vmid must be an integer from 100 to 999999999`)
 * gives an issue per failed check (a huge number is neither a safe integer nor at most the maximum).
 */
export function describeInputIssues(error: z.ZodError, name: (key: string) => string = (key) => key): string {
  const lines = error.issues.map((i) => {
    const key = i.path.join('.');
    // zod's own "Too big: expected number to be <=60" is said as homelab says it: "--minutes must be at most 60".
    const plain = plainIssueWords(i);
    if (plain !== undefined) return `${key ? name(key) : 'input'} ${plain}`;
    // "limit must be …" already names its key, as the schema spells it: said as the surface
    // spells it ("--limit must be …" on the CLI); a message of another kind does not name it.
    const message = keysNamed(i.message, name);
    const named = key ? keyNamedAt(message, key) : undefined;
    if (named !== undefined) return `${name(key)}${message.slice(named)}`;
    return key ? `${name(key)}: ${message}` : message;
  });
  return [...new Set(lines)].join('; ');
}

/**
 * Validates raw input against the operation's schema, and that it gives one of the keys an
 * operation `needsOneOf`; throws UsageError (exit 2) when it does not fit. `name`: how the surface spells a key in the message (see `describeInputIssues`).
 */
export function parseInput(op: AnyOperation, raw: unknown, name: (key: string) => string = (key) => key): Record<string, unknown> {
  const parsed = op.input.safeParse(raw ?? {});
  if (!parsed.success) throw new UsageError(`${op.id.replace(/\./g, ' ')}: ${describeInputIssues(parsed.error, name)}`);
  const input = parsed.data;
  if (op.needsOneOf && !op.needsOneOf.some((key) => input[key] !== undefined)) {
    throw new UsageError(`${op.id.replace(/\./g, ' ')}: nothing to change`, `give at least one of ${op.needsOneOf.map(name).join(', ')}`);
  }
  return input;
}

/** Validates input, runs the operation and reports to the hooks. Returns the operation's result. */
export async function invoke(op: AnyOperation, raw: unknown, ctx: OpContext): Promise<unknown> {
  const input = parseInput(op, raw);
  return runParsed(op, input, ctx);
}

/** Options of `runParsed`. */
export interface RunOptions {
  /**
   * Set by a surface that runs the steps an operation leaves for after its output
   * (`OpContext.afterOutput`: the CLI, MCP, the bot): called once the operation returned, it gives a promise
   * that settles when those steps ran (rejecting with their failure), or undefined when the
   * operation left none. The hooks then hear how the run ended only once it settled: a
   * `telegram inbox clear` whose output failed (its entries put back) is recorded as failed.
   */
  outputSteps?: () => Promise<void> | undefined;
}

/** Runs an operation whose input was already validated with `parseInput` (after a confirmation step). */
export async function runParsed(op: AnyOperation, input: Record<string, unknown>, ctx: OpContext, options: RunOptions = {}): Promise<unknown> {
  if (!isOfferedOn(op, ctx.actor.surface)) {
    throw new UsageError(`${op.id.replace(/\./g, ' ')} is only available from ${op.surfaces?.join(', ')}, not ${ctx.actor.surface}`);
  }
  const started = Date.now();
  const tokens = hooks.map((h) => [h, h.before?.(op, input, ctx)] as const);
  const ended = (err?: unknown): void => {
    const outcome = err === undefined ? { ok: true } : { ok: false, error: toHomelabError(err).message };
    for (const [h, t] of tokens) h.after?.(t, { ...outcome, durationMs: Date.now() - started });
  };
  let result: unknown;
  try {
    result = await withProgress(ctx.progress, () => op.run(ctx, input));
  } catch (err) {
    ended(err);
    throw err;
  }
  const steps = options.outputSteps?.();
  if (steps) steps.then(() => ended(), (err: unknown) => ended(err));
  else ended();
  return result;
}
