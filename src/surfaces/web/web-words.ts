/**
 * @module surfaces/web/web-words
 * Text homelab wrote for the command line, as a dashboard page says it:
 *
 * - an operation's summary and description (a form's legend, the page's help line, a service
 *   page's lists) and a field's help name the form's fields, not flags (`--purge` → “Purge”:
 *   `field-labels.webHelp`), and say nothing of exit codes (`shared/exit-code-words`: a page
 *   does not exit) nor of flags only the command line has (a sentence naming one is left out, as
 *   on MCP: `shared/cli-only-flags`, `plan --detailed-exitcode`, `--json`);
 * - an error's message and hint about an operation name its fields the same way (`add “Stop”
 *   to hard-stop it first`); the operations keep one wording for every surface, and the
 *   dashboard translates it here, as MCP does in its own terms;
 * - command lines a page shows to paste into a shell (`check`'s fix lines, a hint's `homelab
 *   pve list shows the guests`) name the page's lab when it is not the config's current one
 *   (`homelab --context office …`), by the CLI's rule (`core/lab-in-commands`), so a line pasted
 *   acts in the lab it was found in. Their flags stay flags.
 */
import { labToName, namingLabIn } from '../../core/lab-in-commands.js';
import type { Lab } from '../../core/lab-set.js';
import type { AnyOperation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import { labCommandWord } from '../shared/command-words.js';
import { withoutCliOnlySentences } from '../shared/cli-only-flags.js';
import { descriptionWithoutExitCodes } from '../shared/exit-code-words.js';
import { webHelp } from './field-labels.js';
import { fieldsOf } from './form-fields.js';

/** How a page words the command lines it shows (see the module comment). */
export type CommandWording = (text: string) => string;

/** The command lines of a read or run in `lab`, naming it when it is not the config's current lab; undefined: as written (or the config cannot tell). */
export function labCommands(registry: Registry, lab: Lab): CommandWording | undefined {
  let name: string | undefined;
  try {
    name = labToName(lab.env, lab.name);
  } catch {
    return undefined;
  }
  if (name === undefined) return undefined;
  const isCommand = labCommandWord(registry);
  const named = name;
  return (text) => namingLabIn(text, named, isCommand);
}

/** An operation's summary or description (or a field's help) as a page says it: flags named by `op`'s fields, nothing of exit codes nor of flags only the command line has. */
export function webDescription(text: string, op: AnyOperation): string {
  return webHelp(descriptionWithoutExitCodes(withoutCliOnlySentences(text, op)), fieldsOf(op));
}

/** An error's message or hint about `op` as a page says it: its flags named by `op`'s fields (without `op`, as written). */
export function webMessage(text: string, op?: AnyOperation): string {
  return op ? webHelp(text, fieldsOf(op)) : text;
}
