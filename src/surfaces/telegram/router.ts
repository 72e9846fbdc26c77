/**
 * @module surfaces/telegram/router
 * From a command message to what to do, with no per-command code: `/help`, the
 * shortcuts (`/status`, `/pbs`, `/ping`), a service alone (its help), or an operation
 * from the registry with its input built exactly as the CLI builds it
 * (`inputFromWords`) and validated with its schema (`parseInput`).
 */
import { asksForHelp, inputFromWords, usageLine, wordName } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';
import { parseInput } from '../../core/invoke.js';
import { isOptionLike, shownName } from '../../core/words.js';
import { isOfferedOn, type AnyOperation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import type { CommandLine } from './command-line.js';
import { botTextFor } from './bot-text.js';
import { operationHelp, overviewHelp, serviceHelp, type HelpLabs } from './help.js';

/** What a command asks for. */
export type Route =
  | { kind: 'reply'; html: string }
  | { kind: 'ping'; words: string[] }
  | { kind: 'run'; op: AnyOperation; input: Record<string, unknown>; json: boolean };

/**
 * Routes a parsed command; throws UsageError for unknown commands and bad input. `labs`:
 * the labs the bot serves, when there are several (`/help` then says how to pick one).
 */
export function route(registry: Registry, line: CommandLine, labs?: HelpLabs): Route {
  const { name, words } = line;
  // `/start` is what Telegram sends when a chat opens, with a deep link's payload as its word
  // (`t.me/bot?start=payload`): the overview whatever follows; `/help pve` is the service's help.
  if (name === 'start') return { kind: 'reply', html: overviewHelp(registry, labs) };
  if (name === 'help') {
    const service = words[0] ? registry.service(words[0]) : undefined;
    if (words[0] && !service) throw new UsageError(`no service named ${shownName(words[0])}`, 'send /help for the list');
    return { kind: 'reply', html: service ? serviceHelp(service, botTextFor(registry)) : overviewHelp(registry, labs) };
  }
  if (name === 'ping') return { kind: 'ping', words };
  if (name === 'status' && !registry.get('status')) {
    throw new UsageError('/status is not available: no status operation is installed in this homelab', 'send /help for what is');
  }
  if (name === 'pbs' && !asksForHelp(words) && words.every(isOptionLike)) {
    if (!registry.get('pbs.status')) throw new UsageError('/pbs is not available: the Proxmox Backup Server service is not installed in this homelab');
    return operation(registry.get('pbs.status') as AnyOperation, words);
  }
  const resolved = registry.resolve([name, ...words]);
  if (!resolved) {
    const service = registry.service(name);
    if (!service) throw new UsageError(`unknown command /${name}`, 'send /help for the list');
    if (words.length === 0 || asksForHelp(words)) return { kind: 'reply', html: serviceHelp(service, botTextFor(registry)) };
    const subVerbs = subVerbsOf(service.operations, `${service.name}.${words[0] ?? ''}.`);
    if (subVerbs.length) {
      const next = words[1];
      const message = next === undefined || isOptionLike(next) ? `/${name} ${words[0]} needs one of: ${subVerbs.join(', ')}` : `unknown command /${name} ${words[0]} ${shownName(next)}`;
      throw new UsageError(message, `usage: /${name} ${words[0]} ${subVerbs.join('|')} …`);
    }
    throw new UsageError(`unknown command /${name} ${words[0] === undefined ? '' : shownName(words[0])}`.trim(), `send /help ${service.name}`);
  }
  if (!isOfferedOn(resolved.op, 'telegram')) throw new UsageError(`/${resolved.op.id.replace(/\./g, ' ')} is only available on the command line of the management host`);
  if (asksForHelp(resolved.rest)) return { kind: 'reply', html: operationHelp(resolved.op, botTextFor(registry)) };
  return operation(resolved.op, resolved.rest);
}

/** The sub-verbs under `prefix` (`kuma.add.` → http, ping, …) that the bot offers. */
function subVerbsOf(ops: readonly AnyOperation[], prefix: string): string[] {
  return [...new Set(ops.filter((o) => o.id.startsWith(prefix) && isOfferedOn(o, 'telegram')).map((o) => o.id.slice(prefix.length).split('.')[0] ?? ''))];
}

function operation(op: AnyOperation, words: string[]): Route {
  try {
    const { input: raw, flags } = inputFromWords(op, words);
    return { kind: 'run', op, input: parseInput(op, raw, wordName(op)), json: flags.has('json') };
  } catch (err) {
    // A hint that says what to give ("give at least one of …") stays; a CLI usage or help pointer gives way to the bot's usage line.
    if (err instanceof UsageError) throw new UsageError(err.message, err.hint && !/^(usage|see):/.test(err.hint) ? err.hint : `usage: ${usageLine(op, '/')}`);
    throw err;
  }
}
