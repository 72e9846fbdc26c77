/**
 * @module services/kuma/client
 * The Uptime Kuma client: the read-only path (`/metrics` with the API key, no login)
 * and, opened only when an operation needs it, a Socket.IO session for management.
 * Monitors are addressed by id or by name.
 */
import { ConfigError, ExitCode, NotFoundError, UsageError } from '../../core/errors.js';
import { shownWord } from '../../core/words.js';
import { fetchMetrics } from './metrics-fetch.js';
import { monitorStates, parsePrometheus, type MonitorState } from './metrics.js';
import type { Monitor } from './monitor.js';
import { KumaSession } from './session.js';
import type { KumaTokenCache } from './token-cache.js';

/** What the client needs. */
export interface KumaClientOptions {
  url: string;
  fingerprint?: string;
  timeoutMs: number;
  apiKey?: string;
  username?: string;
  password?: string;
  totpSecret?: string;
  prompt?: (question: string, options?: { secret?: boolean }) => Promise<string>;
  progress?: (note: string) => void;
  tokens: KumaTokenCache;
}

/**
 * Uptime Kuma has no monitor by that id or name: a NotFoundError (a plan's undo that finds it
 * gone has nothing to undo), still exit 2 and one line without the service prefix, as the
 * usage error it was (the id or name is the user's input).
 */
export class NoSuchMonitor extends NotFoundError {
  override readonly exitCode = ExitCode.usage;
  constructor(message: string, override readonly hint?: string) {
    super('kuma', 404, message);
    this.message = message;
  }
}

/** Client of one Uptime Kuma server. */
export class KumaClient {
  readonly service = 'kuma';
  private session: Promise<KumaSession> | undefined;

  constructor(readonly options: KumaClientOptions) {}

  /**
   * Every monitor's state from `/metrics` (API key as the Basic password; the user's
   * password before any key exists). `progress` is the calling operation's: a client is
   * shared by the bot's and MCP's calls, so the one it was created with may be another's.
   */
  async metrics(signal?: AbortSignal, progress = this.options.progress): Promise<MonitorState[]> {
    const { apiKey, username, password } = this.options;
    const auth = apiKey ? { user: '', password: apiKey } : username && password ? { user: username, password } : undefined;
    if (!auth) throw new ConfigError('kuma status needs KUMA_API_KEY (or KUMA_USERNAME and KUMA_PASSWORD) in the kuma credentials file');
    const { url, fingerprint, timeoutMs } = this.options;
    const text = await fetchMetrics({ url, fingerprint, timeoutMs, progress, ...auth }, signal);
    return monitorStates(parsePrometheus(text));
  }

  /** The logged-in Socket.IO session (opened on first use). */
  socket(): Promise<KumaSession> {
    const { username, password } = this.options;
    if (!username || !password) {
      return Promise.reject(new ConfigError('managing Uptime Kuma monitors needs KUMA_USERNAME and KUMA_PASSWORD in the kuma credentials file',
        'the API key only reads /metrics; there is no API key login for the Socket.IO API'));
    }
    this.session ??= KumaSession.open({ ...this.options, username, password });
    this.session.catch(() => { this.session = undefined; });
    return this.session;
  }

  /** The monitor with this id (digits) or name; an unknown one is `NoSuchMonitor`, an ambiguous name a usage error. */
  async resolve(idOrName: string): Promise<Monitor> {
    const monitors = [...(await (await this.socket()).monitorList()).values()];
    if (/^\d+$/.test(idOrName)) {
      const monitor = monitors.find((m) => m.id === Number(idOrName));
      if (!monitor) throw new NoSuchMonitor(`Uptime Kuma has no monitor with id ${idOrName}`, 'homelab kuma list shows them');
      return monitor;
    }
    let matches = monitors.filter((m) => m.name === idOrName);
    if (!matches.length) matches = monitors.filter((m) => m.name.toLowerCase() === idOrName.toLowerCase());
    if (matches.length > 1) throw new UsageError(`${matches.length} monitors are named ${shownWord(idOrName)} (ids ${matches.map((m) => m.id).join(', ')}): use the id`);
    const [monitor] = matches;
    if (!monitor) throw new NoSuchMonitor(`Uptime Kuma has no monitor named ${shownWord(idOrName)}`, 'homelab kuma list shows them');
    return monitor;
  }

  /** Closes the Socket.IO session, if one was opened. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) (await session.catch(() => undefined))?.close();
  }
}
