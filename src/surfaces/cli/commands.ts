/**
 * @module surfaces/cli/commands
 * CLI commands that are not operations: long-running processes and local set-up
 * (`lab`, `bot`, `mcp`, `watch`, `batch`, …). What each is called, says and takes is
 * `shared/command-list.ts`, which other surfaces read too; here each gets how it runs,
 * its module imported lazily when run. `homelab mcp`, `bot` and `serve` start another
 * surface: through its one entry module, the only place the CLI imports another surface.
 */
import { commandList, type CliCommandName, type CommandEntry } from '../shared/command-list.js';
import type { CliIo, main } from './main.js';

/** A non-operation command. `run` gets the words after its name (without the colour switches before `--`) and returns an exit code. */
export interface CliCommand extends CommandEntry {
  run(words: string[], io: CliIo, options: CommandRunOptions): Promise<number>;
}

/** What `main` hands a command besides its words: the colour switch, and itself (the demo runs the CLI in-process). */
export interface CommandRunOptions {
  noColor: boolean;
  main: typeof main;
}

/** How each command runs, by name. */
const runs: Record<CliCommandName, CliCommand['run']> = {
  mcp: async (w, io) => (await import('../mcp/command.js')).mcpCommand(w, io.env),
  watch: async (w, io) => (await import('../../watch/command.js')).watchCommand(w, io.env),
  bot: async (w, io) => (await import('../telegram/bot-command.js')).botCommand(w, io.env),
  batch: async (w, io, o) => (await import('./batch.js')).batchCommand(w, io, o),
  serve: async (w, io) => (await import('../web/command.js')).serveCommand(w, io.env),
  completion: async (w, io) => (await import('./completion/completion-command.js')).completionCommand(w, io),
  demo: async (w, _io, o) => (await import('./demo-command.js')).demoCommand(w, o.main),
  context: async (w, io, o) => (await import('./context-command.js')).contextCommand(w, io, o),
  lab: async (w) => (await import('./lab-command.js')).labCommand(w),
};

/** Every non-operation command. */
export const cliCommands: CliCommand[] = commandList.map((c) => ({ ...c, run: runs[c.name] }));
