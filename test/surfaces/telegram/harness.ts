/**
 * @module test/surfaces/telegram/harness
 * Starts the bot in-process against the simulated Bot API (telegram-test-api behind
 * our simulator) and the simulated lab, with a clock the test moves and the log lines
 * captured, so tests can talk to it as users would.
 */
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import type { Registry } from '../../../src/core/registry.js';
import { startTelegramSim, type SentMessage, type TelegramSim } from '../../../src/services/telegram/sim/index.js';
import { startBot, type RunningBot } from '../../../src/surfaces/telegram/bot.js';
import { createLogger } from '../../../src/surfaces/telegram/log.js';
import { writeBotToken } from '../../helpers/bot-token.js';

/** The owner (allowlisted in config, owner chat). */
export const OWNER = 1001;
/** A second allowlisted user (in config). */
export const ALICE = 1002;
/** Someone nobody allowed. */
export const STRANGER = 6666;

/** A running bot with everything around it. */
export interface Harness {
  lab: RunningLab;
  sim: TelegramSim;
  bot: RunningBot;
  logs: string[];
  /** The bot's clock; move it with `advance`. */
  advance(ms: number): void;
  stop(): Promise<void>;
}

/** Options of `startHarness`. */
export interface HarnessOptions {
  services?: string[];
  telegram?: Record<string, unknown>;
  registry?: Registry;
  progressIntervalMs?: number;
  /** Called with each line the bot logs, as it is logged (to act at a moment of a command's life). */
  onLog?: (line: string) => void;
  /** Called before the bot starts (to leave a webhook on the token). */
  beforeStart?: (sim: TelegramSim) => void;
  /** How long the simulated services' tasks take (default 200 ms). */
  taskDurationMs?: number;
  /** The longest wait between retries of a failed long poll. */
  pollRetryMaxMs?: number;
  /** How long one long poll waits for updates, in seconds (default 30). */
  pollTimeoutSeconds?: number;
}

/** Starts lab, simulator and bot. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const [lab, sim] = await Promise.all([startLab({ services: options.services ?? ['pve'], taskDurationMs: options.taskDurationMs ?? 200 }), startTelegramSim()]);
  lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER, ALICE], ...options.telegram } });
  writeBotToken(lab.env.HOMELAB_CONFIG_HOME, sim.token);
  sim.knownChats.add(OWNER);
  options.beforeStart?.(sim);
  const logs: string[] = [];
  let now = Date.now();
  const bot = await startBot({
    pollRetryMaxMs: options.pollRetryMaxMs,
    pollTimeoutSeconds: options.pollTimeoutSeconds,
    env: { ...lab.env, PATH: process.env.PATH },
    registry: options.registry,
    logger: createLogger((line) => { logs.push(line); options.onLog?.(line); }, 'debug'),
    now: () => now,
    progressIntervalMs: options.progressIntervalMs,
  });
  return {
    lab, sim, bot, logs,
    advance: (ms) => { now += ms; },
    async stop() {
      await bot.stop();
      await Promise.all([sim.close(), lab.close()]);
    },
  };
}

/** Polls `find` every 10 ms until it returns something truthy (15 s at most). */
export async function until<T>(find: () => T | undefined | false | null, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Parsed log records. */
export function records(logs: readonly string[]): Record<string, unknown>[] {
  return logs.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Sends `text` as the owner and waits (20 s at most) for the first new message that `match`es. */
export async function sendAsOwner(h: Harness, text: string, match: (m: SentMessage) => boolean, what: string): Promise<SentMessage> {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  return owner.waitForMessage(match, what, before, 20_000);
}
