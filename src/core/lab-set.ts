/**
 * @module core/lab-set
 * The labs (contexts) a long-running surface serves: the bot, the MCP server, the web
 * dashboard and `watch` run in one context by default (their "home": `--context`,
 * `HOMELAB_CONTEXT` or `current_context` when they start) and take a context argument per
 * request. Each lab has its own config view, its environment with the context pinned (so
 * credentials and state paths are that lab's) and its own client cache: two labs never
 * share a client, and so never a cached token.
 */
import type { HomelabConfig } from './config.js';
import { loadConfig } from './config.js';
import { DEFAULT_CONTEXT, unknownContext, withContext } from './context-name.js';
import { ClientCache } from './context.js';
import { contextDataHome } from './paths.js';

/** One lab as a surface uses it. */
export interface Lab {
  name: string;
  /** The surface's environment with `HOMELAB_CONTEXT` set to this lab. */
  env: NodeJS.ProcessEnv;
  config: HomelabConfig;
  clients: ClientCache;
  /** The lab's state directory (token caches, inbox, watch state). */
  dataDir: string;
}

/** The labs of one process, created on first use and kept. */
export class LabSet {
  private readonly labs = new Map<string, Lab>();
  /** The context requests run in when they name none. */
  readonly home: string;

  /**
   * `home` is the config the surface loaded at start (its context is the home lab);
   * `homeClients` the client cache the surface already has for it, if any.
   */
  constructor(private readonly env: NodeJS.ProcessEnv, private readonly homeConfig: HomelabConfig, homeClients?: ClientCache) {
    this.home = homeConfig.context ?? DEFAULT_CONTEXT;
    this.labs.set(this.home, this.make(this.home, homeConfig, homeClients ?? new ClientCache()));
  }

  /** The names as read again since the start (`follow`); undefined: the start's. */
  private followed: string[] | undefined;

  /** Every context the config defines, `default` first when it exists. */
  names(): string[] {
    return this.followed ?? this.homeConfig.contextNames ?? [this.home];
  }

  /**
   * Takes the context names of config.yaml as read again (a surface that follows the file:
   * a lab added since the start is served, one removed no longer); the home lab stays, and
   * labs made already keep their config and clients.
   */
  follow(names: readonly string[]): void {
    this.followed = names.includes(this.home) ? [...names] : [this.home, ...names];
  }

  /** Whether the config defines more than one lab (surfaces then name the lab in what they say). */
  get several(): boolean {
    return this.names().length > 1;
  }

  /**
   * The lab `name` (the home lab when undefined); a ConfigError lists the known ones for an
   * unknown name. The names are checked first, so a lab made already but removed from
   * config.yaml since (`follow`) is refused like any unknown name (a confirmation waiting in
   * it does not run); the home lab is always served.
   */
  get(name?: string): Lab {
    const wanted = name ?? this.home;
    if (wanted !== this.home && !this.names().includes(wanted)) throw unknownContext(wanted, this.homeConfig.path, this.names());
    const known = this.labs.get(wanted);
    if (known) return known;
    const config = loadConfig(withContext(this.env, wanted));
    const lab = this.make(wanted, config, new ClientCache());
    this.labs.set(wanted, lab);
    return lab;
  }

  /** Closes the clients of every lab. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.labs.values()].map((lab) => lab.clients.closeAll()));
  }

  private make(name: string, config: HomelabConfig, clients: ClientCache): Lab {
    const env = withContext(this.env, name);
    return { name, env, config, clients, dataDir: contextDataHome(env) };
  }
}
