/**
 * @module surfaces/telegram/bot-command
 * The `homelab bot` CLI command: `homelab bot` runs the Telegram bot until SIGINT or
 * SIGTERM (structured logs on stdout for the journal); `homelab bot --console` runs
 * the same handlers on a terminal chat loop, without Telegram. When polling stops for good,
 * the bot stops and the command fails with why (another bot on the token: exit 3).
 */
import { splitWords } from '../../core/args.js';
import { UsageError } from '../../core/errors.js';
import { optionRefusal } from '../../core/unknown-option.js';
import { shownWord, switchValue } from '../../core/words.js';

const HELP = `Usage: homelab bot [--console]

Runs the Telegram bot: every operation as a command for allowlisted users
(/pve list, /pve start 105, …), /status, /pbs and /ping shortcuts, free text
to the inbox, photos and files saved. Logs are JSON lines on stdout.

  --console   the same bot on this terminal (no Telegram, no token needed)

Config: telegram: in config.yaml; token: TELEGRAM_BOT_TOKEN in telegram/credentials.
`;

/** Runs `homelab bot [--console]`; returns the exit code. */
export async function botCommand(words: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const unknownOption = optionRefusal('bot', ['console', 'help'], 'usage: homelab bot [--console]');
  const { flags, positionals } = splitWords(words, { unknownOption });
  if (flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  // An unknown option first (`--consol x` is a misspelt option, not a stray "x": did you mean --console?).
  const unknown = [...flags.keys()].find((f) => f !== 'console' && f !== 'color');
  if (unknown) throw unknownOption(`--${unknown}`);
  if (positionals.length) throw new UsageError(`unexpected argument ${shownWord(positionals[0] as string)}`, 'usage: homelab bot [--console]');
  const consoleFlag = flags.get('console');
  if (consoleFlag !== undefined && (consoleFlag === true || switchValue('console', consoleFlag))) {
    const { runConsole } = await import('./console.js');
    return runConsole({ env });
  }
  // Installed first: a SIGTERM while the bot or its watchers start still stops them cleanly
  // (a signal while the bot starts ends its open calls: the command exits 0 at once).
  const stop = new AbortController();
  const signalled = new Promise<{ error?: unknown }>((resolve) => {
    process.once('SIGINT', () => resolve({}));
    process.once('SIGTERM', () => resolve({}));
  }).then((outcome) => {
    stop.abort();
    return outcome;
  });
  const { startBot, BotStartAborted } = await import('./bot.js');
  let bot;
  try {
    bot = await startBot({ env, signal: stop.signal });
  } catch (err) {
    if (err instanceof BotStartAborted) return 0;
    throw err;
  }
  let watch: { stop(): Promise<void> } | undefined;
  try {
    watch = await startWatchIfEnabled(env);
  } catch (err) {
    await bot.stop();
    throw err;
  }
  const outcome = await Promise.race<{ error?: unknown }>([signalled, bot.done.then(() => ({}), (error: unknown) => ({ error }))]);
  await watch?.stop();
  await bot.stop();
  // Why polling stopped (logged by the bot too), as the CLI reports any error: one line, its exit code.
  if (outcome.error !== undefined) throw outcome.error;
  return 0;
}

/**
 * Runs `homelab watch` inside the bot for every lab the bot serves whose config sets
 * `watch.enabled` (a context's block may set it for its lab alone), as
 * `homelab watch --all-contexts` does: each alert goes to that lab's chat, named `[lab]`
 * when the config defines several, and each log line names its lab (`context`). A lab
 * whose config or `watch:` block cannot be loaded, or whose watcher cannot start, is logged
 * `not watched` and the others are watched; with none watched the bot runs on without.
 */
async function startWatchIfEnabled(env: NodeJS.ProcessEnv): Promise<{ stop(): Promise<void> } | undefined> {
  const [{ watchConfig, watchedLabs, startLabWatches, labName }, { getRegistry }, { redact }] = await Promise.all([
    import('../../watch/index.js'), import('../../services/index.js'), import('../../core/redact.js'),
  ]);
  const write = (level: string, line: string, context: string | undefined): void => {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: redact(line), source: 'watch', ...(context ? { context } : {}) })}\n`);
  };
  const notWatched = (name: string, err: unknown): void => write('error', `not watched: ${err instanceof Error ? err.message : String(err)}`, name);
  let failed = 0;
  let unloaded = 0;
  const all = watchedLabs(env, true, (name, err) => { failed++; unloaded++; notWatched(name, err); });
  const labs = all.filter((lab) => {
    try {
      return watchConfig(lab.config).enabled;
    } catch (err) {
      failed++;
      notWatched(labName(lab), err);
      return false;
    }
  });
  if (!labs.length && !failed) return undefined;
  const several = all.length + unloaded > 1 || (all[0]?.config.contextNames?.length ?? 1) > 1;
  const running = await startLabWatches(labs, {
    registry: getRegistry(),
    log: (lab) => (line) => write('info', line, several ? labName(lab) : undefined),
    onError: (lab, err) => { failed++; notWatched(labName(lab), err); },
  });
  if (!running.started) write('error', 'no lab is watched: the bot runs without its watcher (the lines above say why)', undefined);
  return running;
}
