/**
 * @module surfaces/mcp/call
 * One tool call: find the operation among the offered ones (anything else is refused,
 * whatever the client sends), validate the arguments with the operation's own schema,
 * run it through `core/invoke` with the MCP client as actor, and answer with readable
 * text plus the result as structured content. Every failure becomes a tool error
 * (`isError`), never a crash of the server; nothing a client sees carries a secret. A
 * failed task's log tail (`OperationError.details`, at most 20 lines) follows the message.
 *
 * An operation that runs others (`status`, a plan) does so in a context that allows no
 * more than the server does (`maxRisk`): a read-only server's `check` cannot change
 * anything, and a plan's `danger` step needs a server started with `--allow danger`. An
 * agent reads a plan before applying it by calling the plan tool with `dryRun: true`
 * (the plan is the result; nothing changes).
 *
 * Every tool takes an optional `context` (the lab to run in; `context-arg.ts`): the call then
 * runs with that context's config and its own service clients.
 *
 * A tool that lists something answers a page at a time (`paging.ts`): an operation that reads
 * less for a window of its list is asked for the page's window; the pages after the first
 * of any other come from the run that answered the first, while it is recent (`kept-runs.ts`)
 * and no change or danger call ran since (each one, whatever its end, clears the kept runs).
 *
 * An error's message and hint are said in the tool's terms (`terms.ts`: `add --force` →
 * `` add `force: true` ``). A run whose findings are its answer (`check`'s errors found,
 * `plan`'s conflicts; `findings.ts`) is a result, not a tool error: its line follows the table.
 *
 * The server registers every service's stored secrets before each request (`server.ts`), so
 * a secret a credentials file took while the server runs is redacted like the others.
 *
 * What an operation leaves for after its output (`ctx.afterOutput`: `telegram inbox clear`
 * removes what it took) runs once the server knows whether the answer reached the client
 * (`delivery.ts`), told whether it did: a cancelled call, or one whose connection dropped, puts
 * the entries back. The audit row is written then: an error when the steps failed, saying
 * `cancelled by the MCP client` when the client cancelled.
 */
import type { HomelabConfig } from '../../core/config.js';
import { ClientCache, createContext } from '../../core/context.js';
import type { LabSet } from '../../core/lab-set.js';
import { CancelledError, OperationError, TimeoutError, UsageError, toHomelabError } from '../../core/errors.js';
import { parseInput, runParsed } from '../../core/invoke.js';
import { outputStepsOf } from '../../core/output-steps.js';
import type { AnyOperation, OperationSource } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { labToName, namingLabIn } from '../../core/lab-in-commands.js';
import { mapCommandLines, renderText } from '../../core/render.js';
import { callArguments } from './arguments.js';
import { takeContextArg } from './context-arg.js';
import { rejectUnknownArguments, type Exposure } from './exposure.js';
import { isRunOutcome } from '../../orchestration/run-outcome.js';
import { KeptRuns, type RunEnd } from './kept-runs.js';
import { pagedAnswer, takePageArgs, windowInput, type Paging } from './paging.js';
import { inMcpTerms, type CallLab } from './terms.js';
import { missingStdinInputs } from './stdin-inputs.js';

/** What a tool call answers (the MCP `CallToolResult` shape). */
export interface ToolResult {
  [key: string]: unknown;
  content: { type: 'text'; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** What the server provides to every call. */
export interface CallDeps {
  exposure: Exposure;
  env: NodeJS.ProcessEnv;
  /** Preloaded config; read from disk per call otherwise. */
  config?: HomelabConfig;
  clients: ClientCache;
  /** Time limit of a call unless the operation sets its own. */
  timeoutMs: number;
  /** Where `ctx.invoke` finds operations: the server's registry. */
  operations: OperationSource;
  /** The labs a call may name with `context`; without it, a call naming one is refused. */
  labs?: () => LabSet;
  /** The recent runs whose later pages a call with an `offset` is answered from (none: every call runs). */
  kept?: KeptRuns;
}

/** Per-call details from the transport. */
export interface CallExtra {
  /** The MCP client's name, recorded as the actor. */
  clientName: string;
  /** Cancelled when the client cancels the request. */
  signal: AbortSignal;
  /** Sends a progress note to the client when it asked for progress. */
  progress?: (note: string) => void;
  /** Tells whether the answer reached the client; without it, an operation finishes what it leaves for after its output at once. */
  answer?: AnswerWatch;
}

/** Whether a call's answer reached its client, for the steps an operation leaves for after its output (`delivery.ts`). */
export interface AnswerWatch {
  /** Whether the answer reaches the client (asked once the operation returned, before the answer is sent). */
  delivered(): Promise<boolean>;
  /** Told of the steps as they start: they run after the call answered, and the server waits for them when it stops. */
  finishing(steps: Promise<unknown>): void;
}

/** At most this many detail lines (a task log's tail) in a tool error, as the bot shows. */
const MAX_DETAIL_LINES = 20;

/** A tool error: readable text and `isError`. */
export function toolError(message: string): ToolResult {
  return { content: [{ type: 'text', text: redact(message) }], isError: true };
}

/** Explains why a tool that is not offered is refused. */
export function refusal(name: string, exposure: Exposure): string {
  const op = exposure.all.get(name);
  if (!op) return `unknown tool ${name}`;
  const flag = op.risk === 'danger' ? '--allow danger' : '--allow change';
  return `${op.id} is a ${op.risk} operation and this server does not allow it (started with ${exposure.allow === 'read' ? 'read-only tools' : `--allow ${exposure.allow}`}); the server owner can restart it with ${flag}`;
}

/** Runs the operation behind tool `name` with `args`. */
export async function callTool(deps: CallDeps, name: string, args: unknown, extra: CallExtra): Promise<ToolResult> {
  const op = deps.exposure.offered.get(name);
  if (!op) return toolError(refusal(name, deps.exposure));
  let input: Record<string, unknown>;
  let lab: { env: NodeJS.ProcessEnv; config?: HomelabConfig; clients: ClientCache };
  let inLab: CallLab | undefined;
  let paging: Paging | undefined;
  let keptKey: string | undefined;
  try {
    const given = callArguments(args);
    const taken: { context?: string; args: Record<string, unknown> } = 'context' in op.input.shape ? { args: given } : takeContextArg(given);
    // limit and offset are the server's (paging.ts), on the tools whose operation says what it lists.
    let own = taken.args;
    if (op.pages !== undefined) {
      const paged = takePageArgs(own);
      paging = { list: op.pages, page: paged.page };
      own = paged.args;
    }
    rejectUnknownArguments(op, own);
    missingStdinInputs(op, own);
    // An operation that reads less for a window of its list is asked for the page's (Operation.page).
    if (paging && op.page === 'window') {
      const windowed = windowInput(own, paging.page);
      paging.window = windowed.window;
      own = windowed.args;
    }
    input = parseInput(op, own);
    if (paging && !paging.window && op.risk === 'read' && deps.kept) keptKey = KeptRuns.key(op.id, taken.context ?? '', input);
    lab = taken.context === undefined && !deps.labs ? { env: deps.env, ...(deps.config ? { config: deps.config } : {}), clients: deps.clients } : labOf(deps, taken.context);
    inLab = callLab(deps, lab.env, taken.context);
  } catch (err) {
    return toolError(`invalid arguments: ${inMcpTerms(toHomelabError(err).message, op, deps.exposure.words)}`);
  }
  const limitMs = op.timeoutMs ?? deps.timeoutMs;
  const timeout = AbortSignal.timeout(limitMs);
  // The SDK aborts with the client's reason (a string) or a DOMException; the run is told it
  // was cancelled, as the CLI's Ctrl-C tells it, so a task it waited for is reported (and
  // audited) as still running, with its UPID. Closing the connection (stdin, a session) aborts too.
  const cancel = new AbortController();
  const onCancel = (): void => cancel.abort(new CancelledError('cancelled by the MCP client'));
  if (extra.signal.aborted) onCancel();
  else extra.signal.addEventListener('abort', onCancel, { once: true });
  const ctx = createContext({
    actor: { surface: 'mcp', id: extra.clientName },
    signal: AbortSignal.any([cancel.signal, timeout]),
    env: lab.env,
    ...(lab.config ? { config: lab.config } : {}),
    progress: (note) => extra.progress?.(redact(note)),
    clients: lab.clients,
    maxRisk: deps.exposure.allow,
    operations: deps.operations,
  });
  const outputSteps = extra.answer ? afterAnswer(ctx, extra.answer, cancel.signal) : undefined;
  const answer = (result: unknown): ToolResult => pagedAnswer(result, paging, (shown) => success(op, input, shown, inLab));
  try {
    // A later page of a recent run is cut from that run (kept-runs); a first page (no offset, or 0) runs, and is kept.
    const kept = keptKey !== undefined && (paging?.page.offset ?? 0) > 0 ? deps.kept?.recent(keptKey) : undefined;
    if (kept && paging) paging.ranAt = kept.at;
    // A change call that ends while this one runs clears the kept runs: this run may predate it, so is not kept.
    const generation = deps.kept?.generation;
    const end = kept?.end ?? await runOnce(op, input, ctx, keptKey === undefined ? undefined : (run) => {
      if (!timeout.aborted) deps.kept?.keep(keptKey as string, run, generation);
    }, outputSteps);
    if (end.ok) return answer(end.value);
    throw end.error;
  } catch (err) {
    const e = timeout.aborted ? new TimeoutError(op.id, limitMs, 'operation') : toHomelabError(err);
    const said = (line: string): string => inMcpTerms(line, op, deps.exposure.words, inLab);
    // Findings are the answer (orchestration/run-outcome): the result, then its line (`check: 6
    // errors found`), not isError: an agent told isError reads "the tool broke" where it worked.
    if (!timeout.aborted && isRunOutcome(e)) {
      const shown = answer(e.result);
      return { ...shown, content: [...shown.content, { type: 'text', text: redact([said(e.message), ...(e.hint ? [said(e.hint)] : [])].join('\n')) }] };
    }
    // The task log's last lines (a failed PVE/PBS task), as the CLI and the bot show them; toolError redacts.
    const details = e instanceof OperationError && e.details?.length ? e.details.slice(0, MAX_DETAIL_LINES).map((d) => `  ${d}`) : [];
    const message = toolError([said(e.message), ...details, ...(e.hint ? [said(e.hint)] : [])].join('\n'));
    // A partial failure (docs/exit-codes.md): the result as usual, then the message, flagged isError.
    if (!timeout.aborted && e instanceof OperationError && e.result !== undefined) {
      const shown = answer(e.result);
      return { ...shown, content: [...shown.content, ...message.content], isError: true };
    }
    return message;
  } finally {
    extra.signal.removeEventListener('abort', onCancel);
    // A change or danger call, whatever its end, may have changed what a kept run says: the pages after it run anew.
    if (op.risk !== 'read') deps.kept?.clear();
  }
}

/**
 * Takes the steps the operation run in `ctx` leaves for after its output (core/output-steps);
 * gives `runParsed` the promise of their end (core/invoke `outputSteps`), which runs them once
 * `answer` knows whether the answer was delivered. A failure of theirs after the client
 * cancelled (`cancelled` aborted) says so, as the audit row's error.
 */
function afterAnswer(ctx: ReturnType<typeof createContext>, answer: AnswerWatch, cancelled: AbortSignal): () => Promise<void> | undefined {
  const steps = outputStepsOf(ctx);
  return () => {
    const taken = steps.take();
    if (!taken) return undefined;
    const ran = taken.catch((err: unknown) => {
      if (!cancelled.aborted || err instanceof CancelledError) throw err;
      const e = toHomelabError(err);
      throw new CancelledError(`${(cancelled.reason as Error).message}; ${e.message}`);
    });
    answer.finishing(ran.catch(() => undefined));
    // `ran` carries the steps' failure; this chain only starts them.
    void answer.delivered().then((delivered) => steps.settle(delivered), (err: unknown) => steps.abandon(err)).catch(() => undefined);
    return ran;
  };
}

/** Runs `op`; its end (a result, or an error that carries one) is given to `keep`. */
async function runOnce(op: AnyOperation, input: Record<string, unknown>, ctx: ReturnType<typeof createContext>, keep?: (run: { end: RunEnd; at: number }) => void, outputSteps?: () => Promise<void> | undefined): Promise<RunEnd> {
  const at = Date.now();
  let end: RunEnd;
  try {
    end = { ok: true, value: await runParsed(op, input, ctx, outputSteps ? { outputSteps } : {}) };
  } catch (error) {
    end = { ok: false, error };
  }
  const withResult = end.ok || (end.error instanceof OperationError && end.error.result !== undefined) || isRunOutcome(end.error);
  if (withResult) keep?.({ end, at });
  return end;
}

/**
 * How the text of a call run with `env` names its lab (terms.ts `CallLab`): in a tool call when
 * the call named another lab than the server's own (`context`); in a command line when a bare
 * `homelab` in a shell runs in another (config.yaml's current lab, not the server's:
 * `core/lab-in-commands`). Undefined: neither (or the config cannot tell).
 */
function callLab(deps: CallDeps, env: NodeJS.ProcessEnv, context: string | undefined): CallLab | undefined {
  const tool = context !== undefined && context !== deps.labs?.().home ? context : undefined;
  let shell: string | undefined;
  try {
    shell = labToName(env);
  } catch {
    shell = undefined;
  }
  return tool === undefined && shell === undefined ? undefined : { ...(tool ? { tool } : {}), ...(shell ? { shell } : {}), isCommand: deps.exposure.commandWord };
}

/** The lab a call names (the home one when none); throws for an unknown one or when the server has no labs. */
function labOf(deps: CallDeps, context: string | undefined): { env: NodeJS.ProcessEnv; config: HomelabConfig; clients: ClientCache } {
  if (!deps.labs) throw new UsageError('this server serves one lab: leave out context');
  return deps.labs().get(context);
}

function success(op: AnyOperation, input: Record<string, unknown>, result: unknown, inLab?: CallLab): ToolResult {
  const safe = redactValue(result);
  // The command lines a result shows (`check`'s fix lines) name the call's lab when a shell runs
  // a bare `homelab` in another (config.yaml's current lab); the structured result is data, as the CLI's --json.
  const blocks = op.render?.(result, input);
  const shell = inLab?.shell;
  const text = blocks ? renderText(shell && inLab ? mapCommandLines(blocks, (line) => namingLabIn(line, shell, inLab.isCommand)) : blocks) : JSON.stringify(safe, null, 2);
  const structured = safe !== null && typeof safe === 'object' && !Array.isArray(safe) ? (safe as Record<string, unknown>) : { result: safe ?? null };
  return { content: [{ type: 'text', text: redact(text) || '(no output)' }], structuredContent: structured };
}
