/**
 * @module services/general/doctor/operation
 * `homelab doctor`: checks config, credentials, each service (answers, version, token
 * capabilities), TLS fingerprints and SSH host keys, and says how to fix what fails.
 * When every check passes (warnings allowed) it returns the checks; when any fails it
 * throws a PartialFailureError naming the failures and carrying the whole report, which
 * each surface still shows; the exit status is the most serious failure's
 * (docs/exit-codes.md: 4 unreachable, TLS pin or host key; 5 refused; 3 config; 1 otherwise).
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig, type HomelabConfig } from '../../../core/config.js';
import { settleParts } from '../../../core/errors.js';
import { defineOperation } from '../../../core/operation.js';
import { commandText, text, type Block, type Tone } from '../../../core/render.js';
import { serviceSpecs } from '../service-specs.js';
import { check, failed, type CheckStatus, type DoctorCheck } from './check.js';
import { serviceChecks } from './service-checks.js';
import { sshChecks } from './ssh-checks.js';

/** JSON shape of `doctor`. */
export interface DoctorResult {
  /** No check failed (warnings allowed). */
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: DoctorCheck[];
}

/** Runs every check; never throws for a failed check. */
export async function runDoctor(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<DoctorResult> {
  const checks: DoctorCheck[] = [];
  let config: HomelabConfig | undefined;
  try {
    config = loadConfig(env);
    const services = Object.keys(config.services);
    if (!existsSync(config.path)) checks.push(check('config', 'file', 'warn', `${config.path} does not exist`, 'run homelab init'));
    else checks.push(check('config', 'parses', 'pass', `${config.path}: ${services.length} service${services.length === 1 ? '' : 's'} (${services.join(', ') || 'none'}), ${config.ssh.targets.length} SSH target${config.ssh.targets.length === 1 ? '' : 's'}`));
    if (existsSync(config.path) && !services.length && !config.ssh.targets.length) {
      checks.push(check('config', 'services', 'warn', 'nothing is configured', 'run homelab init'));
    }
  } catch (err) {
    checks.push(failed('config', 'parses', err));
  }
  if (config) {
    const cfg = config;
    const known = new Set(serviceSpecs.map((s) => s.key));
    for (const key of Object.keys(cfg.services).filter((k) => !known.has(k))) {
      checks.push(check('config', key, 'warn', `services.${key} is not a service homelab knows`, `known: ${[...known].filter((k) => k !== 'telegram').join(', ')}`));
    }
    const specs = serviceSpecs.filter((s) => (s.key === 'telegram' ? cfg.telegram !== undefined : cfg.services[s.key] !== undefined));
    const [perService, ssh] = await Promise.all([
      Promise.all(specs.map((s) => serviceChecks(cfg, s, env, signal))),
      sshChecks(cfg, env, signal),
    ]);
    checks.push(...perService.flat(), ...ssh);
  }
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return { ok: counts.fail === 0, counts, checks };
}

const ICON: Record<CheckStatus, [string, Tone]> = { pass: ['✓', 'ok'], warn: ['!', 'warn'], fail: ['✗', 'bad'], skip: ['-', 'dim'] };

/** Human form: one line per check, its fix under it, then the tally. */
export function renderDoctor(r: DoctorResult): Block[] {
  const area = Math.max(0, ...r.checks.map((c) => c.area.length));
  const name = Math.max(0, ...r.checks.map((c) => c.name.length));
  const blocks: Block[] = [];
  for (const c of r.checks) {
    const [icon, tone] = ICON[c.status];
    blocks.push(text(`${icon} ${c.area.padEnd(area)}  ${c.name.padEnd(name)}  ${c.detail}`, tone));
    // The fix is homelab's own command line: a surface may say it in its own terms (the bot's /commands).
    if (c.fix && c.status !== 'pass') blocks.push(commandText(`  ${' '.repeat(area + name + 2)}  fix: ${c.fix}`, 'dim'));
  }
  const { pass, warn, fail, skip } = r.counts;
  blocks.push(text(`${fail ? `${fail} failed` : 'all good'}: ${pass} passed${warn ? `, ${warn} warnings` : ''}${fail ? `, ${fail} failed` : ''}${skip ? `, ${skip} skipped` : ''}`, fail ? 'bad' : warn ? 'warn' : 'ok'));
  return blocks;
}

/** Returns the report when no check failed; else throws the partial failure naming the failed checks. */
export function settleDoctor(r: DoctorResult): DoctorResult {
  const failures = r.checks.filter((c) => c.status === 'fail').map((c) => ({ part: `${c.area} ${c.name}`, exitCode: c.exitCode ?? 1 }));
  return settleParts('doctor', r, r.checks.length, 'checks', failures, 'fix the failures above, then run homelab doctor again');
}

/** `doctor`. */
export const doctorOperation = defineOperation({
  id: 'doctor',
  summary: 'Check config, credentials, services, tokens, TLS pins and SSH host keys; print the fixes',
  description: 'Prints every check and its fix; when any failed, exits with the most serious one\'s code (4 unreachable, TLS pin or host key; 5 refused; 3 config; 1 otherwise; see docs/exit-codes.md). Warnings do not fail.',
  input: z.object({}),
  risk: 'read',
  timeoutMs: 120_000,
  examples: ['doctor', 'doctor --json'],
  async run(ctx) {
    return settleDoctor(await runDoctor(ctx.env, ctx.signal));
  },
  render: renderDoctor,
});
