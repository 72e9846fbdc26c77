/**
 * @module surfaces/cli/lab-command
 * `homelab lab [--latency MS] [--task MS] [--guests N] [--refuse-monitors N] [--dir DIR] [--json]`:
 * starts every simulator on loopback, writes a config home pointing at them and prints how
 * to use it, then runs until Ctrl-C. `--dir DIR` must be new, empty, or a lab's own from an
 * earlier run (its marker file, `lab-dir.ts`) where no other lab runs now (its lock): the
 * lab never overwrites a config it did not write, nor one a running lab uses.
 */
import { z } from 'zod';
import { splitWords } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';
import { shellWord } from '../../core/shell-word.js';
import { optionRefusal } from '../../core/unknown-option.js';
import type { KumaSim } from '../../services/kuma/sim/index.js';
import { sshServerPreference } from '../../lab/ssh-target/server-preference.js';
import { labOptions, valueFlags } from '../shared/command-options.js';
import { claimLabDir } from './lab-dir.js';
import { wholeNumberFlag } from '../number-flag.js';

const count = (flag: string, max: number) => wholeNumberFlag(0, max, `${flag} must be a whole number from 0 to ${max}`);

const options = z.strictObject({
  latency: count('--latency', 60_000).default(0),
  dir: z.string().min(1, '--dir needs a directory').optional(),
  task: count('--task', 600_000).default(1500),
  guests: count('--guests', 10_000).default(0),
  'refuse-monitors': count('--refuse-monitors', 1000).default(0),
});

/** The flags of `homelab lab` that take a value. */
const VALUE_FLAGS: ReadonlySet<string> = new Set(valueFlags(labOptions.flags));

/** The options `homelab lab` takes, and the refusal of any other (`--guest`: did you mean --guests?). */
const OPTIONS: readonly string[] = [...labOptions.flags.map((f) => f.flag), 'help'];
const unknownOption = optionRefusal('lab', OPTIONS, 'see: homelab lab --help');

const HELP = `Usage: homelab lab [--latency MS] [--task MS] [--guests N] [--refuse-monitors N] [--dir DIR] [--json]

Starts the simulated homelab on 127.0.0.1 and prints the environment to point homelab at it
(--json: as one JSON line, with "unset": the variables to clear, HOMELAB_CONTEXT: the
lab's config defines only the lab default; the line printed sets it empty, which homelab
reads as unset, so that it works in sh, bash, zsh and fish alike). Runs until Ctrl-C.

  --latency MS          add MS milliseconds to every answer of every simulator
  --task MS             how long simulated PVE/PBS tasks run (default 1500)
  --guests N            seed N more guests (VMIDs from 1000, with DNS records): try check at scale
  --refuse-monitors N   Uptime Kuma refuses the next N monitor adds (disk full): watch expose roll back
  --dir DIR             keep the config and data home in DIR (default: a temporary directory);
                        DIR must be new, empty, or one an earlier homelab lab wrote (marked by
                        its .homelab-lab file) where no other lab runs now: the lab never
                        overwrites files it did not write, nor those a running lab uses
`;

/** Runs the lab until interrupted. */
export async function labCommand(words: string[]): Promise<number> {
  const { flags, positionals } = splitWords(words, { takesValue: (name) => VALUE_FLAGS.has(name), unknownOption });
  if (flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const unknown = [...flags.keys()].find((f) => !OPTIONS.includes(f));
  if (unknown !== undefined) throw unknownOption(`--${unknown}`);
  if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`, 'see homelab lab --help');
  const parsed = options.safeParse(Object.fromEntries([...flags].filter(([k]) => k !== 'json')));
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const o = parsed.data;
  sshServerPreference(process.env); // a bad HOMELAB_LAB_SSH_SERVER: exit 3 before anything starts
  // Listening from before the directory is locked: a Ctrl-C while the lab starts stops it once started, unlocking DIR.
  const stop = untilStopped();
  try {
    const unlock = o.dir === undefined ? undefined : claimLabDir(o.dir);
    try {
      return await runLab(o, flags.has('json'), stop);
    } finally {
      unlock?.();
    }
  } finally {
    stop.dispose();
  }
}

/** The first SIGINT or SIGTERM, awaited by the lab. */
interface StopSignal {
  /** Resolves on the first signal; a second one ends the process as Node does by default. */
  stopped: Promise<void>;
  /** Whether a signal came already. */
  came: () => boolean;
  /** Stops listening. */
  dispose: () => void;
}

/** Listens for SIGINT and SIGTERM from now on (see `StopSignal`). */
function untilStopped(): StopSignal {
  let came = false;
  let resolve: () => void = () => undefined;
  const stopped = new Promise<void>((r) => { resolve = r; });
  const dispose = (): void => {
    process.off('SIGINT', on);
    process.off('SIGTERM', on);
  };
  function on(): void {
    came = true;
    dispose();
    resolve();
  }
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return { stopped, came: () => came, dispose };
}

/** Starts the lab `o` describes, prints how to use it, and runs it until SIGINT or SIGTERM (`stop`, which may have come while it started). */
async function runLab(o: z.infer<typeof options>, json: boolean, stop: StopSignal): Promise<number> {
  const { startLab } = await import('../../lab/lab.js');
  const lab = await startLab({ latencyMs: o.latency, taskDurationMs: o.task, dir: o.dir, extraGuests: o.guests || undefined });
  if (o['refuse-monitors']) {
    const kuma = lab.sims.get('kuma') as KumaSim;
    kuma.kumaFaults.refuse = { event: 'add', count: o['refuse-monitors'], msg: 'SQLITE_FULL: database or disk is full' };
  }
  const { attachSshTargets } = await import('../../lab/ssh-target/index.js');
  const ssh = await attachSshTargets(lab).catch(async (err: unknown) => { await lab.close(); throw err; });
  // `unset`: what to clear first (empty counts as unset); the lab's config defines only the lab `default`.
  const info = { env: lab.env, unset: ['HOMELAB_CONTEXT'], services: Object.fromEntries([...lab.sims].map(([k, s]) => [k, s.url])) };
  if (stop.came()) {
    // Interrupted while starting: nothing to print, the lab stops at once.
  } else if (json) process.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    process.stdout.write(`Simulated homelab running (Ctrl-C to stop):\n`);
    for (const [name, url] of Object.entries(info.services)) process.stdout.write(`  ${name.padEnd(8)} ${url}\n`);
    process.stdout.write(`  ${'ssh'.padEnd(8)} ${[...ssh.targets.values()].map((t) => `${t.profile.name} 127.0.0.1:${t.port}`).join(', ')} (${ssh.server === 'sshd' ? 'OpenSSH sshd' : "ssh2's SSH server"})\n`);
    if (o.guests) process.stdout.write(`  ${o.guests} more guests seeded (VMIDs ${1000}-${999 + o.guests})\n`);
    if (o['refuse-monitors']) process.stdout.write(`  Uptime Kuma refuses the next ${o['refuse-monitors']} monitor add${o['refuse-monitors'] === 1 ? '' : 's'}\n`);
    // One `export` (no `unset`, which fish lacks): HOMELAB_CONTEXT empty is read as unset.
    process.stdout.write(`\nIn another shell:\n  export HOMELAB_CONTEXT= HOMELAB_CONFIG_HOME=${shellWord(lab.env.HOMELAB_CONFIG_HOME)} HOMELAB_DATA_HOME=${shellWord(lab.env.HOMELAB_DATA_HOME)}\n  homelab pve list\n`);
  }
  await stop.stopped;
  await ssh.close();
  await lab.close();
  return 0;
}
