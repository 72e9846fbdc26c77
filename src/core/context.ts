/**
 * @module core/context
 * Builds the `OpContext` a surface hands to operations: config loaded once, service
 * clients created lazily and cached, progress and prompts wired to the surface, and
 * `invoke`/`lookup`, through which an operation reaches another one.
 *
 * Where `invoke` finds operations is given by the surface that builds the context
 * (`ContextOptions.operations`): the long-running surfaces pass their registry, the CLI the
 * service catalog (`services/catalog`, which imports only the service module an id names).
 * Core knows no service: a context built without a source runs its own operation, and its
 * `invoke` says that no source was given. A context derived for a
 * part of the work (its own time limit, a plan step) is made with `deriveContext`, never by
 * spreading: its `invoke` then runs nested operations with the derived signal and plan.
 */
import type { HomelabConfig } from './config.js';
import { loadConfig } from './config.js';
import { OperationError, UsageError } from './errors.js';
import { parseInput, runParsed } from './invoke.js';
import { RISK_RANK, riskAbove, type Actor, type AnyOperation, type ClientDeps, type ClientFactory, type OpContext, type OperationInfo, type OperationSource, type PlanRef, type Risk } from './operation.js';
import { withContext } from './context-name.js';
import { contextDataHome } from './paths.js';
import { currentProgress } from './progress-scope.js';

/** What a surface provides to build a context. */
export interface ContextOptions {
  actor: Actor;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Preloaded config (tests, the bot); loaded from disk on first use otherwise. */
  config?: HomelabConfig;
  progress?: (note: string) => void;
  prompt?: ClientDeps['prompt'];
  /** Shared client cache (the bot and MCP server keep clients across calls). */
  clients?: ClientCache;
  /** Where `invoke` finds operations: a registry, or `catalogOperations` (services/catalog). */
  operations?: OperationSource;
  /** The plan this context's runs belong to (set by `deriveContext` for plan steps). */
  plan?: PlanRef;
  /** The highest risk `invoke` may run (see `OpContext.maxRisk`). */
  maxRisk?: Risk;
}

/** Clients by service name, shared by the contexts of one process. */
export class ClientCache {
  private readonly clients = new Map<string, Promise<unknown>>();

  /** The cached client of `factory.service`, creating it on first use. */
  get<C>(factory: ClientFactory<C>, deps: ClientDeps): Promise<C> {
    let client = this.clients.get(factory.service) as Promise<C> | undefined;
    if (!client) {
      const fallback = deps.progress;
      const routed: ClientDeps = { ...deps, progress: (note) => (currentProgress() ?? fallback)(note) };
      client = Promise.resolve().then(() => factory.create(routed));
      this.clients.set(factory.service, client);
      client.catch(() => this.clients.delete(factory.service));
    }
    return client;
  }

  /** Closes every client that has a `close()` (sockets, pools). */
  async closeAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(
      all.map(async (p) => {
        const client = await p.catch(() => undefined);
        const close = (client as { close?: () => unknown } | undefined)?.close;
        if (typeof close === 'function') await Promise.resolve(close.call(client)).catch(() => undefined);
      }),
    );
  }
}

/** The source of a context built without one: it finds nothing, and says why. */
const noSource: OperationSource = {
  find: () => undefined,
};

/** The operation source of each context made here, for the contexts derived from it. */
const sources = new WeakMap<OpContext, OperationSource>();

/** Finds an operation or throws the one-line error every caller shows. */
async function findOperation(source: OperationSource, id: string): Promise<AnyOperation> {
  const op = await source.find(id);
  if (op) return op;
  if (source === noSource) throw new OperationError(`operation ${id} cannot be reached from here: this context was built without an operation source`, 'the surface must pass `operations` to createContext');
  throw new OperationError(`operation ${id} is not available`);
}

/** Creates an operation context. */
export function createContext(options: ContextOptions): OpContext {
  // A preloaded config of a named context pins it: credentials and state follow the config.
  const given = options.env ?? process.env;
  const env = options.config?.context && given.HOMELAB_CONTEXT !== options.config.context ? withContext(given, options.config.context) : given;
  let config = options.config;
  const clients = options.clients ?? new ClientCache();
  const progress = options.progress ?? (() => undefined);
  const source = options.operations ?? noSource;
  const ctx: OpContext = {
    get config() {
      config ??= loadConfig(env);
      return config;
    },
    env,
    dataDir: contextDataHome(env),
    actor: options.actor,
    signal: options.signal ?? new AbortController().signal,
    progress,
    prompt: options.prompt,
    client: (factory) => clients.get(factory, { config: ctx.config, env, dataDir: ctx.dataDir, progress, prompt: options.prompt }),
    invoke: (id, input) => invokeIn(source, ctx, id, input),
    lookup: (id) => lookupIn(source, id),
    ...(options.plan ? { plan: options.plan } : {}),
    ...(options.maxRisk ? { maxRisk: options.maxRisk } : {}),
  };
  sources.set(ctx, source);
  return ctx;
}

/** What a derived context may change. */
export interface ContextOverrides {
  signal?: AbortSignal;
  progress?: (note: string) => void;
  /** The plan (and step) nested runs belong to; `null` leaves the plan. */
  plan?: PlanRef | null;
  /** Lowers the highest risk nested runs may have (never raises the parent's). */
  maxRisk?: Risk;
  /**
   * The undo of a step that a plan homelab built has just done: it runs above the parent's
   * cap. An MCP agent allowed `change` may expose an app; when its monitor step fails, the
   * DNS record and proxy host the same run created must still be removed, although a delete
   * is a `danger` operation. Only the plan applier sets this, and only for plans built by
   * homelab's own operations (never for a plan that came from outside).
   */
  undoing?: true;
}

/**
 * A context for part of the work of `parent`: the same config, clients, actor, prompt and
 * operation source, with its own signal, progress or plan. Its `invoke` runs nested
 * operations with these (spreading a context would keep the parent's).
 */
export function deriveContext(parent: OpContext, overrides: ContextOverrides): OpContext {
  const plan = overrides.plan === null ? undefined : overrides.plan ?? parent.plan;
  const maxRisk = overrides.undoing ? undefined : [overrides.maxRisk, parent.maxRisk].filter((r) => r !== undefined).sort((a, b) => RISK_RANK[a] - RISK_RANK[b])[0];
  const ctx: OpContext = {
    get config() {
      return parent.config;
    },
    env: parent.env,
    dataDir: parent.dataDir,
    actor: parent.actor,
    signal: overrides.signal ?? parent.signal,
    progress: overrides.progress ?? parent.progress,
    prompt: parent.prompt,
    client: (factory) => parent.client(factory),
    invoke: (id, input) => invokeIn(source, ctx, id, input),
    lookup: (id) => lookupIn(source, id),
    ...(plan ? { plan } : {}),
    ...(maxRisk ? { maxRisk } : {}),
  };
  const source = sources.get(parent) ?? noSource;
  sources.set(ctx, source);
  parents.set(ctx, parent);
  return ctx;
}

const parents = new WeakMap<OpContext, OpContext>();

/** The context `ctx` was derived from (`deriveContext`), if any: the audit hook finds a plan step's parent run by it. */
export function parentContext(ctx: OpContext): OpContext | undefined {
  return parents.get(ctx);
}

/** Runs operation `id` in `ctx` (see `OpContext.invoke`). */
async function invokeIn<O>(source: OperationSource, ctx: OpContext, id: string, input: Record<string, unknown> = {}): Promise<O> {
  const op = await findOperation(source, id);
  if (riskAbove(op.risk, ctx.maxRisk)) {
    throw new UsageError(`${id.replace(/\./g, ' ')} is a ${op.risk} operation; ${ctx.actor.surface} runs only ${ctx.maxRisk === 'read' ? 'read' : `${ctx.maxRisk} or lesser`} operations here`);
  }
  return (await runParsed(op, parseInput(op, input), ctx)) as O;
}

/** Describes operation `id` (see `OpContext.lookup`). */
async function lookupIn(source: OperationSource, id: string): Promise<OperationInfo | undefined> {
  const op = await source.find(id);
  return op && { id: op.id, summary: op.summary, risk: op.risk, ...(op.surfaces ? { surfaces: op.surfaces } : {}), validate: (input) => parseInput(op, input) };
}

