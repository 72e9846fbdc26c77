/**
 * @module services/pbs/operations-jobs
 * `pbs gc [--store S] [--start]` and `pbs verify [--store S] [--group vm/101] [--all]`. Both
 * start a PBS task and wait for it; one that ends in error exits 1 with its log tail. A
 * verify run that found broken snapshots still shows its result, naming them, then exits 1
 * (docs/exit-codes.md).
 */
import { z } from 'zod';
import { ExitCode, OperationError, PartialFailureError, UsageError } from '../../core/errors.js';
import { formatBytes, formatDuration, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { type Block, fields, text, toned } from '../../core/render.js';
import { pbsClientFactory } from './factory.js';
import { type GcSummary, gcSummary } from './gc.js';
import type { PbsClient } from './client.js';
import { withNamespace } from './health.js';
import { type GroupRef, groupSchema, namespaceSchema, storeSchema, waitSchema } from './inputs.js';
import { resolveStore } from './store.js';
import { runPbsTask, TASK_TIMEOUT_MS, type TaskRun } from './task-run.js';
import { verifyOutcome } from './verify-failures.js';

/** JSON shape of `pbs gc`: the GC status (after the run, with `--start`) and the run itself. */
export interface GcResult extends GcSummary {
  /** The run started by `--start`; null without it. */
  started: TaskRun | null;
}

/** A datastore as a confirmation names it: `datastore main`, or the default one when none is given. */
function storeWords(store: string | undefined): string {
  return store ? `datastore ${store}` : 'the default datastore';
}

/** The group a verify confirmation names: `ct/106`, `ns/pve/ct/106`, `ct/106 in the root namespace` (`--ns /`). */
function groupWords(group: GroupRef, ns: string | undefined): string {
  const name = `${group.type}/${group.id}`;
  if (ns === undefined) return name;
  return ns ? withNamespace(ns, name) : `${name} in the root namespace`;
}

function outcome(label: string, run: TaskRun): Block {
  if (!run.waited) return text(`${label}: task started (${run.upid})`);
  const secs = run.durationMs === null ? '' : ` in ${(run.durationMs / 1000).toFixed(1)} s`;
  return text(`${label}: ${run.exitstatus}${secs}`, run.exitstatus === 'OK' ? 'ok' : 'warn');
}

/** `pbs gc`. */
export const pbsGc = defineOperation({
  id: 'pbs.gc',
  summary: 'Show garbage collection status, or start GC and wait for it (--start)',
  input: z.object({
    store: storeSchema.optional(),
    start: z.boolean().default(false).describe('start garbage collection and wait for it'),
    wait: waitSchema,
  }),
  risk: 'change',
  timeoutMs: TASK_TIMEOUT_MS,
  examples: ['pbs gc', 'pbs gc --start', 'pbs gc --store main --start --no-wait'],
  confirm: (i) => (i.start
    ? `Start garbage collection on ${storeWords(i.store)}${i.wait ? ' and wait for it' : ''}: chunks no backup uses any more are deleted`
    : `Show the garbage collection status of ${storeWords(i.store)} (nothing is started)`),
  async run(ctx, input): Promise<GcResult> {
    const client = await ctx.client(pbsClientFactory);
    const store = await resolveStore(client, input.store, ctx.signal);
    const started = input.start
      ? await runPbsTask(ctx, client, `garbage collection on ${store}`, input.wait, () => client.startGc(store, ctx.signal))
      : null;
    return { ...(await gcSummary(client, store, ctx.signal)), started };
  },
  render: (r) => {
    const blocks: Block[] = [];
    if (r.started) blocks.push(outcome(`garbage collection on ${r.store}`, r.started));
    blocks.push(fields([
      ['last run', r.running ? toned('running now', 'accent') : formatTime(r.endtime)],
      ['result', toned(r.state ?? '-', r.ok === null ? 'dim' : r.ok ? (r.state === 'OK' ? 'ok' : 'warn') : 'bad')],
      ['duration', formatDuration(r.durationSeconds)],
      ['removed', formatBytes(r.removedBytes)],
      ['pending removal', formatBytes(r.pendingBytes)],
      ['on disk', formatBytes(r.diskBytes)],
      ['deduplication', r.diskBytes && r.indexDataBytes ? `${(r.indexDataBytes / r.diskBytes).toFixed(2)}x` : '-'],
      ['schedule', r.schedule ?? '-'],
      ['next run', formatTime(r.nextRun)],
    ], `Garbage collection on ${r.store}`));
    return blocks;
  },
});

/** JSON shape of `pbs verify`. */
export interface VerifyResult extends TaskRun {
  store: string;
  /** What was verified: the store, or a group like `ct/106`. */
  scope: string;
  /** Snapshots this run checked; null when not waited for. */
  checked: number | null;
  /** Snapshots this run found broken (`vm/200/2026-…Z`); the run then exits 1 with this result shown. */
  failed: string[];
}

/**
 * The namespace holding `group` in `store`: `ns` when given and it has the group there, else
 * the only one that has it. A group in no namespace, or in several without `ns`, is a usage
 * error (exit 2) before anything starts.
 */
async function groupNamespace(client: PbsClient, store: string, group: GroupRef, ns: string | undefined, signal: AbortSignal): Promise<string> {
  const name = `${group.type}/${group.id}`;
  const found = [...new Set((await client.allSnapshots(store, group, signal)).map((s) => s.ns))].sort();
  const where = (list: string[]): string => list.map((n) => (n ? `namespace ${n}` : 'the root namespace')).join(', ');
  if (ns !== undefined) {
    if (found.includes(ns)) return ns;
    throw new UsageError(`${store} has no backup group ${name} in ${where([ns])}`, found.length ? `it is in ${where(found)}` : 'homelab pbs status lists the groups');
  }
  if (found.length === 1) return found[0] as string;
  if (!found.length) throw new UsageError(`${store} has no backup group ${name}`, 'homelab pbs status lists the groups (homelab pbs snapshots --group for one)');
  throw new UsageError(`${store} has backup group ${name} in ${where(found)}`, 'pass --ns with the namespace to verify (--ns / for the root)');
}

/** `pbs verify`. */
export const pbsVerify = defineOperation({
  id: 'pbs.verify',
  summary: 'Verify backups (snapshots not verified yet) and wait for the result',
  input: z.object({
    store: storeSchema.optional(),
    group: groupSchema.optional(),
    ns: namespaceSchema.optional(),
    all: z.boolean().default(false).describe('also re-verify snapshots verified before (failed ones included)'),
    wait: waitSchema,
  }),
  risk: 'change',
  timeoutMs: TASK_TIMEOUT_MS,
  examples: ['pbs verify', 'pbs verify --group ct/106 --all', 'pbs verify --group ct/106 --ns pve'],
  confirm: (i) => `Verify ${i.group ? `backup group ${groupWords(i.group, i.ns)} on ${storeWords(i.store)}` : `${storeWords(i.store)} (every namespace)`}`
    + `${i.wait ? ' and wait for the result' : ''}: ${i.all ? 'every snapshot, those verified before too' : 'the snapshots not verified yet'} (PBS reads all their chunks)`,
  async run(ctx, input): Promise<VerifyResult> {
    const client = await ctx.client(pbsClientFactory);
    const store = await resolveStore(client, input.store, ctx.signal);
    if (input.ns !== undefined && !input.group) throw new UsageError('--ns narrows --group: pass --group too (a store-wide verify covers every namespace)');
    // PBS answers OK for a group that does not exist (it verifies nothing): a typo must not pass as a clean run.
    const group = input.group ? { ...input.group, ns: await groupNamespace(client, store, input.group, input.ns, ctx.signal) } : undefined;
    const scope = group ? withNamespace(group.ns, `${group.type}/${group.id}`) : store;
    let upid: string | undefined;
    const started = Date.now();
    try {
      const run = await runPbsTask(ctx, client, `verify of ${group ? `${store}:${scope}` : store}`, input.wait, async () => {
        upid = await client.startVerify(store, {
          ...(group ? { ns: group.ns || undefined, 'backup-type': group.type, 'backup-id': group.id } : {}),
          ...(input.all ? { 'ignore-verified': false } : {}),
        }, ctx.signal);
        return upid;
      });
      const checked = run.waited ? (await verifyOutcome(client, store, run.upid, group, ctx.signal)).checked : null;
      return { store, scope, ...run, checked, failed: [] };
    } catch (err) {
      // The run ended in error: when it found broken snapshots, show the result with them (exit 1).
      if (!(err instanceof OperationError) || upid === undefined) throw err;
      const found = await verifyOutcome(client, store, upid, group, ctx.signal).catch(() => undefined);
      if (!found?.failed.length) throw err;
      const status = await client.taskStatus(upid, ctx.signal).catch(() => undefined);
      const result: VerifyResult = {
        store, scope, upid, waited: true, exitstatus: status?.exitstatus ?? 'failed', durationMs: Date.now() - started, ...found,
      };
      throw new PartialFailureError(err.message, result, found.failed.map((part) => ({ part, exitCode: ExitCode.failed })), err.hint, err.details);
    }
  },
  render: (r) => {
    const blocks = [outcome(`verify of ${r.scope === r.store ? r.store : `${r.store}:${r.scope}`}`, r)];
    if (r.checked !== null) blocks.push(text(`${r.checked} snapshot${r.checked === 1 ? '' : 's'} checked${r.failed.length ? `, ${r.failed.length} failed:` : ''}`, r.failed.length ? 'bad' : 'ok'));
    for (const snap of r.failed) blocks.push(text(`  ${snap}`, 'bad'));
    return blocks;
  },
});
