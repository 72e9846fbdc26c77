/**
 * @module watch/command
 * `homelab watch`: the alert daemon (run it as a systemd service, or inside
 * `homelab bot` with `watch.enabled`). `--once` runs every check once and exits (for
 * cron), `--digest` sends the digest now, `--stdout` prints alerts instead of sending
 * them to Telegram. `--once` and `--digest` fan out (over checks, and labs): a check
 * that could not run, notices or a digest not sent make the exit code the worst part's
 * (docs/exit-codes.md), never 0. A round uses no cron schedule: one croner refuses (which
 * stops the daemon) is a warning there, naming the key, and the checks run all the same. `homelab watch status|mute|unmute|maintenance|run|digest` are
 * operations (see services/watch), dispatched by the CLI before this command.
 */
import { z } from 'zod';
import { installAuditHook } from '../audit/hook.js';
import { registerStoredSecrets } from '../core/credentials.js';
import { ConfigError, toHomelabError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { terminalLine } from '../core/render-safe.js';
import { getRegistry } from '../services/index.js';
import { parseDaemonFlags } from '../surfaces/shared/daemon-flags.js';
import { watchConfig } from './config.js';
import { contextNotifier, labName, watchedLabs, type WatchedLab } from './contexts.js';
import { startLabWatches } from './lab-watches.js';
import { notifierFromConfig, streamNotifier, type Notifier } from './notifier.js';
import { settleRound, type RoundFailure } from './round-summary.js';
import { describeOutcome, scheduleProblems } from './scheduler.js';
import { Watcher } from './watcher.js';

const HELP = `Usage: homelab watch [--once] [--digest] [--stdout] [--context <name> | --all-contexts]

Runs the checks in config (watch:) on their cron schedules and sends alerts to the
owner's Telegram chat: after the hold time, once, repeated at the repeat interval,
resolved when it clears; flapping, mutes and maintenance windows are respected.
  --once     run every check once, send what is due, and exit
  --digest   send the daily digest now (with --once: after the checks) and exit
  --stdout   print alerts to stdout instead of sending them to Telegram (safe for a
             terminal; an alert stdout did not take, a closed pipe or a full disk,
             stays due)
  --all-contexts  watch every lab config.yaml defines (default: the current context);
             with several labs, every alert names its context: [office] …; a lab
             that cannot be watched is logged and the others are

With --once or --digest the exit code says whether everything ran: 0 when it did; when
a check could not run, alerts or the digest could not be sent, or a lab could not be
watched, the most serious part's code (4 a service unreachable, 5 refused, 3 config,
1 failed). A schedule that is no cron expression, which neither uses, is a warning
naming its key (the daemon refuses to start with it), not a failure.

Also: homelab watch status | run [check] | digest | mute <check> <duration> |
      unmute <check> | maintenance <duration|off>
`;

const optionsSchema = z.object({
  once: z.literal(true, { error: '--once takes no value' }).optional(),
  digest: z.literal(true, { error: '--digest takes no value' }).optional(),
  stdout: z.literal(true, { error: '--stdout takes no value' }).optional(),
  'all-contexts': z.literal(true, { error: '--all-contexts takes no value' }).optional(),
});

/**
 * The warning `watch --once` / `--digest` (`what`) gives for a schedule croner refuses (`problem`
 * names the key): the round runs without it, the daemon would not start.
 */
function unusedScheduleWarning(problem: string, what: string): string {
  return `warning: ${problem}; ${what} uses no schedule and runs all the same, but the daemon (homelab watch) will not start until it is fixed (homelab doctor lists every such setting)`;
}

/** Runs the daemon (or one round) and returns the exit code; `stdout` takes the messages of `--stdout`. */
export async function watchCommand(words: string[], env: NodeJS.ProcessEnv = process.env, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { options, help } = parseDaemonFlags(words, optionsSchema, [], 'watch');
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  // As every surface: the stored secrets of every lab are hidden from the start, before a client loads its own
  // (a Bot API refusal quoting the Kuma password, logged before the monitors check ran).
  registerStoredSecrets(env);
  const all = options['all-contexts'] === true;
  // Over every lab, each lab is watched if it can be: one whose config, `watch:` block or chat is refused is logged and left out.
  const unwatched: RoundFailure[] = [];
  const notWatched = (name: string, err: unknown): RoundFailure => {
    const e = toHomelabError(err);
    process.stderr.write(`homelab watch: [${name}] not watched: ${terminalLine(redact(e.message))}\n`);
    return { part: `[${name}]`, exitCode: e.exitCode, kind: 'lab' };
  };
  const labs = watchedLabs(env, all, all ? (name, err) => { unwatched.push(notWatched(name, err)); } : undefined);
  const registry = getRegistry();
  const named = all && labs.length + unwatched.length > 1;
  // Log lines carry services' error texts: shown safe for a terminal, as every CLI output.
  const logFor = (lab: WatchedLab) => (line: string): void => {
    process.stderr.write(`homelab watch: ${named || labs.length > 1 ? `[${labName(lab)}] ` : ''}${terminalLine(redact(line))}\n`);
  };
  const printer = streamNotifier(stdout);
  const notifierFor = (lab: WatchedLab): Notifier => options.stdout ? printer : notifierFromConfig(lab.config, lab.env, watchConfig(lab.config).chat_id);
  if (options.once || options.digest) {
    const what = options.once ? 'watch --once' : 'watch --digest';
    installAuditHook();
    const failures: RoundFailure[] = [...unwatched];
    let checks = 0;
    for (const lab of labs) {
      const log = logFor(lab);
      const part = (name: string): string => (named ? `[${labName(lab)}] ${name}` : name);
      let watcher: Watcher;
      try {
        watcher = await Watcher.open({ registry, config: lab.config, env: lab.env, notifier: contextNotifier(notifierFor(lab), lab.config), log });
      } catch (err) {
        if (!all) throw err;
        failures.push(notWatched(labName(lab), err));
        continue;
      }
      try {
        // A round uses no schedule: a bad one (which the daemon refuses) is told, never a reason to send no alert.
        for (const problem of await scheduleProblems(watcher)) log(unusedScheduleWarning(problem.message, what));
        if (options.once) {
          for (const o of await watcher.runAll()) {
            log(describeOutcome(o));
            checks++;
            if (o.exitCode !== undefined) failures.push({ part: part(o.check), exitCode: o.exitCode, kind: o.outcome === 'error' ? 'run' : 'send' });
          }
        }
        if (options.digest) {
          await watcher.sendDigest().catch((err: unknown) => {
            const e = toHomelabError(err);
            log(`digest not sent: ${redact(e.message)}`);
            failures.push({ part: part('digest'), exitCode: e.exitCode, kind: 'digest' });
          });
        }
      } finally {
        await watcher.close();
        watcher.store.close();
      }
    }
    // For cron: a check that could not run, an alert not sent or a lab not watched is never exit 0; the lines above say why.
    settleRound(what, checks, failures);
    return 0;
  }
  // Installed first: a SIGTERM while the watchers start still stops them cleanly.
  const signalled = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  let startError: unknown;
  const running = await startLabWatches(labs, {
    registry,
    notifier: notifierFor,
    log: logFor,
    onError: (lab, err) => {
      if (all) unwatched.push(notWatched(labName(lab), err));
      else startError = err;
    },
  });
  // One lab that cannot be watched fails as its error says; over every lab, only when none can be.
  if (startError !== undefined) throw startError;
  if (!running.started) throw new ConfigError('watch --all-contexts: no lab could be watched', 'the lines above say why');
  await signalled;
  await running.stop();
  return 0;
}
