/**
 * @module surfaces/web/server
 * Starts the dashboard: the shared state (sessions, limiter, the labs with their
 * clients, following config.yaml, runs, pending confirmations, the overview feeds), the
 * app, and a node:http server through @hono/node-server on the given host and port
 * (listen: `[::1]` or `::1`, a failure in one line). `close()` stops the
 * feeds, ends the event streams (at once, not at their next keep-alive), drops
 * connections and closes every lab's clients.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { loadConfig } from '../../core/config.js';
import { registerStoredSecrets } from '../../core/credentials.js';
import { LabSet } from '../../core/lab-set.js';
import { createWebApp } from './app.js';
import { installCharts } from './charts/index.js';
import { Confirmations } from './confirmations.js';
import { webServices } from './exposure.js';
import { TrustedProxies } from './client-address.js';
import { LoginLimiter, type LoginLimits } from './login-limiter.js';
import { Logins } from './logins.js';
import { CHECK_PERIOD_MS, KeptRead } from './kept-read.js';
import { LabFeeds } from './lab-feeds.js';
import { LabNames } from './lab-names.js';
import { bindAddress, listenError, urlHost } from '../listen.js';
import { LiveStreams } from './live-streams.js';
import { alertsKey, buildOverview } from './overview.js';
import { OverviewFeed } from './overview-feed.js';
import type { ReadOutcome } from './read-run.js';
import { errorHtml, resultHtml } from './result-html.js';
import { RunStore } from './runs.js';
import { SessionStore, type Session, type SessionLimits } from './sessions.js';
import { webContext, type WebOptions, type WebState } from './state.js';
import { labCommands, type CommandWording } from './web-words.js';

/** Options of `startWebServer`. */
export interface WebServerOptions extends WebOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  sessionLimits?: Partial<SessionLimits>;
  loginLimits?: Partial<LoginLimits>;
  /** The clock of sessions and the login limiter (tests). */
  now?: () => number;
}

/** A running dashboard. */
export interface WebServer {
  /** `http://<host>:<port>`. */
  url: string;
  port: number;
  state: WebState;
  close(): Promise<void>;
}

/** The reader of the overview: reads are not audited, but a name says whose they were. */
const OVERVIEW_READER = 'dashboard';

/** Builds the state the routes share (reads the config now unless given: a broken one stops the start). */
export function createWebState(options: WebServerOptions): WebState {
  // Every service's stored secrets, of every lab, are redacted before any client has loaded them (as the bot and MCP do).
  registerStoredSecrets(options.env);
  // Every context of the config, the one the server started in as home (as the bot and MCP do).
  const config = options.config ?? loadConfig(options.env);
  const labs = new LabSet(options.env, config);
  const all = (): ReturnType<WebOptions['registry']['all']> => options.registry.all();
  installCharts(all);
  const commandsOf = (context: string): CommandWording | undefined => {
    try {
      return labCommands(options.registry, labs.get(context));
    } catch {
      return undefined;
    }
  };
  const state: WebState = {
    options,
    services: webServices(options.registry),
    sessions: new SessionStore(options.sessionLimits, options.now),
    logins: new Logins({
      loopback: options.loopback, log: options.log, env: options.env,
      ...(options.passwordsFile === undefined ? (options.passwords ? { fixed: options.passwords } : {}) : { file: options.passwordsFile }),
      ...(options.passwordsCheckMs === undefined ? {} : { checkMs: options.passwordsCheckMs }),
    }),
    limiter: new LoginLimiter(options.loginLimits, options.now),
    trusted: new TrustedProxies(options.trustProxy),
    labs,
    labNames: new LabNames(labs, { file: config.path, env: options.env, log: options.log, ...(options.configCheckMs === undefined ? {} : { checkMs: options.configCheckMs }) }),
    confirmations: new Confirmations(),
    runs: new RunStore({
      context: (user, signal, progress, context) => webContext(state, user, signal, progress, labs.get(context)),
      draw: (run, r) => {
        // The run's command lines (a plan's `homelab apply`, a hint) name its lab when a shell would use another.
        const commands = commandsOf(run.context);
        return r.ok ? resultHtml(all(), run.op, run.input, r.value, commands) : errorHtml(r.error, { ops: all(), op: run.op, input: run.input, commands });
      },
      timeoutMs: Math.max(options.timeoutMs, 120_000),
    }),
    feeds: new LabFeeds((lab) => {
      // The consistency check reads every guest's config: once per its own period, not at every refresh.
      const check = new KeptRead<ReadOutcome | undefined>(options.checkMs ?? Math.max(CHECK_PERIOD_MS, options.refreshMs));
      return new OverviewFeed(
        { build: () => buildOverview(state, lab, OVERVIEW_READER, check), alertsKey: () => alertsKey(state, lab, OVERVIEW_READER) },
        { refreshMs: options.refreshMs, alertPollMs: options.alertPollMs },
      );
    }),
    streams: new LiveStreams({ alive: (session) => state.sessions.holds(session), ...(options.keepAliveMs === undefined ? {} : { keepAliveMs: options.keepAliveMs }) }),
  };
  // A login that appears, goes or changes ends the sessions (and their event streams) it no longer admits.
  state.logins.watch(() => {
    const ended = (session: Session): boolean => !state.logins.admits(session);
    state.sessions.retain((session) => !ended(session));
    state.streams.endWhere(ended);
  });
  return state;
}

/** Starts the dashboard. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const state = createWebState(options);
  const app = createWebApp(state);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: bindAddress(options.host) }, () => resolve(s as Server));
    s.once('error', (err) => reject(listenError(err, options.host, options.port)));
  }).catch((err: unknown) => {
    state.logins.stop();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    state,
    async close() {
      state.logins.stop();
      state.feeds.stopAll();
      // Event streams first: their loops return (no 20 s keep-alive wait left behind), then every connection goes.
      await state.streams.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await state.labs.closeAll();
    },
  };
}
