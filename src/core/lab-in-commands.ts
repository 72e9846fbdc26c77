/**
 * @module core/lab-in-commands
 * A command line homelab wrote (`homelab export <path> writes a starting one`) is pasted into a
 * shell, where a bare `homelab` runs in that shell's lab. The one rule, on every surface: a line
 * names the lab it was made for, right after `homelab` (`homelab --context office export <path>`),
 * whenever that lab differs from the lab a bare `homelab` would use where the line is pasted
 * (`labToName`). Where that is depends on the surface:
 * - the CLI prints into the shell that started it: its HOMELAB_CONTEXT (as the shell has it,
 *   before `--context` pinned another), else config.yaml's `current_context`;
 * - MCP, the web dashboard and the bot are read away from the server's shell: config.yaml's
 *   `current_context` alone;
 * - a watch alert is stored and read later (after a `context use`, from a shell pinned to
 *   another lab): with more than one lab in config.yaml it always names its own (`storedLabToName`).
 * Only `homelab` followed by one of its command words is changed (the surface says which words
 * are: a service, an operation, a CLI command), not prose such as "a record homelab manages",
 * and a line that names a lab already is left as it is.
 */
import { readContextChoice } from './context-name.js';
import { configFile } from './paths.js';

/** `homelab` as a word (not in a path or a name like `homelab-bot`), and the word after it. */
const MENTION = /(?<![\w/.~@-])homelab (?!--context)([a-z][a-z0-9-]*)(?![\w-])/g;

/** `text` with `--context <lab>` after each `homelab <command>` it names (`isCommand`: whether a word is one of homelab's commands). */
export function namingLabIn(text: string, lab: string, isCommand: (word: string) => boolean): string {
  return text.replace(MENTION, (whole, word: string) => (isCommand(word) ? `homelab --context ${lab} ${word}` : whole));
}

/** The words right after each `homelab` in `text` that does not name a lab yet (the candidates `namingLabIn` asks `isCommand` about). */
export function mentionedWords(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => m[1] ?? ''))];
}

/**
 * The lab a bare `homelab` uses where a command line is pasted: `shell`, the HOMELAB_CONTEXT of
 * the shell a CLI run was started from (pass it only then; empty counts as unset), else the
 * `current_context` of the config file `env` finds.
 */
export function bareLab(env: NodeJS.ProcessEnv, shell?: string): string {
  return shell || readContextChoice(configFile(env), env).current;
}

/**
 * The lab to name in command lines made for `lab` (default: the one `env` pins in
 * HOMELAB_CONTEXT; unset: the config's current one): `lab` when a bare `homelab` where the lines
 * are pasted would use another (`bareLab`: `shell` is the CLI's invoking shell's HOMELAB_CONTEXT;
 * MCP, web, bot and watch alerts leave it out), else undefined. The rule of the module comment.
 */
export function labToName(env: NodeJS.ProcessEnv, lab: string | undefined = env.HOMELAB_CONTEXT, shell?: string): string | undefined {
  const made = lab || readContextChoice(configFile(env), env).current;
  return bareLab(env, shell) === made ? undefined : made;
}

/**
 * The lab to name in command lines kept for later (a watch alert's fix): the one they were made
 * for (`lab`, default as `labToName`) whenever config.yaml defines more than one lab, since the
 * current one may change before they are read and a shell may pin another; undefined with one lab.
 */
export function storedLabToName(env: NodeJS.ProcessEnv, lab: string | undefined = env.HOMELAB_CONTEXT): string | undefined {
  const choice = readContextChoice(configFile(env), env);
  return choice.names.length > 1 ? lab || choice.current : undefined;
}
