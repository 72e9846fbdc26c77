/**
 * @module surfaces/cli/demo-command
 * `homelab demo`: the guided tour of the simulated homelab (lab/demo-run.ts), from the
 * installed package as much as from a clone. The build takes the lab from dist/lab.cjs, as
 * for `homelab lab`, so the CLI bundle does not carry the simulators. It takes no options
 * (`--help` aside) and no arguments, and says so (`demo takes no options: --json`).
 */
import { splitWords } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';
import { shownName, shownWord } from '../../core/words.js';
import type { DemoDeps } from '../../lab/demo-run.js';

declare const HOMELAB_VERSION: string | undefined;

/** Runs the demo with the CLI's `main` (each step runs in-process); returns the exit code. */
export async function demoCommand(words: string[], main: DemoDeps['main']): Promise<number> {
  const noOption = (word: string): UsageError => new UsageError(`demo takes no options: ${shownName(word)}`, 'usage: homelab demo');
  const { flags, positionals } = splitWords(words, { unknownOption: noOption });
  if (flags.has('help')) {
    process.stdout.write('Usage: homelab demo\n\nStarts the simulated homelab on 127.0.0.1 and runs a tour of homelab\'s commands against it, then stops it.\n');
    return 0;
  }
  // A tour for a reader: no JSON, no switches (README: their --json is refused).
  const option = [...flags.keys()][0];
  if (option !== undefined) throw noOption(`--${option}`);
  if (positionals[0] !== undefined) throw new UsageError(`demo takes no arguments: ${shownWord(positionals[0])}`, 'usage: homelab demo');
  const [{ startLab }, { attachSshTargets }, { runDemo }] = await Promise.all([
    import('../../lab/lab.js'), import('../../lab/ssh-target/index.js'), import('../../lab/demo-run.js'),
  ]);
  await runDemo({ startLab, attachSshTargets, main, version: typeof HOMELAB_VERSION === 'string' ? HOMELAB_VERSION : 'dev', cli: 'homelab' });
  return 0;
}
