/**
 * @module services/setup/doctor/operation
 * `homelab doctor`: checks config (each service's section by its own schema, `watch:` with each check's section, `check:` and `mcp:`), credentials, each service (answers, version, token
 * capabilities), the files that decide who controls the lab (allowlist, dashboard
 * passwords, MCP token), TLS fingerprints and SSH host keys, and says how to fix what fails.
 * When every check passes (warnings allowed) it returns the checks; when any fails it
 * throws a PartialFailureError naming the failures and carrying the whole report, which
 * each surface still shows; the exit status is the most serious failure's
 * (docs/exit-codes.md: 4 unreachable, TLS pin or host key; 5 refused; 3 config; 1 otherwise).
 * With nothing configured at all (no service, SSH target or Telegram bot) there is nothing
 * to check: doctor says so and exits 3, pointing at `homelab init`.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig, type HomelabConfig } from '../../../core/config.js';
import { ConfigError, ExitCode, settleParts } from '../../../core/errors.js';
import { defineOperation } from '../../../core/operation.js';
import { dataHome } from '../../../core/paths.js';
import { commandText, text, type Block, type Tone } from '../../../core/render.js';
import { readAuthorizedUsers } from '../../telegram/allowlist.js';
import { serviceSpecs } from '../service-specs.js';
import { check, failed, type CheckStatus, type DoctorCheck } from './check.js';
import { controlFileChecks } from './control-files.js';
import { settingsSectionChecks } from './section-checks.js';
import { serviceChecks } from './service-checks.js';
import { sshChecks } from './ssh-checks.js';

/** JSON shape of `doctor`. */
export interface DoctorResult {
  /** No check failed (warnings allowed). */
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: DoctorCheck[];
  /** Nothing is configured yet (no config file, or one without services, SSH targets or Telegram). */
  empty: boolean;
}

/** Runs every check; never throws for a failed check. */
export async function runDoctor(env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<DoctorResult> {
  const checks: DoctorCheck[] = [];
  let config: HomelabConfig | undefined;
  let empty = false;
  try {
    config = loadConfig(env);
    const services = Object.keys(config.services);
    empty = !services.length && !config.ssh.targets.length && config.telegram === undefined;
    if (!existsSync(config.path)) checks.push(check('config', 'file', 'fail', `nothing is configured yet: ${config.path} does not exist`, 'run homelab init', ExitCode.config));
    else checks.push(check('config', 'parses', 'pass', `${config.path}: ${services.length} service${services.length === 1 ? '' : 's'} (${services.join(', ') || 'none'}), ${config.ssh.targets.length} SSH target${config.ssh.targets.length === 1 ? '' : 's'}`));
    if (existsSync(config.path) && empty) {
      checks.push(check('config', 'services', 'fail', 'nothing is configured yet: no service, SSH target or Telegram bot', 'run homelab init', ExitCode.config));
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
    checks.push(...(await settingsSectionChecks(cfg)));
    const [perService, ssh] = await Promise.all([
      Promise.all(specs.map((s) => serviceChecks(cfg, s, env, signal))),
      sshChecks(cfg, env, signal),
    ]);
    checks.push(...perService.flat(), ...telegramAudience(cfg, env), ...controlFileChecks(cfg, env), ...ssh);
  }
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) counts[c.status]++;
  return { ok: counts.fail === 0, counts, checks, empty };
}

/**
 * Whom a configured bot serves: warnings when `telegram.owner_chat_id` is not set (`watch`
 * and `telegram send` have no chat to write to, refused strangers are told to no one), and
 * when no one may use the bot (no `telegram.allowed_users`, no one in the authorised-users file).
 */
function telegramAudience(config: HomelabConfig, env: NodeJS.ProcessEnv): DoctorCheck[] {
  const tg = config.telegram;
  if (tg === undefined) return [];
  const out: DoctorCheck[] = [];
  if (typeof tg.owner_chat_id !== 'number') {
    out.push(check('telegram', 'owner', 'warn', 'telegram.owner_chat_id is not set: watch and telegram send have no chat to write to', 'run homelab init (it asks your Telegram user id), or set telegram.owner_chat_id'));
  }
  let fromFile: number[] = [];
  try {
    fromFile = readAuthorizedUsers(dataHome(env), env);
  } catch {
    // An unreadable or untrusted allowlist is reported by controlFileChecks; here it only counts as empty.
  }
  const listed = Array.isArray(tg.allowed_users) ? tg.allowed_users.length : 0;
  if (!listed && !fromFile.length) {
    out.push(check('telegram', 'users', 'warn', 'no one may use the bot: telegram.allowed_users is empty and no one was allowed with telegram allow', 'run homelab init, or homelab telegram allow <your user id>'));
  }
  return out;
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
  if (r.empty) {
    blocks.push(text('nothing is configured yet: run homelab init', 'bad'));
    return blocks;
  }
  blocks.push(text(`${fail ? `${fail} failed` : 'all good'}: ${pass} passed${warn ? `, ${warn} warnings` : ''}${fail ? `, ${fail} failed` : ''}${skip ? `, ${skip} skipped` : ''}`, fail ? 'bad' : warn ? 'warn' : 'ok'));
  return blocks;
}

/** Returns the report when no check failed; else throws the partial failure naming the failed checks. */
export function settleDoctor(r: DoctorResult): DoctorResult {
  if (r.empty) throw new ConfigError(r.checks.find((c) => c.area === 'config' && c.status === 'fail')?.detail ?? 'nothing is configured yet', 'run homelab init');
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
