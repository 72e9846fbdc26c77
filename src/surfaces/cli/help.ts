/**
 * @module surfaces/cli/help
 * `--help` text generated from the command index (built from the registry): the
 * overview, one service group, one operation. Needs no service module and no zod.
 */
import { describedField, switchName } from '../../core/field-help.js';
import { ALL_CONTEXTS_OPERATIONS } from '../../core/context-flag.js';
import { cliExampleLine } from '../../core/op-examples.js';
import type { CommandIndex, IndexedOperation } from './command-index.js';
import type { CliCommand } from './commands.js';

const RISK_NOTE = { read: '', change: ' (changes state)', danger: ' (destructive: asks first; --yes on scripts)' } as const;

/** The overview: every service group and command. */
export function overviewHelp(index: CommandIndex, commands: readonly CliCommand[], version: string): string {
  const lines = [`homelab ${version}: one control plane for a Proxmox homelab`, '', 'Usage: homelab <service> <command> [args] [--json] [--yes]', '', 'Services:'];
  const topLevel = index.operationsOf('');
  for (const s of index.data.services.filter((x) => x.name)) {
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
    '  --json             print the result as JSON (stable shapes, see the README)',
    '  --yes, -y          do not ask before destructive operations',
    '  --context <name>   run in this context (lab) instead of the current one (also HOMELAB_CONTEXT)',
    `  --all-contexts     run ${ALL_CONTEXTS_OPERATIONS.join(', ')} (and the watch daemon) in every context at once`,
    '  --no-color         no colours (also NO_COLOR=1)',
    '  --help, -h         help for any service or command',
    '  --version          print the version',
    '', 'Run `homelab <service> --help` to see its commands.',
  );
  return lines.join('\n');
}

/** One service group's commands. */
export function serviceHelp(index: CommandIndex, name: string): string {
  const service = index.service(name);
  if (!service) return '';
  const ops = index.operationsOf(service.name);
  const lines = [`homelab ${service.name}: ${service.summary}`, '', 'Commands:'];
  const width = Math.max(...ops.map((op) => op.usage.length));
  for (const op of ops) lines.push(`  ${op.usage.padEnd(width)}  ${op.summary}`);
  lines.push('', `Run \`homelab ${service.name} <command> --help\` for its options.`);
  return lines.join('\n');
}

/** One operation: usage, summary, arguments, options, examples. */
export function operationHelp(op: IndexedOperation): string {
  const lines = [`Usage: homelab ${op.usage}`, '', `${op.summary}${op.confirms ? ' (changes state: shows what it will do and asks first; --yes on scripts)' : RISK_NOTE[op.risk]}`];
  if (op.description) lines.push('', op.description);
  const positional = op.fields.filter((f) => f.position !== undefined);
  const options = op.fields.filter((f) => f.position === undefined);
  if (positional.length) {
    lines.push('', 'Arguments:');
    for (const f of positional) lines.push(`  ${f.key.padEnd(22)} ${describedField(f)}`);
  }
  lines.push('', 'Options:');
  for (const f of options) {
    const name = f.kind === 'boolean' ? switchName(f) : `--${f.flag} <${f.kind === 'number' ? 'n' : f.choices ? f.choices.join('|') : f.file ? 'file' : 'value'}>`;
    lines.push(`  ${name.padEnd(22)} ${describedField(f)}`);
  }
  lines.push(`  ${'--json'.padEnd(22)} print the result as JSON`);
  lines.push(`  ${'--context <name>'.padEnd(22)} run in this context (lab) instead of the current one`);
  if (ALL_CONTEXTS_OPERATIONS.includes(op.id)) lines.push(`  ${'--all-contexts'.padEnd(22)} run it in every context (lab) at once, one block each`);
  // Every run that asks first takes --yes: a destructive one, and a change with a preview (a plan: expose, apply).
  if (op.risk === 'danger' || op.confirms) lines.push(`  ${'--yes, -y'.padEnd(22)} do not ask for confirmation`);
  if (op.examples?.length) {
    lines.push('', 'Examples:');
    for (const e of op.examples) lines.push(`  ${cliExampleLine(e)}`);
  }
  return lines.join('\n');
}
