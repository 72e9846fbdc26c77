/**
 * @module surfaces/cli/lab-commands
 * The command lines homelab writes in a result (cells and text blocks marked `command`, and a
 * table's empty note: `check`'s and `doctor`'s fix lines, `plan`'s `homelab apply` line,
 * `status`'s hints) are there to be pasted into a shell, where they run in the config's
 * current lab. A run in another lab (`--context office`, or HOMELAB_CONTEXT naming a lab
 * other than `current_context`) names its lab in them, right after `homelab`:
 * `fix: homelab --context office pve start 201`. Only `homelab` followed by one of its
 * commands is changed (not prose such as "a record homelab made"), and a line that names
 * a lab already is left as it is, and so is `homelab context …` (the command on the labs
 * themselves). Every CLI path that renders a result goes through here (one command, `batch`,
 * `--all-contexts`), and so do its errors' hint and details (`homelab --context office pve
 * list shows the guests`; never the message, which may echo what was typed or what a server
 * said); the bot words command lines its own way, and the web dashboard names the lab by the
 * same rule (`core/lab-in-commands`: `labToName`).
 */
import { labToName, namingLabIn as namingLabInWords } from '../../core/lab-in-commands.js';
import { mapCommandLines, type Rendered } from '../../core/render.js';
import { loadCommandIndex, type CommandIndex } from './command-index.js';
import { isCliCommandName } from '../shared/command-list.js';

/**
 * The lab to name in command lines of a run (`core/lab-in-commands`): the run's, pinned in
 * HOMELAB_CONTEXT by `--context` or set in the shell, or a batch line's or `--all-contexts`'
 * lab, when it is not the config's current one. Every CLI path decides it with this.
 */
export { labToName } from '../../core/lab-in-commands.js';

/**
 * `text` with `--context <lab>` after each `homelab <command>` it names. Not `homelab context …`:
 * it works on the config's labs whichever lab runs it (`see: homelab context --help`).
 */
export function namingLabIn(text: string, lab: string, index: CommandIndex): string {
  const isCommand = (word: string): boolean =>
    word !== 'context' && (index.group([word]) !== undefined || index.resolve([word]) !== undefined || isCliCommandName(word));
  return namingLabInWords(text, lab, isCommand);
}

/** The blocks with their command lines naming `lab` (`namingLabIn`); the data in them unchanged. */
export function namingLab(blocks: Rendered, lab: string, index: CommandIndex): Rendered {
  return mapCommandLines(blocks, (text) => namingLabIn(text, lab, index));
}

/**
 * How the errors of a run with `env` word their command lines: naming its lab (`namingLabIn`)
 * when a shell would run them in another; undefined when they stay as they are (or the config
 * cannot tell: its own error is being reported).
 */
export async function errorWording(env: NodeJS.ProcessEnv): Promise<((text: string) => string) | undefined> {
  const lab = labOrNothing(env);
  if (!lab) return undefined;
  const index = await loadCommandIndex();
  return (text) => namingLabIn(text, lab, index);
}

/** `labToName`, or undefined when the config cannot tell. */
function labOrNothing(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return labToName(env);
  } catch {
    return undefined;
  }
}
