/**
 * @module surfaces/cli/completion/complete-command
 * `homelab __complete <shell> <word>…`: what the completion scripts call on every Tab.
 * The words are those after `homelab` (a shim's script puts its service first), the last
 * one under the cursor. It prints `words`, `files` or `dirs` on the first line, then one
 * candidate per line, `value<TAB>description` (after `files` or `dirs`, for bash: the word
 * to complete, its quoting removed; for zsh and fish: the start of the word to keep before
 * the path, `--dir=`, when there is one). bash's words arrive as typed, quotes and backslashes
 * included: they are unquoted before matching and the candidates come back quoted for
 * bash (`bash-words`). It reads the command index, config.yaml and the
 * completion cache: nothing else, and never the network. Any failure prints nothing, so a
 * broken setup never garbles the command line being typed.
 */
import type { CompletionValue } from '../../../core/completion.js';
import { DEFAULT_CONTEXT } from '../../../core/context-name.js';
import { textHead } from '../../../core/text-head.js';
import { loadCommandIndex } from '../command-index.js';
import { commandList } from '../../shared/command-list.js';
import type { CliIo } from '../main.js';
import { quoteBashWord, unquoteBashWord, type BashWord } from './bash-words.js';
import { cachedValues } from './cache.js';
import { readConfigValues, selectedContext } from './config-values.js';
import { complete } from './engine.js';
import type { Shell } from './model.js';

const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

/** Runs `__complete`; always exits 0 (no candidates is an answer too). */
export async function completeCommand(argv: readonly string[], io: Pick<CliIo, 'stdout' | 'env'>): Promise<number> {
  const [shell, ...typed] = argv;
  if (!SHELLS.includes(shell as Shell)) return 0;
  const bashWords: BashWord[] = shell === 'bash' ? typed.map(unquoteBashWord) : [];
  const line = shell === 'bash' ? bashWords.map((w) => w.text) : typed;
  const open = bashWords.at(-1)?.open;
  try {
    const index = await loadCommandIndex();
    const config = readConfigValues(io.env);
    const values = (kind: string, named: string | undefined): CompletionValue[] => {
      const context = selectedContext(config, io.env, named);
      if (kind === 'context') return (config.contexts.length ? config.contexts : [DEFAULT_CONTEXT]).map((value) => ({ value }));
      if (kind === 'ssh.target') return config.sshTargets(context);
      return cachedValues(io.env, context, kind);
    };
    const answer = complete({ index: index.data, commands: commandList, contexts: config.contexts, values }, line, shell as Shell);
    const shown = shell === 'bash' ? answer.candidates.map((c) => ({ ...c, value: quoteBashWord(c.value, open) })) : answer.candidates;
    // bash completes a file or directory name itself (compgen -f, -d), from the word with its quoting removed;
    // zsh and fish are told what to keep before the path (`--dir=`), when anything.
    const pathLines = shell === 'bash' ? [answer.word ?? line.at(-1) ?? ''] : answer.prefix ? [answer.prefix] : [];
    const lines = answer.mode !== 'words' ? pathLines : shown.map((c) => (c.description ? `${c.value}\t${oneLine(c.description)}` : c.value));
    io.stdout.write(`${[answer.mode, ...lines].join('\n')}\n`);
  } catch {
    // no index, a damaged install: no suggestions
  }
  return 0;
}

/** A description as zsh and fish show it: one line, no tabs, short (cut between graphemes). */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${textHead(flat, 79)}…` : flat;
}
