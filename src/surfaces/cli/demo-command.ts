/**
 * @module surfaces/cli/demo-command
 * `homelab demo`: the guided tour of the simulated homelab (lab/demo-run.ts), from the
 * installed package as much as from a clone. The build takes the lab from dist/lab.cjs, as
 * for `homelab lab`, so the CLI bundle does not carry the simulators.
 */
import { splitWords } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';
import type { DemoDeps } from '../../lab/demo-run.js';

declare const HOMELAB_VERSION: string | undefined;

/** Runs the demo with the CLI's `main` (each step runs in-process); returns the exit code. */
export async function demoCommand(words: string[], main: DemoDeps['main']): Promise<number> {
  const { flags, positionals } = splitWords(words);
  if (flags.has('help')) {
    process.stdout.write('Usage: homelab demo\n\nStarts the simulated homelab on 127.0.0.1 and runs a tour of homelab\'s commands against it, then stops it.\n');
    return 0;
  }
  const extra = positionals[0] ?? [...flags.keys()][0];
  if (extra !== undefined) throw new UsageError(`unexpected argument ${positionals[0] ?? `--${extra}`}`, 'usage: homelab demo');
  const [{ startLab }, { attachSshTargets }, { runDemo }] = await Promise.all([
    import('../../lab/lab.js'), import('../../lab/ssh-target/index.js'), import('../../lab/demo-run.js'),
  ]);
  await runDemo({ startLab, attachSshTargets, main, version: typeof HOMELAB_VERSION === 'string' ? HOMELAB_VERSION : 'dev', cli: 'homelab' });
  return 0;
}
