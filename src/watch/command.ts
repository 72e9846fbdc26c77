/**
 * @module watch/command
 * `homelab watch`: the alert daemon (run it as a systemd service, or inside
 * `homelab bot` with `watch.enabled`). `--once` runs every check once and exits (for
 * cron), `--digest` sends the digest now, `--stdout` prints alerts instead of sending
 * them to Telegram. `--once` and `--digest` fan out (over checks, and labs): a check
 * that could not run, notices or a digest not sent make the exit code the worst part's
 * (docs/exit-codes.md), never 0. `homelab watch status|mute|unmute|maintenance|run|digest` are
 * operations (see services/watch), dispatched by the CLI before this command.
 */
import { z } from 'zod';
import { installAuditHook } from '../audit/hook.js';
import { ConfigError, settleParts, toHomelabError, type PartFailure } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { getRegistry } from '../services/index.js';
import { parseDaemonFlags } from '../surfaces/shared/daemon-flags.js';
import { watchConfig } from './config.js';
import { contextNotifier, labName, watchedLabs, type WatchedLab } from './contexts.js';
import { startLabWatches } from './lab-watches.js';
import { notifierFromConfig, type Notifier } from './notifier.js';
import { describeOutcome } from './scheduler.js';
import { Watcher } from './watcher.js';

const HELP = `Usage: homelab watch [--once] [--digest] [--stdout] [--context <name> | --all-contexts]

Runs the checks in config (watch:) on their cron schedules and sends alerts to the
owner's Telegram chat: after the hold time, once, repeated at the repeat interval,
resolved when it clears; flapping, mutes and maintenance windows are respected.
  --once     run every check once, send what is due, and exit
  --digest   send the daily digest now (with --once: after the checks) and exit
  --stdout   print alerts to stdout instead of sending them to Telegram
  --all-contexts  watch every lab config.yaml defines (default: the current context);
             with several labs, every alert names its context: [office] …

With --once or --digest the exit code says whether everything ran: 0 when it did; when
a check could not run, or alerts or the digest could not be sent, the most serious
part's code (4 a service unreachable, 5 refused, 3 config, 1 failed).

Also: homelab watch status | run [check] | digest | mute <check> <duration> |
      unmute <check> | maintenance <duration|off>
`;

const optionsSchema = z.object({
  once: z.literal(true, { error: '--once takes no value' }).optional(),
  digest: z.literal(true, { error: '--digest takes no value' }).optional(),
  stdout: z.literal(true, { error: '--stdout takes no value' }).optional(),
  'all-contexts': z.literal(true, { error: '--all-contexts takes no value' }).optional(),
});

const stdoutNotifier: Notifier = {
  send: async (text) => {
    process.stdout.write(`${text}\n\n`);
  },
};

/** Runs the daemon (or one round) and returns the exit code. */
export async function watchCommand(words: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { options, help } = parseDaemonFlags(words, optionsSchema, [], 'watch');
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  const all = options['all-contexts'] === true;
  const daemon = !options.once && !options.digest;
  // The daemon over every lab watches those it can: a lab whose config cannot be loaded is logged.
  let failed = 0;
  const notWatched = (name: string, err: unknown): void => {
    failed++;
    process.stderr.write(`homelab watch: [${name}] not watched: ${redact(toHomelabError(err).message)}\n`);
  };
  const labs = watchedLabs(env, all, all && daemon ? notWatched : undefined);
  const registry = getRegistry();
  const named = all && labs.length + failed > 1;
  const logFor = (lab: WatchedLab) => (line: string): void => {
    process.stderr.write(`homelab watch: ${named || labs.length > 1 ? `[${labName(lab)}] ` : ''}${line}\n`);
  };
  const notifierFor = (lab: WatchedLab): Notifier => options.stdout ? stdoutNotifier : notifierFromConfig(lab.config, lab.env, watchConfig(lab.config).chat_id);
  if (options.once || options.digest) {
    installAuditHook();
    const failures: PartFailure[] = [];
    let parts = 0;
    for (const lab of labs) {
      const log = logFor(lab);
      const named = (part: string): string => (labs.length > 1 ? `[${labName(lab)}] ${part}` : part);
      const watcher = await Watcher.open({ registry, config: lab.config, env: lab.env, notifier: contextNotifier(notifierFor(lab), lab.config), log });
      try {
        if (options.once) {
          for (const o of await watcher.runAll()) {
            log(describeOutcome(o));
            parts++;
            if (o.exitCode !== undefined) failures.push({ part: named(o.check), exitCode: o.exitCode });
          }
        }
        if (options.digest) {
          parts++;
          await watcher.sendDigest().catch((err: unknown) => {
            const e = toHomelabError(err);
            log(`digest not sent: ${redact(e.message)}`);
            failures.push({ part: named('digest'), exitCode: e.exitCode });
          });
        }
      } finally {
        await watcher.close();
        watcher.store.close();
      }
    }
    // For cron: a check that could not run (or an alert not sent) is never exit 0; the lines above say why.
    settleParts(options.once ? 'watch --once' : 'watch --digest', undefined, parts, options.once && options.digest ? 'parts' : options.once ? 'checks' : 'digests', failures, 'the lines above say why');
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
      if (all) notWatched(labName(lab), err);
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
