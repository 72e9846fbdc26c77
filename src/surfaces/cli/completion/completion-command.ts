/**
 * @module surfaces/cli/completion/completion-command
 * `homelab completion bash|zsh|fish`: prints the completion script for that shell (see
 * scripts.ts; README "Shell completion" for where to put it). It takes no options but
 * `--help`, and says so (`completion takes no options: --json`).
 */
import { resolve } from 'node:path';
import { UsageError } from '../../../core/errors.js';
import { isOptionLike, shownName, shownWord } from '../../../core/words.js';
import { SHIM_MARKER, homelabCommand } from '../../../services/setup/shims.js';
import { shimTargets } from '../../../services/setup/service-specs.js';
import type { CliIo } from '../main.js';
import { completionScript } from './scripts.js';

declare const HOMELAB_VERSION: string | undefined;

const USAGE = `Usage: homelab completion bash|zsh|fish

Prints the shell completion script for homelab and its shims (pve, dns, …). Install it
where the shell loads it at start-up (the shims on PATH then complete too; after
homelab shims install, open a new shell):
  mkdir -p ~/.local/share/homelab ~/.config/fish/conf.d
  bash  homelab completion bash > ~/.local/share/homelab/completion.bash
        echo 'source ~/.local/share/homelab/completion.bash' >> ~/.bashrc
  zsh   homelab completion zsh > ~/.local/share/homelab/_homelab
        echo 'source ~/.local/share/homelab/_homelab' >> ~/.zshrc    (after compinit)
  fish  homelab completion fish > ~/.config/fish/conf.d/homelab.fish
A completion folder that loads per command name (bash-completion's completions/, zsh's
$fpath) loads it on homelab's first Tab only: the shims would not complete before that.
Tab then offers services, verbs, flags and choices, and the VMIDs, proxy hosts, monitors,
… that your last list commands showed (it never calls a service).
`;

/**
 * How the script starts homelab: `homelab` when it is on PATH, else this node and the
 * script this process runs (the same rule as the shims).
 */
export function scriptCommand(env: NodeJS.ProcessEnv, argv1: string | undefined = process.argv[1]): string[] {
  return homelabCommand(env, argv1) === 'homelab' || !argv1 ? ['homelab'] : [process.execPath, resolve(argv1)];
}

/** Runs `completion`. */
export async function completionCommand(words: readonly string[], io: Pick<CliIo, 'stdout' | 'env'>): Promise<number> {
  if (words.includes('--help') || words.includes('-h')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const option = words.find(isOptionLike);
  if (option !== undefined) throw new UsageError(`completion takes no options: ${shownName(option)}`, 'usage: homelab completion bash|zsh|fish');
  const [shell, extra] = words;
  if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish') {
    throw new UsageError(shell === undefined ? 'completion needs a shell: bash, zsh or fish' : `unknown shell ${shownName(shell)}: bash, zsh or fish`, 'usage: homelab completion bash|zsh|fish');
  }
  if (extra !== undefined) throw new UsageError(`unexpected argument ${shownWord(extra)}`, 'usage: homelab completion bash|zsh|fish');
  const version = typeof HOMELAB_VERSION === 'string' ? HOMELAB_VERSION : 'dev';
  io.stdout.write(completionScript(shell, { command: scriptCommand(io.env), shims: shimTargets, marker: SHIM_MARKER.split(':')[0] as string, version }));
  return 0;
}
