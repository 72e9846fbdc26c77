/**
 * @module watch/watcher
 * The watch daemon's work, without the clock: `runCheck` runs one check, moves its
 * alerts (engine), and sends what is due, usually in one message (watch/run-message; claimed first,
 * watch/claims, so another process running the check at once never sends it too; each message's
 * notices recorded as sent once it went out); `sendDigest` sends the daily
 * digest. The scheduler calls these on cron; tests call them directly with a fake
 * clock and an injected notifier. Checks reach operations through `ctx.invoke`, found in
 * the registry the daemon was given. A check whose operations are not in it, or
 * whose services are not configured, is skipped, and its alerts dropped (it watches nothing:
 * none stays firing, in `watch status` or the digest); a check that fails (or runs past its
 * limit, watch/evaluate) raises its own `<check>:error` alert and leaves its other alerts as they were.
 * Secrets: every run and digest first registers the stored secrets (`registerStoredSecrets`, as the
 * CLI, MCP, web and the bot do), and a finding's message is redacted before it is stored or sent, so a
 * credential in a service's text (a monitor named after a token) reaches neither the chat nor the state
 * (a finding's key is redacted too: it names the monitor).
 */
import type { HomelabConfig } from '../core/config.js';
import { ClientCache, createContext } from '../core/context.js';
import { registerStoredSecrets } from '../core/credentials.js';
import { toHomelabError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Registry } from '../core/registry.js';
import type { AnyCheck, CheckRunner, Finding } from './check.js';
import { allChecks } from './checks/index.js';
import { watchConfig, type WatchConfig } from './config.js';
import { claimNotices, newRun, releaseClaims, type ClaimingRun } from './claims.js';
import { applyFindings, markSent, type AlertPolicy, type Notice } from './engine.js';
import { buildDigest } from './digest.js';
import { evaluateWithin } from './evaluate.js';
import { runMessage } from './run-message.js';
import type { Notifier } from './notifier.js';
import { resolveCheck, type ResolvedCheck } from './resolve.js';
import { createRunner } from './runner.js';
import { MAINTENANCE, WatchStore } from './state.js';
import { withContext } from '../core/context-name.js';
import { contextDataHome } from '../core/paths.js';

/** What the watcher needs. */
export interface WatcherOptions {
  registry: Registry;
  config: HomelabConfig;
  env?: NodeJS.ProcessEnv;
  notifier: Notifier;
  /** Default (`Watcher.open`): the database in the data directory of the config's lab. */
  store?: WatchStore;
  /** Default: every check. */
  checks?: readonly AnyCheck[];
  /** Epoch milliseconds; a fake clock in tests. */
  now?: () => number;
  clients?: ClientCache;
  log?: (line: string) => void;
  /** Aborts the runs under way (the daemon stopping): a run cut off throws and records nothing. */
  signal?: AbortSignal;
}

/** What one run of a check did. */
export interface CheckOutcome {
  check: string;
  outcome: 'ok' | 'error' | 'skipped';
  detail?: string;
  findings: Finding[];
  notices: Notice[];
  /** Every message of the notices reached the owner (false: those of the failed and later messages are retried next run). */
  sent: boolean;
  /**
   * Why this run failed, as an exit code (docs/exit-codes.md): the check could not run
   * (`error`: its error's code), or its notices could not be sent (the sending error's).
   * Absent when the run did its job; what a check *finds* is never a failure.
   */
  exitCode?: number;
}

/** Runs checks and the digest against one store and notifier. */
export class Watcher {
  readonly watch: WatchConfig;
  readonly store: WatchStore;
  readonly checks: ReadonlyMap<string, ResolvedCheck>;
  private readonly now: () => number;
  private readonly clients: ClientCache;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (line: string) => void;

  /** A watcher over `options.store`, else the database in the data directory of the config's lab (its context's). */
  static async open(options: WatcherOptions): Promise<Watcher> {
    if (options.store) return new Watcher({ ...options, store: options.store });
    // Alert state is per context (lab): the store in the state directory of the config's context.
    const env = options.env ?? process.env;
    const log = options.log;
    const store = await WatchStore.open(contextDataHome(options.config.context ? withContext(env, options.config.context) : env), log ? { warn: (line) => log(`warning: ${line}`) } : {});
    try {
      return new Watcher({ ...options, store });
    } catch (err) {
      store.close();
      throw err;
    }
  }

  constructor(private readonly options: WatcherOptions & { store: WatchStore }) {
    this.env = options.env ?? process.env;
    this.watch = watchConfig(options.config);
    this.now = options.now ?? Date.now;
    this.clients = options.clients ?? new ClientCache();
    this.log = options.log ?? (() => undefined);
    this.checks = new Map((options.checks ?? allChecks).map((c) => [c.name, resolveCheck(c, options.config, this.watch, (id) => options.registry.get(id) !== undefined)]));
    this.store = options.store;
  }

  /** Whether alerts of `check` are silenced now (muted, or a maintenance window). */
  silenced(check: string, now = this.now()): boolean {
    return this.store.mutes(now).some((m) => m.target === check || m.target === MAINTENANCE);
  }

  /** Runs one check now. */
  async runCheck(name: string): Promise<CheckOutcome> {
    const resolved = this.checks.get(name);
    if (!resolved) throw new Error(`no check named ${name}`);
    // Before anything is read: a credential in a service's text is hidden whichever client loaded its own yet.
    registerStoredSecrets(this.env);
    const started = this.now();
    if (resolved.skip) {
      // A check that does not run watches nothing: its alerts are dropped, none left firing (nor resolved: nothing was seen to end).
      this.store.transaction(() => {
        for (const a of this.store.alerts(name)) this.store.deleteAlert(a.key);
        this.store.saveRun({ check: name, time: started, outcome: 'skipped', detail: resolved.skip ?? null, findings: [] });
      });
      return { check: name, outcome: 'skipped', detail: resolved.skip, findings: [], notices: [], sent: true };
    }
    // Within the check's time limit (watch/evaluate), and the daemon's stop.
    const runnerFor = (signal: AbortSignal): CheckRunner => createRunner(createContext({
      actor: { surface: 'watch', id: name }, signal, env: this.env, config: this.options.config, clients: this.clients, operations: this.options.registry, maxRisk: 'read',
    }));
    let findings: Finding[];
    let error: string | undefined;
    let exitCode: number | undefined;
    try {
      findings = (await evaluateWithin(resolved, runnerFor, started, this.options.signal)).map((f) => ({ ...f, key: redact(f.key), message: redact(f.message) }));
    } catch (err) {
      const e = toHomelabError(err);
      error = redact(e.message);
      exitCode = e.exitCode;
      findings = [{ key: `${name}:error`, message: `the check could not run: ${error}`, severity: 'warning' }];
    }
    this.options.signal?.throwIfAborted();
    const now = this.now();
    this.store.saveRun({ check: name, time: now, outcome: error ? 'error' : 'ok', detail: error ?? null, findings });
    if (resolved.check.kind === 'digest' && !error) return { check: name, outcome: 'ok', findings, notices: [], sent: true };
    // Claimed in the transaction that works them out (watch/claims): another process running this check now sends each notice at most once.
    const run = newRun();
    const notices = this.store.transaction(() => {
      applyFindings(this.store, name, findings, now, resolved.policy, error !== undefined);
      return claimNotices(this.store, name, now, resolved.policy, this.silenced(name, now), run);
    });
    let sent = true;
    const { notifier } = this.options;
    const parts = runMessage(notices, now, notifier.limit);
    for (const [i, part] of parts.entries()) {
      // Each message is sent once and recorded as soon as it went out: a failure leaves its own notices, and the later messages', due.
      if (i > 0 && notifier.gapMs) await new Promise((r) => setTimeout(r, notifier.gapMs));
      try {
        // Redacted again: alerts stored before their secret was registered.
        await notifier.send(redact(part.text));
      } catch (err) {
        sent = false;
        const e = toHomelabError(err);
        exitCode ??= e.exitCode;
        const unsent = parts.slice(i).flatMap((p) => p.notices);
        this.log(`could not send ${unsent.length} of ${notices.length} notice(s) of ${name}, will retry: ${redact(e.message)}`);
        this.settle(name, unsent, false, now, resolved.policy, run);
        break;
      }
      const recordFailure = this.settle(name, part.notices, true, now, resolved.policy, run);
      exitCode ??= recordFailure;
    }
    return { check: name, outcome: error ? 'error' : 'ok', ...(error ? { detail: error } : {}), findings, notices, sent, ...(exitCode === undefined ? {} : { exitCode }) };
  }

  /**
   * Records sent notices, or drops the claims of unsent ones (due again next run). When
   * the store fails, says so and returns the exit code: the claims then lapse when this
   * process ends, and the notices are sent (again) by the next run.
   */
  private settle(name: string, notices: readonly Notice[], sent: boolean, now: number, policy: AlertPolicy, run: ClaimingRun): number | undefined {
    try {
      if (sent) markSent(this.store, notices, now, policy, run.run);
      else releaseClaims(this.store, notices, run);
      return undefined;
    } catch (err) {
      const e = toHomelabError(err);
      this.log(`could not record ${notices.length} notice(s) of ${name} as ${sent ? 'sent (they may be sent again)' : 'unsent'}: ${redact(e.message)}`);
      return e.exitCode;
    }
  }

  /** Runs every check once, one after the other. */
  async runAll(): Promise<CheckOutcome[]> {
    const out: CheckOutcome[] = [];
    for (const name of this.checks.keys()) out.push(await this.runCheck(name));
    return out;
  }

  /** The digest text for now. */
  digest(): string {
    const watched = [...this.checks.values()].filter((c) => !c.skip).map((c) => c.check);
    return buildDigest(this.store, watched, this.now(), this.watch.timezone);
  }

  /** Sends the daily digest. */
  async sendDigest(): Promise<string> {
    registerStoredSecrets(this.env);
    const text = redact(this.digest());
    await this.options.notifier.send(text);
    this.store.setMeta('last_digest', String(this.now()));
    return text;
  }

  /** Closes the service clients (the store stays open for its owner). */
  async close(): Promise<void> {
    await this.clients.closeAll();
  }
}
