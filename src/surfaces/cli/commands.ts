/**
 * @module surfaces/cli/commands
 * CLI commands that are not operations: long-running processes and local set-up
 * (`lab`, `bot`, `mcp`, `watch`, `batch`, …). Each is imported lazily when run.
 */
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
  /** Its options, for shell completion (each command's --help says the same). */
  flags?: readonly CommandFlag[];
  run(words: string[], io: CliIo, options: { noColor: boolean }): Promise<number>;
}

const allow: CommandFlag = { flag: 'allow', description: 'the highest risk allowed (read-only without it)', choices: ['change', 'danger'] };
const port: CommandFlag = { flag: 'port', description: 'port to listen on', value: true };

/** Every non-operation command. */
export const cliCommands: CliCommand[] = [
  { name: 'mcp', summary: 'Serve the operations to AI agents over MCP (stdio, or HTTP with --http)', flags: [allow, { flag: 'http', description: 'Streamable HTTP on 127.0.0.1 instead of stdio' }, port], run: async (w, io) => (await import('../mcp/command.js')).mcpCommand(w, io.env) },
  { name: 'watch', summary: 'Run the alert checks on schedule and send alerts to Telegram (status, mute, … are subcommands)', flags: [
    { flag: 'once', description: 'run every check once, send what is due, and exit' },
    { flag: 'digest', description: 'send the daily digest now and exit' },
    { flag: 'stdout', description: 'print alerts instead of sending them' },
    { flag: 'all-contexts', description: 'watch every lab config.yaml defines' },
  ], run: async (w, io) => (await import('../../watch/command.js')).watchCommand(w, io.env) },
  { name: 'bot', summary: 'Run the Telegram bot (--console: the same bot on this terminal)', flags: [{ flag: 'console', description: 'the same bot on this terminal' }], run: async (w, io) => (await import('../telegram/bot-command.js')).botCommand(w, io.env) },
  { name: 'batch', summary: 'Run command lines from a file or stdin in one process (one result per line)', flags: [
    { flag: 'keep-going', description: 'run every line even after a failure' },
    { flag: 'yes', description: 'run destructive lines without asking' },
    { flag: 'json', description: 'one JSON object per line' },
  ], run: async (w, io, o) => (await import('./batch.js')).batchCommand(w, io, o) },
  { name: 'serve', summary: 'Serve the web dashboard (read-only unless --allow; serve passwd sets a login)', words: ['passwd'], flags: [
    allow,
    { flag: 'host', description: 'address to bind (default 127.0.0.1)', value: true },
    port,
    { flag: 'refresh', description: 'full overview refresh period, like 30s', value: true },
    { flag: 'user', description: 'serve passwd: the user whose password to set', value: true },
  ], run: async (w, io) => (await import('../web/command.js')).serveCommand(w, io.env) },
  { name: 'completion', summary: 'Print the shell completion script (bash, zsh or fish)', words: ['bash', 'zsh', 'fish'], run: async (w, io) => (await import('./completion/completion-command.js')).completionCommand(w, io) },
  { name: 'demo', summary: 'A guided tour of homelab against the simulated lab (starts and stops it)', run: async (w) => (await import('./demo-command.js')).demoCommand(w) },
  { name: 'context', summary: 'The labs config.yaml defines: context list (services answering), context use <name>, context current', words: ['list', 'use', 'current'], wordKinds: { use: 'context' }, run: async (w, io, o) => (await import('./context-command.js')).contextCommand(w, io, o) },
  { name: 'lab', summary: 'Start the simulated homelab on loopback (demo, tests)', flags: [
    { flag: 'latency', description: 'added latency of every answer, in ms', value: true },
    { flag: 'task', description: 'how long a PVE/PBS task runs, in ms', value: true },
    { flag: 'guests', description: 'seed this many more guests (scale)', value: true },
    { flag: 'refuse-monitors', description: 'Uptime Kuma refuses the next N monitor adds', value: true },
    { flag: 'dir', description: 'directory for the lab\'s config and data', value: true },
    { flag: 'json', description: 'print the environment as JSON' },
  ], run: async (w) => (await import('./lab-command.js')).labCommand(w) },
];
