/**
 * @module surfaces/shared/command-options
 * The options of the CLI commands that are not operations (`serve`, `lab`, `mcp`, …): one
 * table that the commands' parsers read (which options take a value) and shell completion
 * offers, so that Tab offers exactly what a command accepts. Each command's `--help` says
 * the same; a test holds the three together (test/surfaces/cli/command-options.test.ts).
 * Plain data with no imports, so that the CLI's start and every Tab load nothing for it.
 * `--help`, `--context` and the colour switches are every command's, and are not listed.
 *
 * In surfaces/shared/, the home of what more than one surface uses (the CLI's completion and
 * dispatch, and the parsers of `homelab mcp` and `homelab serve`): a surface imports only its
 * own folder and this one, never another surface's modules, so no surface loads another's
 * code or closes an import cycle with it (test/services/import-cycles.test.ts holds this).
 */
import type { PathKind } from '../../core/completion.js';

/** An option of a command that is not an operation (`serve --allow change|danger`). */
export interface CommandFlag {
  /** Without the dashes. */
  flag: string;
  description: string;
  /** The values it takes, when they are a fixed set. */
  choices?: readonly string[];
  /** Takes a value (one with `choices` does); a switch otherwise. */
  value?: boolean;
  /** Its value is a path the shell completes: a file or a directory name (`lab --dir`). */
  path?: PathKind;
}

/** A command's options, and those of the subcommand words that take their own (`serve passwd --user`). */
export interface CommandOptions {
  /** The command's own options (also those of its words, unless `words` names the word). */
  flags: readonly CommandFlag[];
  /** A first word whose command takes other options: `serve passwd` takes `--user` only. */
  words?: Readonly<Record<string, readonly CommandFlag[]>>;
}

const allow: CommandFlag = { flag: 'allow', description: 'the highest risk allowed (read-only without it)', choices: ['change', 'danger'] };
const port: CommandFlag = { flag: 'port', description: 'port to listen on', value: true };

/** `homelab mcp`. */
export const mcpOptions: CommandOptions = {
  flags: [allow, { flag: 'http', description: 'Streamable HTTP on 127.0.0.1 instead of stdio' }, port],
};

/** `homelab watch` (the daemon; its subcommands are operations). */
export const watchOptions: CommandOptions = {
  flags: [
    { flag: 'once', description: 'run every check once, send what is due, and exit' },
    { flag: 'digest', description: 'send the daily digest now and exit' },
    { flag: 'stdout', description: 'print alerts instead of sending them' },
    { flag: 'all-contexts', description: 'watch every lab config.yaml defines' },
  ],
};

/** `homelab bot`. */
export const botOptions: CommandOptions = { flags: [{ flag: 'console', description: 'the same bot on this terminal' }] };

/** `homelab batch`. */
export const batchOptions: CommandOptions = {
  flags: [
    { flag: 'keep-going', description: 'run every line even after a failure' },
    { flag: 'yes', description: 'run destructive lines without asking' },
    { flag: 'json', description: 'one JSON object per line' },
  ],
};

/** `homelab serve`, and `homelab serve passwd`. */
export const serveOptions: CommandOptions = {
  flags: [
    allow,
    { flag: 'host', description: 'address to bind (default 127.0.0.1)', value: true },
    port,
    { flag: 'refresh', description: 'full overview refresh period, like 30s', value: true },
    { flag: 'trust-proxy', description: 'reverse proxies whose X-Forwarded-For names the client', value: true },
  ],
  words: { passwd: [{ flag: 'user', description: 'the user whose password to set', value: true }] },
};

/** `homelab completion bash|zsh|fish`. */
export const completionOptions: CommandOptions = { flags: [] };

/** `homelab demo`. */
export const demoOptions: CommandOptions = { flags: [] };

/** `homelab context list|use|current`. */
export const contextOptions: CommandOptions = { flags: [{ flag: 'json', description: 'print the result as JSON' }] };

/** `homelab lab`. */
export const labOptions: CommandOptions = {
  flags: [
    { flag: 'latency', description: 'added latency of every answer, in ms', value: true },
    { flag: 'task', description: 'how long a PVE/PBS task runs, in ms', value: true },
    { flag: 'guests', description: 'seed this many more guests (scale)', value: true },
    { flag: 'refuse-monitors', description: 'Uptime Kuma refuses the next N monitor adds', value: true },
    { flag: 'dir', description: 'directory for the lab\'s config and data', value: true, path: 'dir' },
    { flag: 'json', description: 'print the environment as JSON' },
  ],
};

/** The names of the options in `flags` that take a value (`--port 8480`), as a parser needs them. */
export function valueFlags(flags: readonly CommandFlag[]): string[] {
  return flags.filter((f) => f.value || f.choices).map((f) => f.flag);
}
