/**
 * @module services/updates/operation-check
 * `updates check [--target T] [--refresh] [--no-nodes]`: pending updates on every PVE
 * node (apt API) and every SSH target, checked concurrently (SSH with the configured
 * limit). A target that fails is reported in its row; the others go on. When any target
 * could not be checked, the whole report is still the output, and the exit status says so
 * (docs/exit-codes.md): 4 unreachable, timed out or host key refused; 5 key refused; 1 the
 * check ran and failed.
 */
import { z } from 'zod';
import { isConfigured } from '../../core/config.js';
import { CancelledError, ConfigError, settleParts, UsageError } from '../../core/errors.js';
import { mapLimit } from '../../core/map-limit.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { checkNodes } from './check-nodes.js';
import { checkSshTarget } from './check-ssh.js';
import { renderReport } from './render.js';
import { failedReport, totalsOf, type TargetReport, type UpdatesReport } from './report.js';

const input = z.object({
  target: z.string().min(1).optional().describe('only this SSH target or PVE node'),
  refresh: z.boolean().default(false).describe('refresh the package lists first (apt-get update and the like; PVE: needs Sys.Modify)'),
  nodes: z.boolean().default(true).describe('include the Proxmox nodes (on by default; --no-nodes: SSH targets only)'),
});

/** `updates check`. */
export const updatesCheck = defineOperation({
  id: 'updates.check',
  summary: 'Pending package updates on the Proxmox nodes and SSH targets (security, reboot)',
  description: 'Nodes are read through the PVE apt API; SSH targets (ssh.targets in config.yaml) over SSH with key auth and known_hosts.',
  input,
  risk: 'read',
  pages: 'targets',
  timeoutMs: 300_000,
  examples: ['updates check', 'updates check --target forgejo', 'updates check --refresh --json'],
  async run(ctx, args): Promise<UpdatesReport> {
    const report = await runCheck(ctx, args);
    const failures = report.targets.filter((t) => !t.ok).map((t) => ({ part: t.name, exitCode: t.error?.exitCode ?? 1 }));
    return settleParts('updates check', report, report.targets.length, 'targets', failures, 'each target\'s error and fix are in its row above');
  },
  render: (report) => renderReport(report),
});

/** The check itself: every target's report, failed ones included (never a partial-failure error). */
export async function runCheck(ctx: OpContext, args: z.infer<typeof input>): Promise<UpdatesReport> {
  const config = ctx.config;
  const pve = isConfigured(config, 'pve') && args.nodes;
  const sshTargets = config.ssh.targets.filter((t) => !args.target || t.name === args.target);
  if (!pve && config.ssh.targets.length === 0) {
    throw new ConfigError(`nothing to check: ${config.path} has no ssh.targets and no services.pve`,
      'add SSH targets under ssh.targets (name, host, user, key) or configure services.pve');
  }
  const onlyNode = args.target && sshTargets.length === 0 ? args.target : undefined;
  const [nodes, ssh] = await Promise.all([
    pve && (!args.target || onlyNode) ? nodeReports(ctx, args.refresh, onlyNode) : Promise.resolve([]),
    // checkSshTarget turns every failure into its target's row and rejects only when cancelled,
    // so every target is checked; a cancel stops the targets not started yet.
    mapLimit(sshTargets, config.ssh.concurrency, (t) => checkSshTarget(ctx, t, args.refresh)),
  ]);
  const targets = [...nodes, ...ssh];
  if (args.target && targets.length === 0) {
    if (!args.nodes && isConfigured(config, 'pve')) {
      throw new UsageError(`no SSH target named ${args.target}; PVE nodes are left out by --no-nodes`,
        `if ${args.target} is a PVE node, drop --no-nodes to check it${config.ssh.targets.length ? `; SSH targets: ${config.ssh.targets.map((t) => t.name).join(', ')}` : ''}`);
    }
    const names = config.ssh.targets.map((t) => t.name);
    const hints = [names.length ? `SSH targets: ${names.join(', ')}` : '', pve ? 'or a PVE node (homelab pve nodes lists them)' : ''].filter(Boolean);
    throw new UsageError(`no SSH target or PVE node named ${args.target}`, hints.length ? hints.join('; ') : undefined);
  }
  return { targets, totals: totalsOf(targets) };
}

async function nodeReports(ctx: OpContext, refresh: boolean, only?: string): Promise<TargetReport[]> {
  const started = Date.now();
  try {
    return await checkNodes(ctx, refresh, only);
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    return [failedReport({ name: 'pve', kind: 'node', address: 'pve' }, err, started)];
  }
}
