/**
 * @module services/updates/operation-apply
 * `updates apply <target> [--snapshot]`: upgrades every package on one SSH target with
 * its own package manager, non-interactively, streaming the output as progress. With
 * `--snapshot`, a PVE snapshot of the target's guest (`vmid` in its config) is taken
 * first, through `pve.snapshot` (`ctx.invoke`: validated and audited as its own run), and
 * the upgrade only starts once that task ended OK. Both audit rows share one plan id: the
 * snapshot is the step `snapshot` of the plan this run applies (`homelab audit --plan <id>`);
 * when this run is itself the step `<step>` of a plan, the snapshot is that plan's step
 * `<step>:snapshot` (as an undo is `<step>:undo`).
 */
import { z } from 'zod';
import { ConfigError, OperationError, UsageError } from '../../core/errors.js';
import { deriveContext } from '../../core/context.js';
import { defineOperation } from '../../core/operation.js';
import { fields, text, toned } from '../../core/render.js';
import { newPlanId } from '../../orchestration/plan.js';
import { parseProbe } from './parse-probe.js';
import { applyCommand, probeScript } from './probe-script.js';
import { SshSession } from './ssh/session.js';
import { sessionOptions } from './targets.js';

/** JSON shape of `updates apply`. */
export interface ApplyResult {
  target: string;
  address: string;
  manager: string;
  /** The snapshot taken first, if any. */
  snapshot: { vmid: number; name: string; upid: string } | null;
  command: string;
  exitCode: number;
  durationMs: number;
  /** The last lines of the upgrade's output. */
  outputTail: string[];
  /** Still pending after the upgrade (held back, or new ones). */
  remaining: number;
  rebootRequired: boolean | null;
}

const APPLY_TIMEOUT_MS = 30 * 60_000;

/** What `apply` reads of `pve.snapshot`'s result (a TaskOutcome). */
const snapshotOutcome = z.looseObject({ upid: z.string() });

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
    let snapshot: ApplyResult['snapshot'] = null;
    if (input.snapshot) {
      if (!target.vmid) throw new ConfigError(`--snapshot needs the PVE guest of ${target.name}: add vmid: <id> to its entry under ssh.targets in ${config.path}`);
      const name = `pre_updates_${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
      // Its own step: `snapshot`, or `<step>:snapshot` when this run is itself the step `<step>` of a plan.
      const step = deriveContext(ctx, { plan: { id: ctx.plan?.id ?? newPlanId(), step: ctx.plan?.step ? `${ctx.plan.step}:snapshot` : 'snapshot' } });
      const outcome = snapshotOutcome.parse(await step.invoke('pve.snapshot', { vmid: target.vmid, name, description: `Before homelab updates apply on ${target.name}`, wait: true }));
      snapshot = { vmid: target.vmid, name, upid: outcome.upid };
    }
    ctx.progress(`${target.name}: connecting`);
    const session = await SshSession.open(options);
    try {
      const before = parseProbe(`ssh ${target.name}`, (await session.exec('sh -s', { stdin: probeScript(false), timeoutMs: options.timeoutMs, signal: ctx.signal })).stdout, '');
      const command = applyCommand(before.manager);
      const tail: string[] = [];
      const started = Date.now();
      const result = await session.exec(command, {
        timeoutMs: Math.max(options.timeoutMs, APPLY_TIMEOUT_MS),
        signal: ctx.signal,
        onLine: (line) => {
          if (!line.trim()) return;
          tail.push(line);
          if (tail.length > 30) tail.shift();
          ctx.progress(`${target.name}: ${line}`);
        },
      });
      const durationMs = Date.now() - started;
      if (result.code !== 0) {
        throw new OperationError(`${target.name}: ${before.manager} upgrade exited with ${result.code ?? result.signal}`,
          snapshot ? `snapshot ${snapshot.name} of guest ${snapshot.vmid} holds the state from before: homelab pve rollback ${snapshot.vmid} ${snapshot.name}` : undefined,
          tail.slice(-8));
      }
      const after = parseProbe(`ssh ${target.name}`, (await session.exec('sh -s', { stdin: probeScript(false), timeoutMs: options.timeoutMs, signal: ctx.signal })).stdout, '');
      return {
        target: target.name, address: `${target.host}:${target.port}`, manager: before.manager, snapshot, command,
        exitCode: 0, durationMs, outputTail: tail, remaining: after.packages.length, rebootRequired: after.rebootRequired,
      };
    } finally {
      session.close();
    }
  },
  render: (r) => [
    text(`${r.target}: upgraded with ${r.manager} in ${(r.durationMs / 1000).toFixed(1)} s`, 'ok'),
    fields([
      ['snapshot', r.snapshot ? `${r.snapshot.name} (guest ${r.snapshot.vmid})` : 'none'],
      ['still pending', toned(r.remaining, r.remaining ? 'warn' : 'ok')],
      ['reboot', r.rebootRequired === null ? '?' : r.rebootRequired ? toned('required', 'warn') : 'not needed'],
    ]),
    ...(r.outputTail.length ? [text(r.outputTail.slice(-5).join('\n'), 'dim')] : []),
  ],
});
