/**
 * @module surfaces/cli/completion/model
 * What the completion engine completes from and answers with: the command index and the
 * non-operation commands with their options, the contexts, a lookup of dynamic values by
 * kind, and the answer (words to offer, or file names for the shell to complete).
 */
import type { CompletionValue, PathKind } from '../../../core/completion.js';
import type { CommandFlag } from '../../shared/command-options.js';
import type { CommandIndexData } from '../command-index.js';

/** The shells a script is written for. */
export type Shell = 'bash' | 'zsh' | 'fish';

/** A command that is not an operation (`lab`, `completion`), with the words its first argument takes. */
export interface CompletableCommand {
  name: string;
  summary: string;
  words?: readonly string[];
  /** The completion kind of the value after one of those words (`context use <name>`). */
  wordKinds?: Readonly<Record<string, string>>;
  /** Its options (none: it takes only `--help` and the global ones). */
  flags?: readonly CommandFlag[];
  /** The options of a first word that takes its own instead (`serve passwd --user`). */
  wordFlags?: Readonly<Record<string, readonly CommandFlag[]>>;
  /** Its arguments are paths the shell completes (`batch <file>`). */
  operand?: PathKind;
  /** It runs in no lab (`lab`, `demo`, `completion`): `--context` is not offered. */
  ignoresLab?: boolean;
}

/** What the engine completes from. */
export interface CompletionModel {
  index: CommandIndexData;
  commands: readonly CompletableCommand[];
  /** Context names (empty: no `contexts:` in the config, and no `--context` to offer). */
  contexts: readonly string[];
  /** Values of a dynamic kind in a context (the cache, or the config for its own kinds). */
  values(kind: string, context: string | undefined): CompletionValue[];
}

/** The answer: words to offer, or `files` / `dirs` (let the shell complete a file or directory name). */
export interface CompletionAnswer {
  mode: 'words' | 'files' | 'dirs';
  candidates: CompletionValue[];
  /** For `files` / `dirs`: the start of the word under the cursor that is no part of the path (`--dir=`). */
  prefix?: string;
  /** For `files` / `dirs`: the part of the word under the cursor to complete as a path (set by `complete`). */
  word?: string;
}
