/**
 * @module surfaces/telegram/bot
 * `homelab bot`: grammY with long polling through `@grammyjs/runner` (updates handled
 * concurrently, so one slow command never holds up another user or the same chat's next
 * command; the executor starts a few operations at a time, chats in turn), the handlers
 * of `core.ts`, the idle collector that gives memory back after a burst, and the command
 * menu from the registry. grammY is imported here, lazily.
 *
 * At start-up a webhook left on the token is removed (pending updates kept), as grammY's own
 * `bot.start()` does: Telegram refuses `getUpdates` while one is set. A failed long poll, or
 * one with no answer 10 s after its timeout, is retried within seconds (`pollRetry`); every
 * other call has a time limit of 60 s, and whatever call is still open once the bot stopped
 * is aborted, so the process exits at once. When polling stops for good, `done` rejects with why:
 * another program polling the same token is a ConfigError (exit 3, which the unit does not
 * restart), anything else an OperationError (exit 1).
 */
import type { Message, MessageOrigin, User } from 'grammy/types';
import { installAuditHook } from '../../audit/hook.js';
import { loadConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import { AuthError, ConfigError, OperationError, UnreachableError } from '../../core/errors.js';
import { withContext } from '../../core/context-name.js';
import { contextDataHome, credentialsFile, dataHome } from '../../core/paths.js';
import type { Registry } from '../../core/registry.js';
import { getRegistry } from '../../services/index.js';
import { SHARED_SENDER_IDS } from '../../services/telegram/allowlist.js';
import { telegramConfig } from '../../services/telegram/config.js';
import { BotCore } from './core.js';
import { apiTransformer, grammyTransport, pollRetry } from './grammy-transport.js';
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
  /** The longest wait between retries of a failed long poll (default 10 s). */
  pollRetryMaxMs?: number;
  /** How long one long poll waits for updates, in seconds (default 30); a poll with no answer 10 s after it is retried. */
  pollTimeoutSeconds?: number;
  /** Aborts the start-up (SIGINT/SIGTERM): every call still open ends and `startBot` rejects with a `BotStartAborted`. */
  signal?: AbortSignal;
}

/** `startBot` was stopped by its `signal` before the bot polled (the process should just exit). */
export class BotStartAborted extends Error {
  override readonly name = 'BotStartAborted';
  constructor() {
    super('the bot was stopped while it started');
  }
}

/** The time limit of every Bot API call but a long poll, in seconds (grammY's own default is 500). */
const CALL_TIMEOUT_S = 60;

/** A running bot. */
export interface RunningBot {
  core: BotCore;
  username: string;
  /** Settles when the runner stops (rejects with why it stopped polling: a HomelabError). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Content the bot does not keep; a message with none of these, nor text, photo or document, is a service message. */
const OTHER_KINDS = ['voice', 'audio', 'video', 'video_note', 'sticker', 'animation', 'location', 'contact', 'poll', 'venue', 'dice', 'game', 'story', 'invoice', 'paid_media', 'checklist', 'giveaway'] as const;

/** The sender of a message as the handlers see them. */
export function toUser(from: User): ChatUser {
  const user: ChatUser = { id: from.id, name: [from.first_name, from.last_name].filter(Boolean).join(' ') || String(from.id) };
  if (from.username) user.username = from.username;
  return user;
}

/** Who wrote a forwarded message first, in a few words (`Mallory @mallory`, a channel's title). */
export function originOf(origin: MessageOrigin): string {
  const at = (username?: string): string => (username ? ` @${username}` : '');
  switch (origin.type) {
    case 'user':
      return `${toUser(origin.sender_user).name}${at(origin.sender_user.username)}`;
    case 'hidden_user':
      return origin.sender_user_name;
    case 'chat':
      return `${origin.sender_chat.title ?? 'a chat'}${at(origin.sender_chat.username)}`;
    case 'channel':
      return `${origin.chat.title}${at(origin.chat.username)}`;
    default:
      return 'someone else';
  }
}

/** A grammY message as the handlers see it; undefined without a sender (channel posts). */
export function toIncoming(m: Message): IncomingMessage | undefined {
  if (!m.from) return undefined;
  const msg: IncomingMessage = { chatId: m.chat.id, chatType: m.chat.type as ChatKind, user: toUser(m.from) };
  if (m.sender_chat || SHARED_SENDER_IDS.has(m.from.id)) msg.sentAsChat = { id: m.sender_chat?.id, title: m.sender_chat && 'title' in m.sender_chat ? m.sender_chat.title : undefined };
  if (m.forward_origin) msg.forwardedFrom = originOf(m.forward_origin);
  if (m.is_topic_message && m.message_thread_id !== undefined) msg.threadId = m.message_thread_id;
  if (m.text !== undefined) msg.text = m.text;
  if (m.caption !== undefined) msg.caption = m.caption;
  const photo = m.photo?.[m.photo.length - 1];
  if (photo) msg.photo = { fileId: photo.file_id, size: photo.file_size };
  if (m.document) msg.document = { fileId: m.document.file_id, name: m.document.file_name, size: m.document.file_size };
  if (msg.text === undefined && !msg.photo && !msg.document) {
    const other = OTHER_KINDS.find((k) => k in m);
    if (other) msg.other = other;
    else msg.service = true;
  }
  return msg;
}

/** Why polling stopped for good, as the error `homelab bot` exits with. */
export function pollingStopped(err: unknown): Error {
  const e = err as { error_code?: number; description?: string };
  const said = typeof e?.description === 'string' ? e.description : err instanceof Error ? err.message : String(err);
  if (e?.error_code === 409 && /terminated by other getUpdates/i.test(said)) {
    return new ConfigError('another program is polling Telegram with this bot token (Telegram: terminated by other getUpdates request)', 'stop the other homelab bot, or give each bot its own token');
  }
  if (e?.error_code === 409 && /webhook/i.test(said)) return new OperationError(`a webhook was set on the bot token while the bot ran (Telegram: ${said})`, 'the bot removes it when it starts again');
  if (e?.error_code === 401) return new AuthError('telegram', `bot token refused (${said})`);
  return new OperationError(`polling Telegram stopped: ${said}`);
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
  const bot = new Bot(token, { client: { apiRoot, timeoutSeconds: CALL_TIMEOUT_S } });
  // Aborted once the bot stopped: a call still waiting (a 429's wait, a hung send) ends, so the process exits.
  const stopping = new AbortController();
  bot.api.config.use(apiTransformer(logger, stopping.signal), pollRetry(logger, options.pollRetryMaxMs));
  // A signal while starting ends every call still open (getMe, the menu, the webhook removal).
  const abortStart = (): void => stopping.abort();
  options.signal?.addEventListener('abort', abortStart, { once: true });
  if (options.signal?.aborted) stopping.abort();
  const stoppedStarting = (): BotStartAborted => {
    logger.info('bot stopped', { while: 'starting' });
    return new BotStartAborted();
  };
  try {
    // getMe once, not grammY's `bot.init()`: that retries an unreachable API for ever (waits
    // doubling up to 20 minutes); exit 4 instead lets the unit retry every 10 s.
    bot.botInfo = await bot.api.getMe();
  } catch (err) {
    options.signal?.removeEventListener('abort', abortStart);
    if (stopping.signal.aborted) throw stoppedStarting();
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
    await core.handleCallback({ id: q.id, chatId: q.message?.chat.id ?? q.from.id, user: toUser(q.from), data: q.data, ...(q.message ? { messageId: q.message.message_id } : {}) });
  });
  bot.catch((err) => logger.error('handler failed', { error: err.error instanceof Error ? err.error : new Error(String(err.error)) }));
  await bot.api.setMyCommands(menuCommands(registry)).catch((err: unknown) => logger.warn('cannot set the command menu', { error: err }));
  // Telegram refuses getUpdates while a webhook is set (the runner, unlike bot.start(), does not remove it).
  await bot.api.deleteWebhook({ drop_pending_updates: false }).catch((err: unknown) => logger.warn('cannot remove a webhook', { error: err }));
  options.signal?.removeEventListener('abort', abortStart);
  if (stopping.signal.aborted) {
    activity.stop();
    throw stoppedStarting();
  }
  const handle = run(bot, {
    // pollRetry retries a failed poll itself; what reaches the runner (a 429) waits 1 s more.
    runner: { silent: true, fetch: { timeout: options.pollTimeoutSeconds ?? 30, allowed_updates: ['message', 'callback_query'] }, retryInterval: 1000, maxRetryTime: 60 * 60 * 1000 },
  });
  logger.info('bot started', { username: bot.botInfo.username, apiRoot, allowedInConfig: tg.allowed_users.length, operations: registry.all().length });
  let stopped: Promise<void> | undefined;
  const done = (handle.task() ?? Promise.resolve()).catch((err: unknown) => {
    const why = pollingStopped(err);
    logger.error('polling stopped', { error: why });
    throw why;
  });
  // Handled here too: a caller that never awaits `done` gets no unhandled rejection.
  done.catch(() => undefined);
  return {
    core,
    username: bot.botInfo.username,
    done,
    stop() {
      stopped ??= (async () => {
        logger.info('bot stopping');
        const runner = handle.isRunning() ? handle.stop() : Promise.resolve();
        await core.stop();
        stopping.abort();
        activity.stop();
        await runner;
        logger.info('bot stopped');
      })();
      return stopped;
    },
  };
}
