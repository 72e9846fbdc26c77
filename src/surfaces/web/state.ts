/**
 * @module surfaces/web/state
 * What every route of the dashboard shares: the options it was started with, the
 * registry's services as the web offers them, sessions, the login limiter, service
 * clients kept across requests, runs in progress, pending confirmations and the
 * overview feed; and `webContext`, the one place an operation context is made for the
 * web (actor `web:<user>`).
 */
import type { HttpBindings } from '@hono/node-server';
import type { HomelabConfig } from '../../core/config.js';
import { ClientCache, createContext } from '../../core/context.js';
import type { OpContext } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import type { Confirmations } from './confirmations.js';
import type { AllowLevel, WebService } from './exposure.js';
import type { LoginLimiter } from './login-limiter.js';
import type { OverviewFeed } from './overview-feed.js';
import type { RunStore } from './runs.js';
import type { Session, SessionStore } from './sessions.js';

/** How the dashboard was started. */
export interface WebOptions {
  registry: Registry;
  /** The highest risk allowed (`--allow`); read-only by default. */
  allow: AllowLevel;
  env: NodeJS.ProcessEnv;
  /** Preloaded config (tests); read from disk on first use otherwise. */
  config?: HomelabConfig;
  /** Users and scrypt hashes; undefined: the single local user, no sign-in (loopback only). */
  passwords?: ReadonlyMap<string, string>;
  /** The user of the login-free local mode (the OS user). */
  localUser: string;
  /** Bound to a loopback address. */
  loopback: boolean;
  /** Full overview refresh period (status, check, updates). */
  refreshMs: number;
  /** How often the watch state (alerts) is looked at for changes. */
  alertPollMs: number;
  /** Time limit of a read the pages run, unless the operation sets its own. */
  timeoutMs: number;
  /** One line per notable event (never a secret). */
  log: (line: string) => void;
}

/** Everything the routes share. */
export interface WebState {
  options: WebOptions;
  services: WebService[];
  sessions: SessionStore;
  limiter: LoginLimiter;
  clients: ClientCache;
  runs: RunStore;
  confirmations: Confirmations;
  feed: OverviewFeed;
}

/** Hono's environment for the dashboard's routes. */
export interface WebEnv {
  Bindings: HttpBindings;
  Variables: { session: Session };
}

/** An operation context for the web: actor `web:<user>`, shared clients, the registry as the source of nested operations. */
export function webContext(state: WebState, user: string, signal: AbortSignal, progress?: (note: string) => void): OpContext {
  const { options } = state;
  return createContext({
    actor: { surface: 'web', id: user },
    signal,
    env: options.env,
    ...(options.config ? { config: options.config } : {}),
    clients: state.clients,
    operations: { find: (id) => options.registry.get(id) },
    // Nested runs stay within --allow, as on MCP (`apply` refuses a deleting run above it).
    maxRisk: options.allow,
    ...(progress ? { progress } : {}),
  });
}
