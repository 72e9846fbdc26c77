/**
 * @module surfaces/cli/lab-commands
 * The command lines homelab writes in a result (cells and text blocks marked `command`, and a
 * table's empty note: `check`'s and `doctor`'s fix lines, `plan`'s `homelab apply` line,
 * `status`'s hints) are there to be pasted into the shell the CLI was started from, where a
 * bare `homelab` runs in that shell's HOMELAB_CONTEXT, else in the config's current lab. A run
 * in another lab (`--context office` in a shell without HOMELAB_CONTEXT=office, or `--context
 * default` in a shell with it) names its lab in them, right after `homelab`:
 * `fix: homelab --context office pve start 201`. Only `homelab` followed by one of its
 * commands is changed (not prose such as "a record homelab made"), and a line that names
 * a lab already is left as it is, and so is `homelab context …` (the command on the labs
 * themselves). Every CLI path that renders a result goes through here (one command, `batch`,
 * `--all-contexts`), and so do its errors' hint and details (`homelab --context office pve
 * list shows the guests`; never the message, which may echo what was typed or what a server
 * said); the bot words command lines its own way, and the web dashboard names the lab by the
 * same rule (`core/lab-in-commands`: `labToName`).
 */
import { labToName as labToNameIn, namingLabIn as namingLabInWords } from '../../core/lab-in-commands.js';
import { mapCommandLines, type Rendered } from '../../core/render.js';
import { loadCommandIndex, type CommandIndex } from './command-index.js';
import { isCliCommandName } from '../shared/command-list.js';

/** A CLI run's environment, and the shell's HOMELAB_CONTEXT as the run was started with it. */
export interface ShellRun {
  /** The run's environment: its lab pinned in HOMELAB_CONTEXT by `--context` (or the shell's). */
  env: NodeJS.ProcessEnv;
  /** The invoking shell's HOMELAB_CONTEXT (`''`: unset), kept by `main` before `--context` pinned another; unset: `env`'s is the shell's. */
  shellContext?: string;
}

/**
 * The lab to name in command lines of a run (`core/lab-in-commands`): `lab` (default: the run's,
 * pinned in HOMELAB_CONTEXT; a batch line's or an `--all-contexts` lab) when a bare `homelab`
 * pasted into the invoking shell would use another: the shell's HOMELAB_CONTEXT, else the
 * config's `current_context`. Every CLI path decides it with this.
 */
export function labToName(run: ShellRun, lab: string | undefined = run.env.HOMELAB_CONTEXT): string | undefined {
  return labToNameIn(run.env, lab, run.shellContext ?? run.env.HOMELAB_CONTEXT);
}

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
 * How the errors of a run word their command lines: naming its lab (`namingLabIn`) when the
 * invoking shell would run them in another; undefined when they stay as they are (or the config
 * cannot tell: its own error is being reported).
 */
export async function errorWording(run: ShellRun): Promise<((text: string) => string) | undefined> {
  const lab = labOrNothing(run);
  if (!lab) return undefined;
  const index = await loadCommandIndex();
  return (text) => namingLabIn(text, lab, index);
}

/** `labToName`, or undefined when the config cannot tell. */
function labOrNothing(run: ShellRun): string | undefined {
  try {
    return labToName(run);
  } catch {
    return undefined;
  }
}
