/**
 * @module core/operation
 * The operation: the one definition every surface (CLI, Telegram, MCP, watch) exposes.
 * An operation validates its input with zod, runs against `OpContext`, and returns
 * plain JSON-serialisable data. It never prints; `render` turns the result into
 * blocks for humans, and `--json` (or MCP structured content) is the result itself.
 */
import type { z } from 'zod';
import type { CompletionKind, CompletionUpdate } from './completion.js';
import type { HomelabConfig } from './config.js';
import type { Rendered } from './render.js';

/** How much an operation can change: drives confirmation, read-only modes and the audit log. */
export type Risk = 'read' | 'change' | 'danger';

/** The order of the risks: read < change < danger. */
export const RISK_RANK: Readonly<Record<Risk, number>> = { read: 0, change: 1, danger: 2 };

/** Whether `risk` is above the cap `max` (no cap: never). */
export function riskAbove(risk: Risk, max: Risk | undefined): boolean {
  return max !== undefined && RISK_RANK[risk] > RISK_RANK[max];
}

/** Who invoked an operation, from which surface (for the audit log). */
export interface Actor {
  surface: 'cli' | 'telegram' | 'mcp' | 'watch' | 'web';
  /** Local user name, Telegram user id, MCP client name, the watch check, or the dashboard's user. */
  id: string;
}

/** Creates a service client from config and credentials; `OpContext.client` caches one per context. */
export interface ClientFactory<C> {
  /** The key under `services:` in the config, e.g. `pve`. */
  readonly service: string;
  create(deps: ClientDeps): C | Promise<C>;
}

/** What a client factory gets. */
export interface ClientDeps {
  config: HomelabConfig;
  env: NodeJS.ProcessEnv;
  /** The context's state directory (`$HOMELAB_DATA_HOME`, or `…/contexts/<name>`), for token caches. */
  dataDir: string;
  /** Reports progress of slow set-up steps (logins). */
  progress(note: string): void;
  /** Asks the user a question when the surface can (a TOTP code); undefined when it cannot. Ctrl-C rejects with InterruptedError. */
  prompt?: (question: string, options?: { secret?: boolean }) => Promise<string>;
}

/** Everything an operation's `run` may use. */
export interface OpContext {
  config: HomelabConfig;
  /** The run's environment; `HOMELAB_CONTEXT` in it, when set, names the context (lab). */
  env: NodeJS.ProcessEnv;
  /** The context's state directory: token caches, inbox, watch state (`core/paths` contextDataHome). */
  dataDir: string;
  /** The client of a service, created lazily; throws a ConfigError when the service is not configured. */
  client<C>(factory: ClientFactory<C>): Promise<C>;
  /** The surface's timeout or the user's Ctrl-C. */
  signal: AbortSignal;
  /** A short note on progress: spinner on a TTY, an edited message on Telegram, a notification on MCP. */
  progress(note: string): void;
  actor: Actor;
  /** Asks the user a question when the surface can; undefined otherwise. Ctrl-C rejects with InterruptedError (exit 130). */
  prompt?: (question: string, options?: { secret?: boolean }) => Promise<string>;
  /**
   * Runs another operation by id: the ONLY way an operation reaches another (never by
   * importing the registry or another service's operation). The operation is found lazily
   * (a one-shot CLI run loads only the service modules it uses), its input validated with its
   * own schema (a UsageError naming the operation and the key), and it runs through core
   * `invoke` with this context's actor, signal, clients, progress and plan: the audit hook
   * writes one row per nested `change`/`danger` call. A surface restriction applies as usual.
   * An unknown id is an OperationError (exit 1). Results are the operation's JSON result;
   * a PartialFailureError still carries its `result`.
   */
  invoke<O = unknown>(id: string, input?: Record<string, unknown>): Promise<O>;
  /** What is known about an operation without running it (undefined: no such operation). */
  lookup(id: string): Promise<OperationInfo | undefined>;
  /**
   * Set by a surface that learns whether the result reached its reader (the CLI, once stdout
   * has flushed; MCP, once the answer was sent; the bot, once the Bot API took the result's
   * messages): `step` runs then, told whether it did. Work that must not be lost with its
   * output is finished there (`telegram inbox clear` removes what it took only once shown).
   * Unset: the operation finishes it at once. A step that throws fails the run: its audit row
   * then says error (core/invoke `outputSteps`).
   */
  afterOutput?: (step: (delivered: boolean) => Promise<void>) => void;
  /** Set while a plan's steps run: the plan's id (and the step's key), written in each step's audit row. */
  plan?: PlanRef;
  /**
   * The highest risk `invoke` may run from this context (default: no limit). The watch
   * daemon's contexts allow `read`; an MCP server's contexts allow what it was started with,
   * so a plan operation can never run a step the surface itself would refuse.
   */
  maxRisk?: Risk;
}

/** The plan a nested run belongs to (see `orchestration/apply`). */
export interface PlanRef {
  /** The plan's id, shared by the audit rows of all its steps. */
  id: string;
  /** The step's key within the plan. */
  step?: string;
}

/** An operation as `OpContext.lookup` describes it. */
export interface OperationInfo {
  id: string;
  summary: string;
  risk: Risk;
  surfaces?: readonly Actor['surface'][];
  /** Validates an input with the operation's schema (a UsageError when it does not fit); nothing runs. */
  validate(input: Record<string, unknown>): Record<string, unknown>;
}

/**
 * Where `OpContext.invoke` finds operations: the eager registry (long-running surfaces), or the
 * service catalog, which imports a service module on first use (`services/catalog`).
 */
export interface OperationSource {
  /** The operation with this id; undefined when no service defines it. */
  find(id: string): AnyOperation | undefined | Promise<AnyOperation | undefined>;
}

/** A column of an operation's tables whose cells another read operation shows in detail. */
export interface RowDetail {
  /** The column's header as `render` draws it (`id`, `name`). */
  column: string;
  /** The detail operation's id (`proxy.show`); the cell's text fills its one required input key, or the key it takes first positionally. */
  op: string;
}

/**
 * Live facts for a confirmation: one line, or a headline followed by detail lines (a plan's
 * steps), or those lines with `changesNothing`: the run would change nothing (a plan whose
 * every step is unchanged), so every surface runs it without asking (re-running is safe).
 */
export type Preview = string | readonly string[] | { readonly lines: readonly string[]; readonly changesNothing: boolean };

/**
 * One operation. `I` is a zod object schema; its keys become CLI flags (`args` lists
 * the ones taken positionally), Telegram command arguments and MCP tool parameters.
 * `run` and `render` are methods so that specific operations fit `AnyOperation`.
 */
export interface Operation<I extends z.ZodObject = z.ZodObject, O = unknown> {
  /** `service.verb` or `service.verb.sub` (`pve.start`, `kuma.add.http`); one segment for top-level commands. */
  id: string;
  /** One line: feeds --help, the bot's /help and the MCP tool description. */
  summary: string;
  /** More help text, shown by `--help` under the usage line. */
  description?: string;
  /** Input keys taken positionally, in order. */
  args?: readonly string[];
  /** The last positional arg takes all remaining words, joined by spaces (`telegram send hello there`). */
  variadic?: boolean;
  input: I;
  risk: Risk;
  /** Overrides the surface's default time limit (30 s on Telegram). */
  timeoutMs?: number;
  /**
   * Surfaces that offer this operation (default: all). Local administration — who may use
   * the bot, writing files into a directory, interactive set-up — is `['cli']`: an agent or a
   * chat user must not be able to grant access or drop executables.
   */
  surfaces?: readonly Actor['surface'][];
  /** Example command lines, without the `homelab` prefix. */
  examples?: readonly string[];
  /**
   * Table columns of this operation's output whose cells name a thing another read operation
   * shows in full (`proxy list`'s `id` → `proxy show`): surfaces that draw tables (the web
   * dashboard) link each such cell to that operation, with the cell's text as its key.
   */
  rowDetails?: readonly RowDetail[];
  /**
   * Input keys only the command line can use (a path on the hub's own disk, and what only
   * makes sense with one): the operation refuses such a path from any other surface, and
   * surfaces that draw forms (the web dashboard) leave these keys out. Never a required key.
   */
  cliOnlyInputs?: readonly string[];
  /**
   * Input keys (string fields) that the CLI reads from a file: `--ssh-key ~/.ssh/id_ed25519.pub`
   * passes the file's text as the value. Only the CLI does this, for the person at the
   * hub's own terminal; the bot and MCP take the text itself, so a chat user or an agent
   * can never make the hub read one of its files.
   */
  cliFiles?: readonly string[];
  /**
   * What a long result of this read operation is a list of, for surfaces that show it a page
   * at a time (MCP's `limit`/`offset`): `true` when the result itself is the list, else the
   * key of its list field (`'guests'` of `pve configs`). Unset: the result is one thing.
   */
  pages?: true | string;
  /**
   * Set on a `pages` operation that reads less when asked for a window of its list (`pve
   * configs` then fetches only that window's configs): its input takes `offset` and `limit`
   * (whole numbers, both optional; without them, the whole list), its list then holds only
   * the items of that window, and its result's `total` (a number) counts the whole list. A
   * surface that shows a page at a time (MCP, the dashboard's tables) asks for the window
   * instead of cutting one page out of a whole result.
   */
  page?: 'window';
  /**
   * Input keys of which a run must give at least one (`pve set`: the settings it changes).
   * Every surface refuses a run that gives none as a usage error when it validates the
   * input, before any confirmation or audit row; the web dashboard opens such an
   * operation's form from a detail page instead of offering a one-click button.
   */
  needsOneOf?: readonly string[];
  /** What will happen, in one line, for confirmation prompts ("Stop VM 201 (media) on pve2 (hard stop)"). */
  confirm?(input: z.infer<I>): string;
  /**
   * What will happen, from live facts, shown by every surface's confirmation BEFORE it asks
   * (the CLI prompt and its refusal without a terminal, the Telegram Confirm/Cancel message,
   * the web confirmation page and the batch listing); a preview that `changesNothing` is
   * shown without asking. It reads, never changes: "Destroy VM 201 (media) on pve2 …" with
   * the guest looked up, or a plan operation's whole plan. It replaces `confirm` when present;
   * an error it throws (the guest does not exist, the service is down) fails the command
   * before anything is asked or done. On the CLI, a plan operation (a `change` operation with
   * a preview and a `dryRun` input) is confirmed like a `danger` one (`--yes`, or a prompt on
   * a terminal); any other `change` run on the CLI is not asked, so its `run` must make the
   * preview's refusals again (it does anyway: the facts may have moved since they were shown).
   * `dryRun: true` in the input (see `isDryRun`) needs no confirmation.
   */
  preview?(ctx: OpContext, input: z.infer<I>): Promise<Preview>;
  run(ctx: OpContext, input: z.infer<I>): Promise<O>;
  render?(result: O, input: z.infer<I>): Rendered;
  /**
   * The shell completion values a successful run's result holds (`pve list`: every VMID,
   * with the guest's name). The CLI stores them for Tab to offer (core/completion).
   */
  completions?(result: O, input: z.infer<I>): readonly CompletionUpdate[];
}

/** Whether `op` is offered on `surface` (see `Operation.surfaces`). */
export function isOfferedOn(op: { surfaces?: readonly Actor['surface'][] }, surface: Actor['surface']): boolean {
  return !op.surfaces || op.surfaces.includes(surface);
}

/** An operation of any input and output, as the registry holds them. */
export type AnyOperation = Operation<z.ZodObject, unknown>;

/** Defines an operation with its types inferred (an identity function for type checking). */
export function defineOperation<I extends z.ZodObject, O>(op: Operation<I, O>): Operation<I, O> {
  return op;
}

/** A service: a CLI group, a Telegram command, a set of MCP tools. */
export interface ServiceModule {
  /** Group name: `pve`, `dns`, `proxy`; empty for top-level commands (`status`, `doctor`). */
  name: string;
  /** Other names for the group (`npm-api` for `proxy`). */
  aliases?: readonly string[];
  summary: string;
  operations: readonly AnyOperation[];
  /**
   * Input keys of this service's operations whose values shell completion offers from
   * these kinds (`{ vmid: ['pve.guest'] }`; see core/completion).
   */
  completeFields?: Readonly<Record<string, readonly CompletionKind[]>>;
}
