/**
 * @module surfaces/telegram/bot
 * `homelab bot`: grammY with long polling through `@grammyjs/runner` (updates handled
 * concurrently, so one slow command never holds up another user or the same chat's next
 * command; the executor starts a few operations at a time, chats in turn), the handlers
 * of `core.ts`, the idle collector that gives memory back after a burst, and the command
 * menu from the registry. grammY is imported here, lazily.
 */
import type { Message, User } from 'grammy/types';
import { installAuditHook } from '../../audit/hook.js';
import { loadConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import { AuthError, ConfigError, UnreachableError } from '../../core/errors.js';
import { withContext } from '../../core/context-name.js';
import { contextDataHome, credentialsFile, dataHome } from '../../core/paths.js';
import type { Registry } from '../../core/registry.js';
import { getRegistry } from '../../services/index.js';
import { telegramConfig } from '../../services/telegram/config.js';
import { BotCore } from './core.js';
import { apiTransformer, grammyTransport } from './grammy-transport.js';
import { menuCommands } from './help.js';
import { IdleCollector } from './idle-collector.js';
import { createLogger, type Logger } from './log.js';
import type { ChatKind, ChatUser, IncomingMessage } from './types.js';

/** Options of `startBot` (tests inject the registry, the clock and the logger). */
export interface StartBotOptions {
  env?: NodeJS.ProcessEnv;
  registry?: Registry;
  logger?: Logger;
  now?: () => number;
  progressIntervalMs?: number;
}

/** A running bot. */
export interface RunningBot {
  core: BotCore;
  username: string;
  /** Settles when the runner stops (rejects if it crashed). */
  done: Promise<void>;
  stop(): Promise<void>;
}

const OTHER_KINDS = ['voice', 'audio', 'video', 'video_note', 'sticker', 'animation', 'location', 'contact', 'poll', 'venue'] as const;

/** The sender of a message as the handlers see them. */
export function toUser(from: User): ChatUser {
  const user: ChatUser = { id: from.id, name: [from.first_name, from.last_name].filter(Boolean).join(' ') || String(from.id) };
  if (from.username) user.username = from.username;
  return user;
}

/** A grammY message as the handlers see it; undefined without a sender (channel posts). */
export function toIncoming(m: Message): IncomingMessage | undefined {
  if (!m.from) return undefined;
  const msg: IncomingMessage = { chatId: m.chat.id, chatType: m.chat.type as ChatKind, user: toUser(m.from) };
  if (m.text !== undefined) msg.text = m.text;
  if (m.caption !== undefined) msg.caption = m.caption;
  const photo = m.photo?.[m.photo.length - 1];
  if (photo) msg.photo = { fileId: photo.file_id, size: photo.file_size };
  if (m.document) msg.document = { fileId: m.document.file_id, name: m.document.file_name, size: m.document.file_size };
  if (msg.text === undefined && !msg.photo && !msg.document) msg.other = OTHER_KINDS.find((k) => k in m) ?? 'message';
  return msg;
}

/**
 * The exports of a CommonJS package loaded with `import()`: Node gives named exports,
 * the esbuild bundle only `default` (grammY and the runner are CommonJS).
 */
function commonJs<T extends object>(mod: T, probe: string): T {
  return probe in mod ? mod : ((mod as { default?: T }).default ?? mod);
}

/** Starts the bot and returns once it is polling. */
export async function startBot(options: StartBotOptions = {}): Promise<RunningBot> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger((line) => process.stdout.write(line));
  const config = loadConfig(env);
  const tg = telegramConfig(config);
  // Every change/danger operation run from the bot is recorded in the audit log.
  installAuditHook();
  const token = loadCredentials('telegram', ['TELEGRAM_BOT_TOKEN'], undefined, env).TELEGRAM_BOT_TOKEN as string;
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) throw new ConfigError(`TELEGRAM_BOT_TOKEN in ${credentialsFile('telegram', env)} does not look like a bot token (123456:ABC…)`);
  const [grammy, runner] = await Promise.all([import('grammy'), import('@grammyjs/runner')]);
  const { Bot, InputFile, GrammyError } = commonJs(grammy, 'Bot');
  const { run } = commonJs(runner, 'run');
  const apiRoot = tg.api_root.replace(/\/+$/, '');
  const bot = new Bot(token, { client: { apiRoot } });
  bot.api.config.use(apiTransformer(logger));
  try {
    await bot.init();
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
      throw new AuthError('telegram', `bot token refused (${err.description})`, `check TELEGRAM_BOT_TOKEN in ${credentialsFile('telegram', env)}`);
    }
    throw new UnreachableError('telegram', `cannot reach the Bot API at ${apiRoot}: ${(err as Error).message}`);
  }
  const registry = options.registry ?? getRegistry();
  const activity = new IdleCollector();
  const core = new BotCore({
    config, tg, env, dataDir: dataHome(env), inboxDir: contextDataHome(withContext(env, config.context ?? 'default')), registry, logger,
    transport: grammyTransport(bot.api, InputFile, `${apiRoot}/file/bot${token}`),
    now: options.now, botUsername: bot.botInfo.username, progressIntervalMs: options.progressIntervalMs, activity,
  });
  bot.on('message', async (ctx) => {
    const msg = toIncoming(ctx.msg);
    if (msg) await core.handleMessage(msg);
  });
  bot.on('callback_query:data', async (ctx) => {
    const q = ctx.callbackQuery;
    await core.handleCallback({ id: q.id, chatId: q.message?.chat.id ?? q.from.id, user: toUser(q.from), data: q.data });
  });
  bot.catch((err) => logger.error('handler failed', { error: err.error instanceof Error ? err.error : new Error(String(err.error)) }));
  await bot.api.setMyCommands(menuCommands(registry)).catch((err: unknown) => logger.warn('cannot set the command menu', { error: err }));
  const handle = run(bot, {
    runner: { silent: true, fetch: { timeout: 30, allowed_updates: ['message', 'callback_query'] }, retryInterval: 'exponential', maxRetryTime: 60 * 60 * 1000 },
  });
  logger.info('bot started', { username: bot.botInfo.username, apiRoot, allowedInConfig: tg.allowed_users.length, operations: registry.all().length });
  let stopped: Promise<void> | undefined;
  return {
    core,
    username: bot.botInfo.username,
    done: handle.task() ?? Promise.resolve(),
    stop() {
      stopped ??= (async () => {
        logger.info('bot stopping');
        const runner = handle.isRunning() ? handle.stop() : Promise.resolve();
        await core.stop();
        activity.stop();
        await runner;
        logger.info('bot stopped');
      })();
      return stopped;
    },
  };
}
