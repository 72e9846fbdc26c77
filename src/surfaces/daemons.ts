/**
 * @module surfaces/daemons
 * The long-running surfaces as `homelab mcp`, `homelab bot` and `homelab serve` run. The
 * build makes this a CommonJS file of its own (dist/daemons.cjs), as it does for the lab:
 * the CLI bundle, which every one-shot command reads and deserialises from its code cache,
 * then does not carry the web dashboard, the bot and the MCP server for the three commands
 * that start them. A daemon starts once and runs for days; it needs no code cache.
 *
 * It is a whole CLI (`main`): the entry runs it instead of the CLI bundle for those three
 * commands (run-bundle.ts), so a running daemon holds one copy of the code. Should the CLI
 * bundle reach one of them anyway, it takes the command from here; this file holds its own
 * copy of the core (its error classes, its `redact` registry), so such a command reports its
 * own failure (the same one line, hint and exit code as `main`) and hands back an exit code.
 */
export { main } from './cli/main.js';
import { reportError } from './cli/report-error.js';
import { painter, useColor } from './shared/terminal.js';
import { mcpCommand as runMcp } from './mcp/command.js';
import { botCommand as runBot } from './telegram/bot-command.js';
import { serveCommand as runServe } from './web/command.js';

type DaemonCommand = (words: string[], env: NodeJS.ProcessEnv) => Promise<number>;

/** `command`, its failures reported on stderr and turned into their exit code. */
function reported(command: DaemonCommand): DaemonCommand {
  return async (words, env) => {
    try {
      return await command(words, env);
    } catch (err) {
      return reportError(err, process.stderr, env, painter(useColor(process.stderr, env)));
    }
  };
}

/** `homelab mcp …`. */
export const mcpCommand = reported(runMcp);
/** `homelab bot …`. */
export const botCommand = reported(runBot);
/** `homelab serve …`. */
export const serveCommand = reported(runServe);
