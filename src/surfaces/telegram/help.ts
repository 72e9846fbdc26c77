/**
 * @module surfaces/telegram/help
 * `/help` and the command menu (`setMyCommands`), generated from the registry: one
 * command per service (`/pve list`, `/dns add …`), one per top-level operation, plus
 * the shortcuts `/status`, `/pbs` and `/ping`. An operation's examples are written for the
 * CLI; the bot shows each as it must be sent there: a flag the CLI reads from a file
 * (`cliFiles`: `--ssh-key ~/.ssh/id_ed25519.pub`) takes the text itself on the bot, so its
 * value is shown as a quoted placeholder for that text (`botExample`). An example the bot
 * would refuse is left out (`botShowsExample`): a shell line (a pipe, a redirection) and one
 * giving an input only the command line takes (`cliOnlyInputs`: `plan ./lab.yaml`).
 */
import { fieldsOf, inputFromWords, usageLine } from '../../core/args.js';
import { describedField, switchName } from '../../core/field-help.js';
import { isShellExample } from '../../core/op-examples.js';
import { isOfferedOn, type AnyOperation, type ServiceModule } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import type { ForBot } from './bot-text.js';
import { tokenize } from './command-line.js';
import { bold, code, escapeHtml } from './html.js';
import { clip } from './text-cap.js';

/** A command menu entry as `setMyCommands` takes it. */
export interface MenuCommand {
  command: string;
  description: string;
}

const MENU_NAME = /^[a-z0-9_]{1,32}$/;
const RISK = { read: '', change: ' · asks first', danger: ' · destructive, asks first' } as const;

/** The command menu: help, shortcuts, every service and top-level operation (at most 100). */
export function menuCommands(registry: Registry): MenuCommand[] {
  const out = new Map<string, string>();
  out.set('help', 'Commands and how to use them');
  if (registry.get('status')) out.set('status', registry.get('status')?.summary ?? 'Everything at a glance');
  if (registry.get('pbs.status')) out.set('pbs', 'Backup status (Proxmox Backup Server)');
  out.set('ping', 'Ping a host: /ping <host>');
  for (const service of registry.services) {
    if (service.name && MENU_NAME.test(service.name) && !out.has(service.name)) out.set(service.name, service.summary);
  }
  for (const op of topLevel(registry)) if (MENU_NAME.test(op.id) && !out.has(op.id)) out.set(op.id, op.summary);
  return [...out].slice(0, 100).map(([command, description]) => ({ command, description: clip(description || command, 256) }));
}

function topLevel(registry: Registry): AnyOperation[] {
  return registry.services.filter((s) => s.name === '').flatMap((s) => s.operations.filter((op) => isOfferedOn(op, 'telegram')));
}

/** The labs a bot serves, for `/help` (given only when there are several). */
export interface HelpLabs {
  names: readonly string[];
  /** Where commands run when they name none. */
  home: string;
}

/** `/help`: shortcuts, services, top-level commands; with several labs, how to pick one. */
export function overviewHelp(registry: Registry, labs?: HelpLabs): string {
  const lines = [bold('homelab bot'), '', bold('Shortcuts')];
  lines.push(`/status: ${escapeHtml(registry.get('status') ? 'everything at a glance' : 'everything at a glance (not installed)')}`);
  lines.push(`/pbs: ${escapeHtml(registry.get('pbs.status') ? 'backup status' : 'backup status (not installed)')}`);
  lines.push(`/ping ${escapeHtml('<host>')}: ping a host from the management host`);
  const services = registry.services.filter((s) => s.name);
  if (services.length) {
    lines.push('', bold('Services'));
    for (const s of services) lines.push(`/${escapeHtml(s.name)}: ${escapeHtml(s.summary)}`);
  }
  const top = topLevel(registry);
  if (top.length) {
    lines.push('', bold('Commands'));
    for (const op of top) lines.push(`/${escapeHtml(op.id)}: ${escapeHtml(op.summary)}`);
  }
  lines.push('', `Send ${code('/help pve')} for a service's commands, ${code('/pve start --help')} for one command.`);
  lines.push('Commands that change something ask for confirmation. Other text goes to the inbox; photos and files are saved.');
  if (labs) {
    lines.push('', bold('Labs'), `Commands run in ${code(labs.home)} unless they name another with ${code('--context <name>')}, like ${code(`/pve list --context ${labs.names.find((n) => n !== labs.home) ?? labs.home}`)}.`);
    lines.push(`Labs: ${labs.names.map((n) => code(n)).join(', ')}`);
  }
  return lines.join('\n');
}

/** `/help <service>` or `/<service>`: its commands with usage (`forBot`: CLI command lines in summaries as the bot has them). */
export function serviceHelp(service: ServiceModule, forBot: ForBot = (t) => t): string {
  const lines = [`${bold(`/${service.name}`)}: ${escapeHtml(forBot(service.summary))}`, ''];
  for (const op of service.operations.filter((o) => isOfferedOn(o, 'telegram'))) lines.push(`${code(usageLine(op, '/'))}\n  ${escapeHtml(forBot(op.summary) + RISK[op.risk])}`);
  return lines.join('\n');
}

/**
 * An example as the bot shows it (without the slash): the value of a flag the CLI reads from a
 * file (`cliFiles`) becomes a quoted placeholder for the file's text, which is what the bot
 * takes: `--ssh-key ~/.ssh/id_ed25519.pub` → `--ssh-key "<text of ~/.ssh/id_ed25519.pub>"`.
 */
export function botExample(op: AnyOperation, example: string): string {
  const flags = fieldsOf(op).filter((f) => f.file).map((f) => f.flag.replace(/[^a-z0-9-]/g, ''));
  if (!flags.length) return example;
  const value = new RegExp(`(--(?:${flags.join('|')}))(?:=|\\s+)("[^"]*"|'[^']*'|\\S+)`, 'g');
  return example.replace(value, (_m, flag: string, path: string) => `${flag} "<text of ${path.replace(/^["']|["']$/g, '')}>"`);
}

/**
 * Whether the bot's help shows this example of `op`: not a shell line (the bot has no shell),
 * and giving none of the inputs only the command line takes (`cliOnlyInputs`), which the
 * operation refuses from the bot: `plan ./lab.yaml`, `plan --detailed-exitcode`, `export -`.
 */
export function botShowsExample(op: AnyOperation, example: string): boolean {
  if (isShellExample(example)) return false;
  const cliOnly = new Set(op.cliOnlyInputs ?? []);
  if (!cliOnly.size) return true;
  try {
    const { input } = inputFromWords(op, tokenize(example).slice(op.id.split('.').length));
    return !Object.keys(input).some((key) => cliOnly.has(key));
  } catch {
    return false; // one the parser refuses is shown nowhere (test/surfaces/help-examples catches it)
  }
}

/** `/<service> <verb> --help`: usage, arguments, options and examples of one operation (`forBot`: CLI command lines in its texts as the bot has them). */
export function operationHelp(op: AnyOperation, forBot: ForBot = (t) => t): string {
  const lines = [code(usageLine(op, '/')), escapeHtml(forBot(op.summary) + RISK[op.risk])];
  if (op.description) lines.push('', escapeHtml(forBot(op.description)));
  const fields = fieldsOf(op);
  const describe = (f: (typeof fields)[number]): string => escapeHtml(describedField(f, forBot(f.description ?? '')));
  const positional = fields.filter((f) => f.position !== undefined);
  const options = fields.filter((f) => f.position === undefined);
  if (positional.length) {
    lines.push('', bold('Arguments'));
    for (const f of positional) lines.push(`${code(f.key)} ${describe(f)}`);
  }
  lines.push('', bold('Options'));
  for (const f of options) {
    // A value the CLI reads from a file is the text itself here (in quotes when it has spaces).
    const value = f.file ? '"<text>"' : `<${f.kind === 'number' ? 'n' : 'value'}>`;
    const name = f.kind === 'boolean' ? switchName(f) : `--${f.flag} ${value}`;
    lines.push(`${code(name)} ${describe(f)}`);
  }
  lines.push(`${code('--json')} the result as JSON`);
  const examples = (op.examples ?? []).filter((e) => botShowsExample(op, e));
  if (examples.length) {
    lines.push('', bold('Examples'));
    for (const e of examples) lines.push(code(`/${botExample(op, e)}`));
  }
  return lines.join('\n');
}
