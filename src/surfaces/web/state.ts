/**
 * @module surfaces/web/state
 * What every route of the dashboard shares: the options it was started with, the
 * registry's services as the web offers them, sessions, the logins, the login limiter, the labs
 * (contexts) it serves with their clients kept across requests, runs in progress,
 * pending confirmations and the overview feeds (one per lab someone looks at); and
 * `webContext`, the one place an operation context is made for the web (actor
 * `web:<user>`, in one lab).
 *
 * Several labs: the dashboard serves every context of the config (as the file says now:
 * lab-names). Its home lab is the one
 * it was started in (`homelab --context office serve`, `HOMELAB_CONTEXT`,
 * `current_context`); each session looks at one lab (the home lab until the header's
 * selector chooses another), and every read and run is made in a lab's own environment
 * (`HOMELAB_CONTEXT` pinned, so credentials, state and the audit row's context are that
 * lab's), config and client cache: two labs never share a client.
 */
import type { HttpBindings } from '@hono/node-server';
import type { HomelabConfig } from '../../core/config.js';
import { createContext } from '../../core/context.js';
import type { Lab, LabSet } from '../../core/lab-set.js';
import type { OpContext } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import type { Confirmations } from './confirmations.js';
import type { AllowLevel } from '../shared/allow-level.js';
import type { WebService } from './exposure.js';
import type { TrustedProxies } from './client-address.js';
import type { LoginLimiter } from './login-limiter.js';
import type { Logins } from './logins.js';
import type { LabFeeds } from './lab-feeds.js';
import type { LabNames } from './lab-names.js';
import type { LiveStreams } from './live-streams.js';
import type { RunStore } from './runs.js';
import type { Session, SessionStore } from './sessions.js';

/** How the dashboard was started. */
export interface WebOptions {
  registry: Registry;
  /** The highest risk allowed (`--allow`); read-only by default. */
  allow: AllowLevel;
  env: NodeJS.ProcessEnv;
  /** Preloaded config of the home lab (tests); read from disk at start otherwise. */
  config?: HomelabConfig;
  /** Fixed users and scrypt hashes (tests), when there is no `passwordsFile`; neither: the single local user, no sign-in (loopback only). */
  passwords?: ReadonlyMap<string, string>;
  /** The password file (`serve`): read at the start and again whenever it changes, so a login set meanwhile applies at once (logins). */
  passwordsFile?: string;
  /** Least time between two looks at the password file (default 1000 ms; 0: on every request, no timer). */
  passwordsCheckMs?: number;
  /** Least time between two looks at config.yaml for labs added or removed (default 1000 ms; 0: on every request). */
  configCheckMs?: number;
  /** The user of the login-free local mode (the OS user). */
  localUser: string;
  /** Bound to a loopback address. */
  loopback: boolean;
  /** Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client; loopback only when named (client-address). */
  trustProxy?: readonly string[];
  /** Full overview refresh period (status, alerts, updates, trends). */
  refreshMs: number;
  /** How long the overview reuses a consistency check's answer (default 5 min, or `refreshMs` when longer; 0: rerun at every refresh). */
  checkMs?: number;
  /** How often the watch state (alerts) is looked at for changes. */
  alertPollMs: number;
  /** Time limit of a read the pages run, unless the operation sets its own. */
  timeoutMs: number;
  /** One line per notable event (never a secret). */
  log: (line: string) => void;
  /** How often an idle event stream sends a keep-alive comment (default 20 s; tests). */
  keepAliveMs?: number;
}

/** Everything the routes share. */
export interface WebState {
  options: WebOptions;
  services: WebService[];
  sessions: SessionStore;
  /** Who may sign in now (the password file, followed while the server runs). */
  logins: Logins;
  limiter: LoginLimiter;
  /** The peers whose X-Forwarded-For is believed (client-address). */
  trusted: TrustedProxies;
  /** The labs served: the home lab first, the others made on first use, each with its own clients. */
  labs: LabSet;
  /** Keeps `labs` as config.yaml defines them now (a lab added while the dashboard runs). */
  labNames: LabNames;
  runs: RunStore;
  confirmations: Confirmations;
  /** The overview feed of each lab someone looks at. */
  feeds: LabFeeds;
  /** The event streams open, ended when the server stops. */
  streams: LiveStreams;
}

/** Hono's environment for the dashboard's routes. */
export interface WebEnv {
  Bindings: HttpBindings;
  Variables: { session: Session };
}

/**
 * An operation context for the web in `lab`: actor `web:<user>`, the lab's environment
 * (the audit hook records its context), config and clients, the registry as the source
 * of nested operations.
 */
export function webContext(state: WebState, user: string, signal: AbortSignal, progress: ((note: string) => void) | undefined, lab: Lab): OpContext {
  const { options } = state;
  return createContext({
    actor: { surface: 'web', id: user },
    signal,
    env: lab.env,
    config: lab.config,
    clients: lab.clients,
    operations: { find: (id) => options.registry.get(id) },
    // Nested runs stay within --allow, as on MCP (`apply` refuses a deleting run above it).
    maxRisk: options.allow,
    ...(progress ? { progress } : {}),
  });
}
