/**
 * @module core/operation
 * The operation: the one definition every surface (CLI, Telegram, MCP, watch) exposes.
 * An operation validates its input with zod, runs against `OpContext`, and returns
 * plain JSON-serialisable data. It never prints; `render` turns the result into
 * blocks for humans, and `--json` (or MCP structured content) is the result itself.
 */
import type { z } from 'zod';
import type { HomelabConfig } from './config.js';
import type { Rendered } from './render.js';

/** How much an operation can change: drives confirmation, read-only modes and the audit log. */
export type Risk = 'read' | 'change' | 'danger';

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
  /** `$HOMELAB_DATA_HOME`, for token caches. */
  dataDir: string;
  /** Reports progress of slow set-up steps (logins). */
  progress(note: string): void;
  /** Asks the user a question when the surface can (a TOTP code); undefined when it cannot. */
  prompt?: (question: string, options?: { secret?: boolean }) => Promise<string>;
}

/** Everything an operation's `run` may use. */
export interface OpContext {
  config: HomelabConfig;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** The client of a service, created lazily; throws a ConfigError when the service is not configured. */
  client<C>(factory: ClientFactory<C>): Promise<C>;
  /** The surface's timeout or the user's Ctrl-C. */
  signal: AbortSignal;
  /** A short note on progress: spinner on a TTY, an edited message on Telegram, a notification on MCP. */
  progress(note: string): void;
  actor: Actor;
  /** Asks the user a question when the surface can; undefined otherwise. */
  prompt?: (question: string, options?: { secret?: boolean }) => Promise<string>;
}

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
   * Input keys (string fields) that the CLI reads from a file: `--ssh-key ~/.ssh/id_ed25519.pub`
   * passes the file's text as the value. Only the CLI does this, for the person at the
   * hub's own terminal; the bot and MCP take the text itself, so a chat user or an agent
   * can never make the hub read one of its files.
   */
  cliFiles?: readonly string[];
  /** What will happen, in one line, for confirmation prompts ("Stop VM 201 (media) on pve2 (hard stop)"). */
  confirm?(input: z.infer<I>): string;
  run(ctx: OpContext, input: z.infer<I>): Promise<O>;
  render?(result: O, input: z.infer<I>): Rendered;
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
}
