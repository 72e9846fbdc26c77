/**
 * @module surfaces/shared/command-words
 * Which words after `homelab` in a line name one of homelab's commands (a service, an
 * operation, a CLI command that is not one), read from the registry: what a long-running
 * surface (the MCP server, the web dashboard) gives `core/lab-in-commands` to tell a command
 * line it should name a lab in from prose ("a record homelab manages"). `homelab context …`
 * is not one of them: it works on the config's labs whichever lab runs it, so it never names
 * a lab (as the CLI's own rule, `cli/lab-commands`, has it).
 */
import type { Registry } from '../../core/registry.js';
import { isCliCommandName } from './command-list.js';

/** Whether `homelab <word>` is a command line to name a lab in, for a surface serving `registry`. */
export function labCommandWord(registry: Registry): (word: string) => boolean {
  return (word) => word !== 'context' && (registry.service(word) !== undefined || registry.resolve([word]) !== undefined || isCliCommandName(word));
}
