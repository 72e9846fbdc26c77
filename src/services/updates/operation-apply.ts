/**
 * @module services/updates/operation-apply
 * `updates apply <target> [--snapshot]`: upgrades every package on one SSH target with
 * its own package manager, non-interactively, streaming the output as progress. It first
 * connects and runs the update check: a host key refused or a check that fails stops it
 * there, nothing changed. With `--snapshot`, a PVE snapshot of the target's guest (`vmid` in
 * its config) is then taken, through `pve.snapshot` (`ctx.invoke`: validated and audited as
 * its own run), and the upgrade only starts once that task ended OK, on a connection opened
 * after it; any failure after it names the snapshot (an upgrade that never started says
 * nothing was upgraded; one cut off, the rollback). The confirmation (`preview`) shows the
 * target and the guest, refusing before it asks what the run would refuse without SSH. An upgrade that succeeded is reported so even when
 * the check after it fails (`remaining: null`, the reason in `notes`). Both audit rows share one plan id: the
 * snapshot is the step `snapshot` of the plan this run applies (`homelab audit --plan <id>`);
 * when this run is itself the step `<step>` of a plan, the snapshot is that plan's step
 * `<step>:snapshot` (as an undo is `<step>:undo`).
 */
import { z } from 'zod';
import { ConfigError, UsageError } from '../../core/errors.js';
import type { SshTarget } from '../../core/config.js';
import { deriveContext } from '../../core/context.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { fields, text, toned } from '../../core/render.js';
import { newPlanId } from '../../orchestration/plan.js';
import { guestPreview } from '../pve/guest-preview.js';
import { failedUpgrade, interruptedUpgrade, recheckCancelled, snapshotFailed, upgradeNotStarted, type TakenSnapshot } from './apply-errors.js';
import { cutLine } from './output-lines.js';
import { probeOutcome } from './parse-probe.js';
import { applyCommand, probeScript } from './probe-script.js';
import { SshDropped } from './ssh/errors.js';
import { SshSession, type SessionOptions } from './ssh/session.js';
import { sessionOptions } from './targets.js';

/** JSON shape of `updates apply`. */
export interface ApplyResult {
  target: string;
  address: string;
  manager: string;
  /** The snapshot taken first, if any. */
  snapshot: TakenSnapshot | null;
  command: string;
  exitCode: number;
  durationMs: number;
  /** The last lines of the upgrade's output (each cut to 200 characters). */
  outputTail: string[];
  /** Still pending after the upgrade (held back, or new ones); null when the check after it failed. */
  remaining: number | null;
  rebootRequired: boolean | null;
  /** What went wrong after the upgrade succeeded (the check after it failed). */
  notes: string[];
}

const APPLY_TIMEOUT_MS = 30 * 60_000;

/** What `apply` reads of `pve.snapshot`'s result (a TaskOutcome). */
const snapshotOutcome = z.looseObject({ upid: z.string() });

/** A snapshot name PVE takes (letters, digits, _; at most 40), down to the second: `pre_updates_20261205183012`. */
function snapshotName(now = new Date()): string {
  return `pre_updates_${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
}

/** `updates apply`. */
export const updatesApply = defineOperation({
  id: 'updates.apply',
  summary: 'Apply all pending updates on one SSH target (optionally after a PVE snapshot)',
  args: ['target'],
  input: z.object({
    target: z.string().min(1).describe('SSH target name (ssh.targets in config.yaml)'),
    snapshot: z.boolean().default(false).describe("take a PVE snapshot of the target's guest first (needs vmid: in its config)"),
  }),
  risk: 'danger',
  timeoutMs: APPLY_TIMEOUT_MS + 10 * 60_000,
  examples: ['updates apply forgejo --snapshot', 'updates apply dns --yes'],
  async preview(ctx, input) {
    const { target, vmid } = applyTarget(ctx, input);
    const what = `Upgrade every package on ${target.name} (${target.user}@${target.host}:${target.port})`;
    if (!input.snapshot || !vmid) return what;
    try {
      return await guestPreview(ctx, vmid, (where) => `${what} after a PVE snapshot of ${where}`);
    } catch (err) {
      throw snapshotFailed(target.name, vmid, ctx.config.path, err);
    }
  },
  async run(ctx, input): Promise<ApplyResult> {
    const { target, vmid, options } = applyTarget(ctx, input);
    const source = `ssh ${target.name}`;
    ctx.progress(`${target.name}: connecting`);
    let session = await SshSession.open(options);
    try {
      // The check first: a target whose check fails (or is killed) is never upgraded, nor snapshotted.
      const probe = () => session.exec('sh -s', { stdin: probeScript(false), timeoutMs: options.timeoutMs, signal: ctx.signal });
      const before = probeOutcome(source, await probe(), target.user);
      let snapshot: TakenSnapshot | null = null;
      if (input.snapshot && vmid) {
        // A snapshot may take minutes: the upgrade gets a connection of its own, not one left idle meanwhile.
        session.close();
        snapshot = await takeSnapshot(ctx, target.name, vmid, ctx.config.path);
        const taken = snapshot;
        ctx.progress(`${target.name}: connecting again`);
        session = await SshSession.open(options).catch((err: unknown) => { throw upgradeNotStarted(target.name, err, taken); });
      }
      const command = applyCommand(before.manager);
      const tail: string[] = [];
      const started = Date.now();
      const result = await session.exec(command, {
        timeoutMs: Math.max(options.timeoutMs, APPLY_TIMEOUT_MS),
        signal: ctx.signal,
        onLine: (line) => {
          if (!line.trim()) return;
          // Kept as the guest sent it (at most MAX_LINE), cut to MAX_DETAIL once where shown.
          tail.push(line);
          if (tail.length > 30) tail.shift();
          ctx.progress(`${target.name}: ${cutLine(line)}`);
        },
      }).catch((err: unknown) => {
        // Only a command never sent is known not to have run: once sent, it may have started, whatever came back.
        throw err instanceof SshDropped && !err.sent ? upgradeNotStarted(target.name, err, snapshot) : interruptedUpgrade(target.name, err, snapshot, tail);
      });
      const durationMs = Date.now() - started;
      if (result.code !== 0) throw failedUpgrade(target.name, before.manager, String(result.code ?? `signal ${result.signal ?? '?'}`), snapshot, tail, target.user);
      const base = { target: target.name, address: `${target.host}:${target.port}`, manager: before.manager, snapshot, command, exitCode: 0, durationMs, outputTail: tail.map(cutLine) };
      // The upgrade succeeded: a check after it that fails is a note, never the run's failure.
      try {
        const after = probeOutcome(source, await probe(), target.user);
        return { ...base, remaining: after.packages.length, rebootRequired: after.rebootRequired, notes: [] };
      } catch (err) {
        if (ctx.signal?.aborted) throw recheckCancelled(target.name, before.manager, err, snapshot);
        return { ...base, remaining: null, rebootRequired: null, notes: [`upgraded; the check after it failed: ${(err as Error).message}`] };
      }
    } finally {
      session.close();
    }
  },
  render: (r) => [
    text(`${r.target}: upgraded with ${r.manager} in ${(r.durationMs / 1000).toFixed(1)} s`, 'ok'),
    fields([
      ['snapshot', r.snapshot ? `${r.snapshot.name} (guest ${r.snapshot.vmid})` : 'none'],
      ['still pending', r.remaining === null ? toned('?', 'warn') : toned(r.remaining, r.remaining ? 'warn' : 'ok')],
      ['reboot', r.rebootRequired === null ? '?' : r.rebootRequired ? toned('required', 'warn') : 'not needed'],
    ]),
    ...r.notes.map((note) => text(note, 'warn')),
    ...(r.outputTail.length ? [text(r.outputTail.slice(-5).join('\n'), 'dim')] : []),
  ],
});

/**
 * The target `updates apply` names, its guest for `--snapshot` and how to reach it; refuses an
 * unknown name (exit 2), a key file or a missing `vmid:` that cannot serve (exit 3). The
 * preview and the run both look.
 */
function applyTarget(ctx: OpContext, input: { target: string; snapshot: boolean }): { target: SshTarget; vmid: number | undefined; options: SessionOptions } {
  const config = ctx.config;
  const target = config.ssh.targets.find((t) => t.name === input.target);
  if (!target) {
    const names = config.ssh.targets.map((t) => t.name);
    throw new UsageError(`no SSH target named ${input.target}`, names.length ? `SSH targets: ${names.join(', ')} (PVE nodes are upgraded from their own shell)` : `add it under ssh.targets in ${config.path}`);
  }
  const options = sessionOptions(config, target, ctx.env, ctx.signal);
  if (input.snapshot && !target.vmid) throw new ConfigError(`--snapshot needs the PVE guest of ${target.name}: add vmid: <id> to its entry under ssh.targets in ${config.path}`);
  return { target, vmid: target.vmid, options };
}

/**
 * Takes the snapshot through `pve.snapshot`, as its own step: `snapshot`, or `<step>:snapshot`
 * when this run is itself the step `<step>` of a plan.
 */
async function takeSnapshot(ctx: OpContext, targetName: string, vmid: number, configPath: string): Promise<TakenSnapshot> {
  const name = snapshotName();
  const step = deriveContext(ctx, { plan: { id: ctx.plan?.id ?? newPlanId(), step: ctx.plan?.step ? `${ctx.plan.step}:snapshot` : 'snapshot' } });
  ctx.progress(`${targetName}: taking snapshot ${name} of guest ${vmid}`);
  try {
    const outcome = snapshotOutcome.parse(await step.invoke('pve.snapshot', { vmid, name, description: `Before homelab updates apply on ${targetName}`, wait: true }));
    return { vmid, name, upid: outcome.upid };
  } catch (err) {
    throw snapshotFailed(targetName, vmid, configPath, err);
  }
}
