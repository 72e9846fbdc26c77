/**
 * @module core/lab-in-commands
 * A command line homelab wrote (`homelab export <path> writes a starting one`) runs in the
 * config's current lab when pasted into a shell. Said about a run in another lab, it names
 * that lab right after `homelab`: `homelab --context office export <path>`. Only `homelab`
 * followed by one of its command words is changed (the surface says which words are: a
 * service, an operation, a CLI command), not prose such as "a record homelab manages", and a
 * line that names a lab already is left as it is. Which lab to name is `labToName`'s: the run's,
 * when it is not the config's current one.
 */
import { readContextChoice } from './context-name.js';
import { configFile } from './paths.js';

/** `homelab` as a word (not in a path or a name like `homelab-bot`), and the word after it. */
const MENTION = /(?<![\w/.~@-])homelab (?!--context)([a-z][a-z0-9-]*)(?![\w-])/g;

/** `text` with `--context <lab>` after each `homelab <command>` it names (`isCommand`: whether a word is one of homelab's commands). */
export function namingLabIn(text: string, lab: string, isCommand: (word: string) => boolean): string {
  return text.replace(MENTION, (whole, word: string) => (isCommand(word) ? `homelab --context ${lab} ${word}` : whole));
}

/**
 * The lab to name in command lines of a run in `lab` (default: the one `env` pins in
 * HOMELAB_CONTEXT): that lab when it is not the current one of the config file `env` finds,
 * else undefined (a line pasted into a shell runs where this run ran). The one rule every
 * surface that prints command lines for a shell (the CLI, the web dashboard) applies.
 */
export function labToName(env: NodeJS.ProcessEnv, lab: string | undefined = env.HOMELAB_CONTEXT): string | undefined {
  if (!lab) return undefined;
  return readContextChoice(configFile(env), env).current === lab ? undefined : lab;
}
