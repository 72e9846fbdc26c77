/**
 * @module watch/scheduler
 * Runs the watcher on cron (croner, loaded lazily): each check on its schedule, the
 * digest on `watch.digest.schedule`, in `watch.timezone` when set. A run still going
 * when its next time comes is skipped (`protect`), so a slow service never piles up
 * runs. Bad expressions are refused at start with the config key that holds them.
 * Every error a log line carries is redacted first (a server may echo a secret). The first
 * round stops early when the daemon is stopped (its `signal`): no further check starts.
 */
import { ConfigError, toHomelabError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Watcher, CheckOutcome } from './watcher.js';

/** Running schedules. */
export interface Schedules {
  /** Next run of every scheduled job (`digest` included). */
  next(): { job: string; next: Date | null }[];
  stop(): void;
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

/** Checks every schedule the watcher would run (each enabled check's and the digest's) with croner; a ConfigError naming the first bad key. */
export async function checkSchedules(watcher: Watcher): Promise<void> {
  const timezone = watcher.watch.timezone;
  for (const [name, resolved] of watcher.checks) {
    if (!resolved.skip) await validateCron(resolved.schedule, `watch.checks.${name}.schedule`, timezone);
  }
  if (watcher.watch.digest.enabled) await validateCron(watcher.watch.digest.schedule, 'watch.digest.schedule', timezone);
}

/** Starts a cron job per enabled check and one for the digest. */
export async function startSchedules(watcher: Watcher, log: (line: string) => void): Promise<Schedules> {
  const { Cron } = await import('croner');
  const timezone = watcher.watch.timezone;
  const jobs: { job: string; cron: InstanceType<typeof Cron> }[] = [];
  const options = { protect: true, ...(timezone ? { timezone } : {}) };
  // Every schedule checked before any job starts: a bad one leaves nothing running.
  await checkSchedules(watcher);
  for (const [name, resolved] of watcher.checks) {
    if (resolved.skip) continue;
    const cron = new Cron(resolved.schedule, options, async () => {
      try {
        log(describeOutcome(await watcher.runCheck(name)));
      } catch (err) {
        log(`${name}: ${redact(toHomelabError(err).message)}`);
      }
    });
    jobs.push({ job: name, cron });
  }
  if (watcher.watch.digest.enabled) {
    const cron = new Cron(watcher.watch.digest.schedule, options, async () => {
      try {
        await watcher.sendDigest();
        log('digest sent');
      } catch (err) {
        log(`digest not sent: ${redact(toHomelabError(err).message)}`);
      }
    });
    jobs.push({ job: 'digest', cron });
  }
  return {
    next: () => jobs.map((j) => ({ job: j.job, next: j.cron.nextRun() })),
    stop: () => {
      for (const j of jobs) j.cron.stop();
    },
  };
}
