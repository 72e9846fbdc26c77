/**
 * @module core/context
 * Builds the `OpContext` a surface hands to operations: config loaded once, service
 * clients created lazily and cached, progress and prompts wired to the surface.
 */
import type { HomelabConfig } from './config.js';
import { loadConfig } from './config.js';
import type { Actor, ClientDeps, ClientFactory, OpContext } from './operation.js';
import { dataHome } from './paths.js';
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

/** Creates an operation context. */
export function createContext(options: ContextOptions): OpContext {
  const env = options.env ?? process.env;
  let config = options.config;
  const clients = options.clients ?? new ClientCache();
  const progress = options.progress ?? (() => undefined);
  const ctx: OpContext = {
    get config() {
      config ??= loadConfig(env);
      return config;
    },
    env,
    dataDir: dataHome(env),
    actor: options.actor,
    signal: options.signal ?? new AbortController().signal,
    progress,
    prompt: options.prompt,
    client: (factory) => clients.get(factory, { config: ctx.config, env, dataDir: ctx.dataDir, progress, prompt: options.prompt }),
  };
  return ctx;
}
