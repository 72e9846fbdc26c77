/**
 * @module watch/scheduler
 * Runs the watcher on cron (croner, loaded lazily): each check on its schedule, the
 * digest on `watch.digest.schedule`, in `watch.timezone` when set. A run still going
 * when its next time comes is skipped (`protect`), so a slow service never piles up
 * runs. Bad expressions are refused at start with the config key that holds them
 * (`scheduleProblems` lists them all, for `watch --once`, which only warns: it uses none).
 * Every error a log line carries is redacted first (a server may echo a secret). The first
 * round stops early when the daemon is stopped (its `signal`): no further check starts. The
 * runs cron started are kept until they end, so stopping can wait for them (`idle`) before
 * the store closes under them.
 */
import { ConfigError, toHomelabError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Watcher, CheckOutcome } from './watcher.js';

/** Running schedules. */
export interface Schedules {
  /** Next run of every scheduled job (`digest` included). */
  next(): { job: string; next: Date | null }[];
  /** Starts no further run (a run under way goes on: abort it, then wait for `idle`). */
  stop(): void;
  /** Resolves once no run a schedule started is under way (never rejects). */
  idle(): Promise<void>;
}

/** Checks a cron expression with croner; a ConfigError naming `key` when it is bad. */
export async function validateCron(expression: string, key: string, timezone?: string): Promise<Date | null> {
  const { Cron } = await import('croner');
  try {
    const job = new Cron(expression, { paused: true, ...(timezone ? { timezone } : {}) });
    const next = job.nextRun();
    job.stop();
    return next;
  } catch (err) {
    throw new ConfigError(`${key}: ${JSON.stringify(expression)} is not a valid cron expression (${(err as Error).message})`);
  }
}

/** One line describing a run, for the daemon's log. */
export function describeOutcome(o: CheckOutcome): string {
  if (o.outcome === 'skipped') return `${o.check}: skipped (${o.detail ?? ''})`;
  const what = o.outcome === 'error' ? `failed: ${o.detail ?? ''}` : `${o.findings.length} finding(s)`;
  return `${o.check}: ${what}${o.notices.length ? `; ${o.notices.length} notice(s) ${o.sent ? 'sent' : 'NOT sent, will retry'}` : ''}`;
}

/**
 * Runs every check once (the daemon's first round), one after the other, logging each outcome,
 * or why the round failed. Once `signal` aborts (the daemon stopping), no further check starts.
 */
export async function runFirstRound(watcher: Watcher, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  try {
    for (const name of watcher.checks.keys()) {
      if (signal?.aborted) break;
      log(describeOutcome(await watcher.runCheck(name)));
    }
  } catch (err) {
    if (!signal?.aborted) log(`first run failed: ${redact(toHomelabError(err).message)}`);
  }
  if (signal?.aborted) log('first run stopped: the watch is stopping (what was not sent is sent at the next start)');
}

/** Every schedule the watcher would run (each enabled check's and the digest's) that croner refuses: a ConfigError naming each bad key. */
export async function scheduleProblems(watcher: Watcher): Promise<ConfigError[]> {
  const timezone = watcher.watch.timezone;
  const schedules: [key: string, expression: string][] = [];
  for (const [name, resolved] of watcher.checks) {
    if (!resolved.skip) schedules.push([`watch.checks.${name}.schedule`, resolved.schedule]);
  }
  if (watcher.watch.digest.enabled) schedules.push(['watch.digest.schedule', watcher.watch.digest.schedule]);
  const problems: ConfigError[] = [];
  for (const [key, expression] of schedules) {
    await validateCron(expression, key, timezone).catch((err: unknown) => {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err);
    });
  }
  return problems;
}

/** Checks every schedule the watcher would run with croner; a ConfigError naming the first bad key. */
export async function checkSchedules(watcher: Watcher): Promise<void> {
  const [first] = await scheduleProblems(watcher);
  if (first) throw first;
}

/** Starts a cron job per enabled check and one for the digest. */
export async function startSchedules(watcher: Watcher, log: (line: string) => void): Promise<Schedules> {
  const { Cron } = await import('croner');
  const timezone = watcher.watch.timezone;
  const jobs: { job: string; cron: InstanceType<typeof Cron> }[] = [];
  const options = { protect: true, ...(timezone ? { timezone } : {}) };
  // Every schedule checked before any job starts: a bad one leaves nothing running.
  await checkSchedules(watcher);
  // The runs under way: stopping waits for them (aborted, they end at once) before the store closes.
  const running = new Set<Promise<void>>();
  const tracked = (run: () => Promise<void>) => async (): Promise<void> => {
    const done = run().catch(() => undefined);
    running.add(done);
    try {
      await done;
    } finally {
      running.delete(done);
    }
  };
  for (const [name, resolved] of watcher.checks) {
    if (resolved.skip) continue;
    const cron = new Cron(resolved.schedule, options, tracked(async () => {
      try {
        log(describeOutcome(await watcher.runCheck(name)));
      } catch (err) {
        log(`${name}: ${redact(toHomelabError(err).message)}`);
      }
    }));
    jobs.push({ job: name, cron });
  }
  if (watcher.watch.digest.enabled) {
    const cron = new Cron(watcher.watch.digest.schedule, options, tracked(async () => {
      try {
        await watcher.sendDigest();
        log('digest sent');
      } catch (err) {
        log(`digest not sent: ${redact(toHomelabError(err).message)}`);
      }
    }));
    jobs.push({ job: 'digest', cron });
  }
  return {
    next: () => jobs.map((j) => ({ job: j.job, next: j.cron.nextRun() })),
    stop: () => {
      for (const j of jobs) j.cron.stop();
    },
    idle: async () => {
      while (running.size) await Promise.all(running);
    },
  };
}
