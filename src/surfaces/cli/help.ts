/**
 * @module surfaces/cli/help
 * `--help` text generated from the registry: the overview, one service group, one operation.
 */
import { fieldsOf, usageLine } from '../../core/args.js';
import type { AnyOperation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import type { CliCommand } from './commands.js';

const RISK_NOTE = { read: '', change: ' (changes state)', danger: ' (destructive: asks first; --yes on scripts)' } as const;

/** The overview: every service group and command. */
export function overviewHelp(registry: Registry, commands: readonly CliCommand[], version: string): string {
  const lines = [`homelab ${version}: one control plane for a Proxmox homelab`, '', 'Usage: homelab <service> <command> [args] [--json] [--yes]', '', 'Services:'];
  const topLevel = registry.services.filter((s) => s.name === '').flatMap((s) => s.operations);
  for (const s of registry.services.filter((x) => x.name)) {
    const alias = s.aliases?.length ? ` (alias: ${s.aliases.join(', ')})` : '';
    lines.push(`  ${s.name.padEnd(10)} ${s.summary}${alias}`);
  }
  lines.push('', 'Commands:');
  const names = [...topLevel.map((op) => op.id.replace(/\./g, ' ')), ...commands.map((c) => c.name)];
  const width = Math.max(10, ...names.map((n) => n.length));
  topLevel.forEach((op, i) => lines.push(`  ${(names[i] ?? op.id).padEnd(width)} ${op.summary}`));
  for (const c of commands) lines.push(`  ${c.name.padEnd(width)} ${c.summary}`);
  lines.push(
    '', 'Global options:',
    '  --json       print the result as JSON (stable shapes, see the README)',
    '  --yes, -y    do not ask before destructive operations',
    '  --no-color   no colours (also NO_COLOR=1)',
    '  --help, -h   help for any service or command',
    '  --version    print the version',
    '', 'Run `homelab <service> --help` to see its commands.',
  );
  return lines.join('\n');
}

/** One service group's commands. */
export function serviceHelp(registry: Registry, name: string): string {
  const service = registry.service(name);
  if (!service) return '';
  const lines = [`homelab ${service.name}: ${service.summary}`, '', 'Commands:'];
  const width = Math.max(...service.operations.map((op) => usageLine(op).length));
  for (const op of service.operations) lines.push(`  ${usageLine(op).padEnd(width)}  ${op.summary}`);
  lines.push('', `Run \`homelab ${service.name} <command> --help\` for its options.`);
  return lines.join('\n');
}

/** One operation: usage, summary, arguments, options, examples. */
export function operationHelp(op: AnyOperation): string {
  const lines = [`Usage: homelab ${usageLine(op)}`, '', `${op.summary}${RISK_NOTE[op.risk]}`];
  if (op.description) lines.push('', op.description);
  const fields = fieldsOf(op);
  const positional = fields.filter((f) => f.position !== undefined);
  const options = fields.filter((f) => f.position === undefined);
  const describe = (f: (typeof fields)[number]): string => {
    const extra = [f.choices ? `one of ${f.choices.join(', ')}` : '', f.defaultValue !== undefined && f.kind !== 'boolean' ? `default ${String(f.defaultValue)}` : ''].filter(Boolean).join('; ');
    return `${f.description ?? ''}${extra ? ` (${extra})` : ''}`;
  };
  if (positional.length) {
    lines.push('', 'Arguments:');
    for (const f of positional) lines.push(`  ${f.key.padEnd(22)} ${describe(f)}`);
  }
  lines.push('', 'Options:');
  for (const f of options) {
    const name = f.kind === 'boolean' ? (f.defaultValue === true ? `--no-${f.flag}` : `--${f.flag}`) : `--${f.flag} <${f.kind === 'number' ? 'n' : f.choices ? f.choices.join('|') : 'value'}>`;
    lines.push(`  ${name.padEnd(22)} ${describe(f)}`);
  }
  lines.push(`  ${'--json'.padEnd(22)} print the result as JSON`);
  if (op.risk === 'danger') lines.push(`  ${'--yes, -y'.padEnd(22)} do not ask for confirmation`);
  if (op.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of op.examples) lines.push(`  homelab ${e}`);
  }
  return lines.join('\n');
}
