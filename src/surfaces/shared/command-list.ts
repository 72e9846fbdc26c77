/**
 * @module surfaces/shared/command-list
 * The CLI commands that are not operations (`lab`, `bot`, `mcp`, `watch`, `batch`, …) as
 * plain data: name, summary and options, without how each runs. The CLI adds that
 * (`cli/commands.ts`: each is imported lazily when run); the bot and the MCP server read the
 * names, to tell `homelab lab` in a message (a command of ours that they do not offer) from
 * prose, and the CLI's completion, help and batch read the rest.
 *
 * In surfaces/shared/, the home of what more than one surface uses: a surface imports only
 * its own folder and this one, never another surface's modules, so no surface loads
 * another's code or closes an import cycle with it (test/services/import-cycles.test.ts
 * holds this). Reading the names here, the bot and the MCP server load none of the CLI.
 */
import { batchOptions, botOptions, completionOptions, contextOptions, demoOptions, labOptions, mcpOptions, serveOptions, watchOptions, type CommandFlag } from './command-options.js';

/** The name of every CLI command that is not an operation. */
export const cliCommandNames = ['mcp', 'watch', 'bot', 'batch', 'serve', 'completion', 'demo', 'context', 'lab'] as const;

/** A CLI command that is not an operation, by name. */
export type CliCommandName = (typeof cliCommandNames)[number];

/** A non-operation command as every surface may know it: what it is called, says and takes. */
export interface CommandEntry {
  name: CliCommandName;
  summary: string;
  /** Words its first argument takes, for shell completion (`completion bash|zsh|fish`). */
  words?: readonly string[];
  /** The completion kind of the value after one of those words (`{ use: 'context' }`: `context use <name>`). */
  wordKinds?: Readonly<Record<string, string>>;
  /** Its options (command-options.ts: what its parser reads, its --help says and completion offers). */
  flags: readonly CommandFlag[];
  /** The options of a first word that takes its own (`serve passwd --user`). */
  wordFlags?: Readonly<Record<string, readonly CommandFlag[]>>;
  /** Its arguments are paths, for shell completion (`batch <file>`). */
  operand?: 'file' | 'dir';
  /** It runs in no lab (docs/contexts.md): `--context` and HOMELAB_CONTEXT do not apply to it. */
  ignoresLab?: boolean;
}

/** Every non-operation command, in the order help lists them (one per name of `cliCommandNames`). */
export const commandList: readonly CommandEntry[] = [
  { name: 'mcp', summary: 'Serve the operations to AI agents over MCP (stdio, or HTTP with --http)', flags: mcpOptions.flags },
  { name: 'watch', summary: 'Run the alert checks on schedule and send alerts to Telegram (status, mute, … are subcommands)', flags: watchOptions.flags },
  { name: 'bot', summary: 'Run the Telegram bot (--console: the same bot on this terminal)', flags: botOptions.flags },
  { name: 'batch', summary: 'Run command lines from a file or stdin in one process (one result per line)', flags: batchOptions.flags, operand: 'file' },
  { name: 'serve', summary: 'Serve the web dashboard (read-only unless --allow; serve passwd sets a login)', words: ['passwd'], flags: serveOptions.flags, wordFlags: serveOptions.words },
  { name: 'completion', summary: 'Print the shell completion script (bash, zsh or fish)', words: ['bash', 'zsh', 'fish'], flags: completionOptions.flags, ignoresLab: true },
  { name: 'demo', summary: 'A guided tour of homelab against the simulated lab (starts and stops it)', flags: demoOptions.flags, ignoresLab: true },
  { name: 'context', summary: 'The labs config.yaml defines: context list (services answering), context use <name>, context current', words: ['list', 'use', 'current'], wordKinds: { use: 'context' }, flags: contextOptions.flags },
  { name: 'lab', summary: 'Start the simulated homelab on loopback (demo, tests)', flags: labOptions.flags, ignoresLab: true },
];

/** Whether `word` names a CLI command that is not an operation. */
export function isCliCommandName(word: string): word is CliCommandName {
  return (cliCommandNames as readonly string[]).includes(word);
}
