/**
 * @module surfaces/cli/commands
 * CLI commands that are not operations: long-running processes and local set-up
 * (`lab`, `bot`, `mcp`, `watch`, `batch`, …). Each is imported lazily when run.
 */
import { batchOptions, botOptions, completionOptions, contextOptions, demoOptions, labOptions, mcpOptions, serveOptions, watchOptions } from './command-options.js';
import type { CommandFlag } from './completion/model.js';
import type { CliIo } from './main.js';

/** A non-operation command. `run` gets the words after its name (without the colour switches before `--`) and returns an exit code. */
export interface CliCommand {
  name: string;
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
  run(words: string[], io: CliIo, options: { noColor: boolean }): Promise<number>;
}

/** Every non-operation command. */
export const cliCommands: CliCommand[] = [
  { name: 'mcp', summary: 'Serve the operations to AI agents over MCP (stdio, or HTTP with --http)', flags: mcpOptions.flags, run: async (w, io) => (await import('../mcp/command.js')).mcpCommand(w, io.env) },
  { name: 'watch', summary: 'Run the alert checks on schedule and send alerts to Telegram (status, mute, … are subcommands)', flags: watchOptions.flags, run: async (w, io) => (await import('../../watch/command.js')).watchCommand(w, io.env) },
  { name: 'bot', summary: 'Run the Telegram bot (--console: the same bot on this terminal)', flags: botOptions.flags, run: async (w, io) => (await import('../telegram/bot-command.js')).botCommand(w, io.env) },
  { name: 'batch', summary: 'Run command lines from a file or stdin in one process (one result per line)', flags: batchOptions.flags, operand: 'file', run: async (w, io, o) => (await import('./batch.js')).batchCommand(w, io, o) },
  { name: 'serve', summary: 'Serve the web dashboard (read-only unless --allow; serve passwd sets a login)', words: ['passwd'], flags: serveOptions.flags, wordFlags: serveOptions.words, run: async (w, io) => (await import('../web/command.js')).serveCommand(w, io.env) },
  { name: 'completion', summary: 'Print the shell completion script (bash, zsh or fish)', words: ['bash', 'zsh', 'fish'], flags: completionOptions.flags, ignoresLab: true, run: async (w, io) => (await import('./completion/completion-command.js')).completionCommand(w, io) },
  { name: 'demo', summary: 'A guided tour of homelab against the simulated lab (starts and stops it)', flags: demoOptions.flags, ignoresLab: true, run: async (w) => (await import('./demo-command.js')).demoCommand(w) },
  { name: 'context', summary: 'The labs config.yaml defines: context list (services answering), context use <name>, context current', words: ['list', 'use', 'current'], wordKinds: { use: 'context' }, flags: contextOptions.flags, run: async (w, io, o) => (await import('./context-command.js')).contextCommand(w, io, o) },
  { name: 'lab', summary: 'Start the simulated homelab on loopback (demo, tests)', flags: labOptions.flags, ignoresLab: true, run: async (w) => (await import('./lab-command.js')).labCommand(w) },
];
