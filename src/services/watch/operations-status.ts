/**
 * @module services/watch/operations-status
 * `watch status`: every check (schedule, next run, hold and repeat, last run, why it
 * is skipped), the alerts pending or firing (but those of a check that does not run), mutes
 * and the maintenance window, from the database the daemon writes (read-only). `watch digest`:
 * the digest as it would be sent now.
 */
import { z } from 'zod';
import { formatDuration } from '../../core/format.js';
import { toHomelabError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned, type Block } from '../../core/render.js';
import { resolvedChecks } from './resolved.js';
import { readWatchStore } from './store.js';

/** One check in `watch status`. */
export interface CheckStatus {
  name: string;
  summary: string;
  kind: 'alert' | 'digest';
  schedule: string;
  nextRun: string | null;
  /** Why its schedule is refused (the daemon will not start until it is fixed); null when it is valid. */
  scheduleProblem: string | null;
  /** Why it does not run; null when it runs. */
  skipped: string | null;
  holdSeconds: number;
  repeatSeconds: number;
  lastRun: string | null;
  lastOutcome: 'ok' | 'error' | 'skipped' | null;
  lastDetail: string | null;
  mutedUntil: string | null;
}

/** One alert in `watch status`. */
export interface AlertStatus {
  key: string;
  check: string;
  state: 'pending' | 'firing' | 'ok';
  message: string;
  severity: 'warning' | 'critical';
  /** When the current state began. */
  since: string;
  firedAt: string | null;
  /** The owner was told. */
  notified: boolean;
  flapping: boolean;
}

/** JSON shape of `watch status`. */
export interface WatchStatus {
  maintenanceUntil: string | null;
  checks: CheckStatus[];
  alerts: AlertStatus[];
}

const iso = (ms: number | null | undefined): string | null => (ms ? new Date(ms).toISOString() : null);

/** `watch status`. */
export const watchStatus = defineOperation({
  id: 'watch.status',
  summary: 'Show the checks, their schedules and last runs, alerts pending or firing, mutes and maintenance',
  input: z.object({}),
  risk: 'read',
  examples: ['watch status', 'watch status --json'],
  async run(ctx): Promise<WatchStatus> {
    const { resolved, timezone } = await resolvedChecks(ctx);
    const [{ validateCron }, { MAINTENANCE }] = await Promise.all([import('../../watch/scheduler.js'), import('../../watch/state.js')]);
    const now = Date.now();
    const read = await readWatchStore(ctx.dataDir, (store) => ({ mutes: store.mutes(now), runs: store.runs(), alerts: store.alerts() }));
    const { mutes } = read;
    const runs = new Map(read.runs.map((r) => [r.check, r]));
    // A check that does not run (disabled, its service gone) watches nothing: its alerts are not shown.
    const skipped = new Set(resolved.filter((r) => r.skip).map((r) => r.check.name));
    const checks = await Promise.all(resolved.map(async (r): Promise<CheckStatus> => {
      const run = runs.get(r.check.name);
      // A schedule croner refuses is shown, not fatal: status is how the owner looks at the watch.
      const next = r.skip ? { at: null, problem: null } : await validateCron(r.schedule, `watch.checks.${r.check.name}.schedule`, timezone)
        .then((d) => ({ at: iso(d?.getTime()), problem: null }), (err: unknown) => ({ at: null, problem: toHomelabError(err).message }));
      return {
        name: r.check.name, summary: r.check.summary, kind: r.check.kind ?? 'alert', schedule: r.schedule,
        nextRun: next.at, scheduleProblem: next.problem,
        skipped: r.skip ?? null, holdSeconds: r.policy.holdMs / 1000, repeatSeconds: r.policy.repeatMs / 1000,
        lastRun: iso(run?.time), lastOutcome: run?.outcome ?? null, lastDetail: run?.detail ?? null,
        mutedUntil: iso(mutes.find((m) => m.target === r.check.name)?.until),
      };
    }));
    const alerts = read.alerts.filter((a) => !skipped.has(a.check) && (a.state !== 'ok' || a.notified)).map((a): AlertStatus => ({
      key: a.key, check: a.check, state: a.state, message: a.message, severity: a.severity, since: iso(a.since) as string,
      firedAt: iso(a.firedAt), notified: a.notified, flapping: a.flapping,
    }));
    return { maintenanceUntil: iso(mutes.find((m) => m.target === MAINTENANCE)?.until), checks, alerts };
  },
  render: (s) => {
    const at = (v: string | null): string => (v ? v.slice(0, 16).replace('T', ' ') : '-');
    const blocks: Block[] = [];
    if (s.maintenanceUntil) blocks.push(text(`Maintenance window until ${at(s.maintenanceUntil)} UTC: no alerts are sent`, 'warn'));
    blocks.push(table(
      ['check', 'schedule', 'next run', 'hold>', 'repeat>', 'last run', 'result'],
      s.checks.map((c) => [
        c.mutedUntil ? toned(`${c.name} (muted to ${at(c.mutedUntil).slice(11)})`, 'warn') : c.name,
        c.kind === 'digest' ? `${c.schedule} (digest)` : c.schedule,
        c.skipped ? toned(`skipped: ${c.skipped}`, 'dim') : c.scheduleProblem ? toned('invalid schedule (homelab doctor)', 'bad') : at(c.nextRun),
        c.kind === 'digest' ? '-' : formatDuration(c.holdSeconds),
        c.kind === 'digest' ? '-' : c.repeatSeconds ? formatDuration(c.repeatSeconds) : 'never',
        at(c.lastRun),
        c.lastOutcome === 'error' ? toned(`error: ${c.lastDetail ?? ''}`.slice(0, 60), 'bad') : toned(c.lastOutcome ?? '-', c.lastOutcome === 'ok' ? 'ok' : 'dim'),
      ]),
    ));
    blocks.push(table(
      ['alert', 'state', 'since', 'told', 'message'],
      s.alerts.map((a) => [
        a.key,
        toned(a.flapping ? `${a.state}, flapping` : a.state, a.state === 'firing' ? 'bad' : a.state === 'pending' ? 'warn' : 'ok'),
        at(a.state === 'firing' ? a.firedAt : a.since),
        a.notified ? 'yes' : 'no',
        a.message,
      ]),
      { title: 'Alerts', empty: 'no alerts pending or firing' },
    ));
    return blocks;
  },
});

/** `watch digest`: the digest as it would be sent now. */
export const watchDigest = defineOperation({
  id: 'watch.digest',
  summary: 'Show the daily digest as it would be sent now',
  input: z.object({}),
  risk: 'read',
  examples: ['watch digest'],
  async run(ctx): Promise<{ text: string }> {
    const { resolved, timezone } = await resolvedChecks(ctx);
    const { buildDigest } = await import('../../watch/digest.js');
    const watched = resolved.filter((r) => !r.skip).map((r) => r.check);
    return { text: await readWatchStore(ctx.dataDir, (store) => buildDigest(store, watched, Date.now(), timezone)) };
  },
  render: (r) => [text(r.text)],
});
