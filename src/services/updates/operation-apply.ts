/**
 * @module services/updates/operation-apply
 * `updates apply <target> [--snapshot]`: upgrades every package on one SSH target with
 * its own package manager, non-interactively, streaming the output as progress. It first
 * connects and runs the update check: a host key refused or a check that fails stops it
 * there, nothing changed. With `--snapshot`, a PVE snapshot of the target's guest (`vmid` in
 * its config) is then taken, through `pve.snapshot` (`ctx.invoke`: validated and audited as
 * its own run), and the upgrade only starts once that task ended OK; any failure after it
 * names the snapshot and the rollback. An upgrade that succeeded is reported so even when
 * the check after it fails (`remaining: null`, the reason in `notes`). Both audit rows share one plan id: the
 * snapshot is the step `snapshot` of the plan this run applies (`homelab audit --plan <id>`);
 * when this run is itself the step `<step>` of a plan, the snapshot is that plan's step
 * `<step>:snapshot` (as an undo is `<step>:undo`).
 */
import { z } from 'zod';
import { ConfigError, UsageError } from '../../core/errors.js';
import { deriveContext } from '../../core/context.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { fields, text, toned } from '../../core/render.js';
import { newPlanId } from '../../orchestration/plan.js';
import { failedUpgrade, interruptedUpgrade, snapshotFailed, type TakenSnapshot } from './apply-errors.js';
import { cutLine } from './output-lines.js';
import { probeOutcome } from './parse-probe.js';
import { applyCommand, probeScript } from './probe-script.js';
import { SshSession } from './ssh/session.js';
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
  confirm: (input) => `Upgrade every package on ${input.target}${input.snapshot ? ' after a PVE snapshot' : ''}`,
  async run(ctx, input): Promise<ApplyResult> {
    const config = ctx.config;
    const target = config.ssh.targets.find((t) => t.name === input.target);
    if (!target) {
      const names = config.ssh.targets.map((t) => t.name);
      throw new UsageError(`no SSH target named ${input.target}`, names.length ? `SSH targets: ${names.join(', ')} (PVE nodes are upgraded from their own shell)` : `add it under ssh.targets in ${config.path}`);
    }
    const options = sessionOptions(config, target, ctx.env, ctx.signal);
    const vmid = target.vmid;
    if (input.snapshot && !vmid) throw new ConfigError(`--snapshot needs the PVE guest of ${target.name}: add vmid: <id> to its entry under ssh.targets in ${config.path}`);
    const source = `ssh ${target.name}`;
    ctx.progress(`${target.name}: connecting`);
    const session = await SshSession.open(options);
    try {
      // The check first: a target whose check fails (or is killed) is never upgraded, nor snapshotted.
      const probe = () => session.exec('sh -s', { stdin: probeScript(false), timeoutMs: options.timeoutMs, signal: ctx.signal });
      const before = probeOutcome(source, await probe());
      const snapshot = input.snapshot && vmid ? await takeSnapshot(ctx, target.name, vmid, config.path) : null;
      const command = applyCommand(before.manager);
      const tail: string[] = [];
      const started = Date.now();
      const result = await session.exec(command, {
        timeoutMs: Math.max(options.timeoutMs, APPLY_TIMEOUT_MS),
        signal: ctx.signal,
        onLine: (line) => {
          if (!line.trim()) return;
          tail.push(cutLine(line));
          if (tail.length > 30) tail.shift();
          ctx.progress(`${target.name}: ${cutLine(line)}`);
        },
      }).catch((err: unknown) => { throw interruptedUpgrade(target.name, err, snapshot, tail); });
      const durationMs = Date.now() - started;
      if (result.code !== 0) throw failedUpgrade(target.name, before.manager, String(result.code ?? `signal ${result.signal ?? '?'}`), snapshot, tail);
      const base = { target: target.name, address: `${target.host}:${target.port}`, manager: before.manager, snapshot, command, exitCode: 0, durationMs, outputTail: tail };
      // The upgrade succeeded: a check after it that fails is a note, never the run's failure.
      try {
        const after = probeOutcome(source, await probe());
        return { ...base, remaining: after.packages.length, rebootRequired: after.rebootRequired, notes: [] };
      } catch (err) {
        if (ctx.signal?.aborted) throw err;
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
