/**
 * @module surfaces/cli/batch-plan
 * Checks every line of a batch before anything runs: the command exists, its
 * arguments and flags parse, its input fits the operation's schema. Only the service
 * modules the batch names are imported. A line that does not check out is a usage
 * error carrying its line number; nothing of it is sent anywhere. A line's own `--yes`
 * confirms nothing: destructive lines are confirmed for the whole batch (`batch.ts`).
 * A line may name its lab (`--context office dns add …`): an unknown one rejects the line
 * before anything runs, as a config error (exit 3, as `homelab --context nope …` exits).
 */
import { inputFromWords, wordName } from '../../core/args.js';
import { takeContextFlags } from '../../core/context-flag.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import { parseInput } from '../../core/invoke.js';
import type { AnyOperation } from '../../core/operation.js';
import type { ReadLine } from './batch-lines.js';
import type { CommandIndex, IndexedOperation } from './command-index.js';
import { isCliCommandName } from '../shared/command-list.js';
import { readFileInputs } from './file-inputs.js';
import { unknownCommand } from './unknown-command.js';

/** A line ready to run. */
export interface PlannedStep {
  line: number;
  text: string;
  op: AnyOperation;
  input: Record<string, unknown>;
  /** The lab the line named with `--context`; absent: the batch's own. */
  context?: string;
}

/** A line that cannot run: it does not parse (a usage error), or names a lab the config lacks (a config error). */
export interface RejectedStep {
  line: number;
  text: string;
  error: UsageError | ConfigError;
}

/** One line, checked. */
export type Step = PlannedStep | RejectedStep;

/** Whether a step was rejected. */
export function isRejected(step: Step): step is RejectedStep {
  return 'error' in step;
}

function resolveLine(index: CommandIndex, words: string[]): { entry: IndexedOperation; rest: string[] } {
  const first = words[0] as string;
  const resolved = index.resolve(words);
  if (!resolved) {
    if (isCliCommandName(first)) throw new UsageError(`${first} cannot run inside a batch`);
    throw unknownCommand(index, words, 'see');
  }
  const beforeEnd = resolved.rest.includes('--') ? resolved.rest.slice(0, resolved.rest.indexOf('--')) : resolved.rest;
  if (beforeEnd.includes('--help') || beforeEnd.includes('-h')) throw new UsageError('--help cannot run inside a batch', `see: homelab ${resolved.op.id.replace(/\./g, ' ')} --help`);
  return { entry: resolved.op, rest: resolved.rest };
}

/**
 * Checks every line. `load` imports the operation an index entry names (its service
 * module only); a line naming a command that is not an operation is rejected.
 * `checkContext` throws a ConfigError for a context name the config does not define.
 */
export async function planBatch(lines: readonly ReadLine[], index: CommandIndex, load: (entry: IndexedOperation) => Promise<AnyOperation>, checkContext: (name: string) => void = () => undefined): Promise<Step[]> {
  const steps: Step[] = [];
  for (const l of lines) {
    try {
      if (l.error) throw l.error;
      const { words, context, allContexts } = takeContextFlags(l.words);
      if (allContexts) throw new UsageError('--all-contexts cannot run inside a batch', 'name one lab per line: --context NAME');
      if (context !== undefined) checkContext(context);
      if (!words.length) throw new UsageError('a line with --context names no command');
      const { entry, rest } = resolveLine(index, words);
      const op = await load(entry);
      // A line's own --yes is taken and ignored: only the batch's --yes (or its one prompt) confirms.
      const { input: raw } = inputFromWords(op, rest);
      steps.push({ line: l.line, text: l.text, op, input: parseInput(op, readFileInputs(op, raw), wordName(op)), ...(context === undefined ? {} : { context }) });
    } catch (err) {
      if (!(err instanceof UsageError || err instanceof ConfigError)) throw err;
      steps.push({ line: l.line, text: l.text, error: err });
    }
  }
  return steps;
}
