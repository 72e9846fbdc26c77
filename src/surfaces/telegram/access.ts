/**
 * @module surfaces/telegram/access
 * Who gets anything from the bot: allowlisted user ids only (config and the
 * authorised-users file). A stranger gets one fixed refusal (at most once an hour, so
 * the bot cannot be used to spam) and no data; every attempt is logged; the owner
 * chat hears about each stranger once (remembered in `<data>/telegram/strangers`).
 * A message sent as a group or channel gets the same refusal and no owner notice: its
 * sender is an id Telegram shares between all such senders, which must never be allowed.
 * When the authorised-users file cannot be read, users not in config.yaml get the refusal
 * and the owner chat hears why (the error and its fix), once an hour.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAllowed } from '../../services/telegram/allowlist.js';
import { telegramDataDir, type TelegramConfig } from '../../services/telegram/config.js';
import { errorHtml } from './errors.js';
import { code, escapeHtml } from './html.js';
import type { Logger } from './log.js';
import type { ChatKind, ChatTransport, ChatUser } from './types.js';

/** The one answer strangers get. */
export const REFUSAL = 'Sorry, this is a private bot.';

const REFUSAL_INTERVAL_MS = 3_600_000;

/** What the gate needs. */
export interface GateDeps {
  tg: TelegramConfig;
  dataDir: string;
  /** The bot's environment: its config home decides whose allowlist root trusts (default: the process's). */
  env?: NodeJS.ProcessEnv;
  transport: ChatTransport;
  logger: Logger;
  now: () => number;
  /** Replaces the allowlist check (the console's local user). */
  allow?: (userId: number) => boolean;
}

/** The allowlist check and the handling of strangers. */
export class Gate {
  /** When each user (or, for messages sent as a chat, each chat) was last refused. */
  private readonly refusedAt = new Map<number, number>();
  private told: Set<number> | undefined;
  /** When the owner was last told that the allowlist cannot be read, and what the error said. */
  private unreadableTold: { at: number; message: string } | undefined;

  constructor(private readonly deps: GateDeps) {}

  /** Whether `userId` may use the bot. */
  allowed(userId: number): boolean {
    return this.deps.allow ? this.deps.allow(userId) : isAllowed(this.deps.tg, this.deps.dataDir, userId, this.deps.env);
  }

  /** A stranger's message: log it, refuse once, tell the owner once. */
  async refuseMessage(user: ChatUser, chatId: number, chatType: ChatKind, kind: string, threadId?: number): Promise<void> {
    this.deps.logger.warn('refused a stranger', { user: user.id, username: user.username, chat: chatId, chatType, kind });
    await this.refuse(user.id, chatId, threadId);
    await this.tellOwner(user, chatType);
  }

  /**
   * A message sent on behalf of a group or channel (`user` is Telegram's shared placeholder):
   * the refusal, at most once an hour per chat, and no owner notice (nobody to allow).
   */
  async refuseChatSender(user: ChatUser, chatId: number, chatType: ChatKind, kind: string, senderChat: number | undefined, threadId?: number): Promise<void> {
    this.deps.logger.warn('refused a message sent as a chat', { user: user.id, senderChat, chat: chatId, chatType, kind });
    await this.refuse(chatId, chatId, threadId);
  }

  /**
   * The allowlist file could not be read: the sender (not in config.yaml, or the file would
   * not have been read) gets the refusal; the owner chat hears the error and its fix.
   */
  async refuseUnreadable(user: ChatUser, chatId: number, err: unknown, threadId?: number, callbackId?: string): Promise<void> {
    this.deps.logger.error('cannot read the allowlist', { user: user.id, chat: chatId, error: err });
    if (callbackId !== undefined) await this.deps.transport.answerCallback(callbackId, REFUSAL).catch(() => undefined);
    else await this.refuse(user.id, chatId, threadId);
    const owner = this.deps.tg.owner_chat_id;
    const message = err instanceof Error ? err.message : String(err);
    const told = this.unreadableTold;
    if (owner === undefined || (told && told.message === message && this.deps.now() - told.at < REFUSAL_INTERVAL_MS)) return;
    this.unreadableTold = { at: this.deps.now(), message };
    const html = `🚫 Refused user ${code(String(user.id))}: the bot cannot read its list of allowed users (only telegram.allowed_users in config.yaml get in).\n${errorHtml(err)}`;
    await this.deps.transport.send(owner, html).catch((e: unknown) => this.deps.logger.warn('owner not told about the allowlist', { error: e }));
  }

  /** The fixed refusal in `chatId`, at most once an hour per `key`. */
  private async refuse(key: number, chatId: number, threadId?: number): Promise<void> {
    const last = this.refusedAt.get(key);
    if (last !== undefined && this.deps.now() - last < REFUSAL_INTERVAL_MS) return;
    this.refusedAt.set(key, this.deps.now());
    await this.deps.transport.send(chatId, escapeHtml(REFUSAL), undefined, threadId).catch((err: unknown) => this.deps.logger.warn('refusal not delivered', { chat: chatId, error: err }));
  }

  /** A stranger's button tap: the refusal as the tap's answer. */
  async refuseCallback(user: ChatUser, callbackId: string, chatId: number): Promise<void> {
    this.deps.logger.warn('refused a stranger', { user: user.id, username: user.username, chat: chatId, kind: 'button' });
    await this.deps.transport.answerCallback(callbackId, REFUSAL).catch(() => undefined);
    await this.tellOwner(user, 'button');
  }

  private strangersFile(): string {
    return join(telegramDataDir(this.deps.dataDir), 'strangers');
  }

  private async tellOwner(user: ChatUser, where: string): Promise<void> {
    const owner = this.deps.tg.owner_chat_id;
    if (owner === undefined) return;
    if (!this.told) {
      let text = '';
      try {
        text = readFileSync(this.strangersFile(), 'utf8');
      } catch {
        // first stranger ever
      }
      this.told = new Set(text.split('\n').filter((l) => /^\d+$/.test(l)).map(Number));
    }
    if (this.told.has(user.id)) return;
    this.told.add(user.id);
    try {
      mkdirSync(telegramDataDir(this.deps.dataDir), { recursive: true, mode: 0o700 });
      appendFileSync(this.strangersFile(), `${user.id}\n`, { mode: 0o600 });
    } catch (err) {
      this.deps.logger.warn('cannot record stranger', { error: err });
    }
    const who = `${escapeHtml(user.name)}${user.username ? ` (@${escapeHtml(user.username)})` : ''}, id ${code(String(user.id))}`;
    const html = `🚫 Refused ${who} (${escapeHtml(where)}). To let them in, on the CLI: ${code(`homelab telegram allow ${user.id}`)}`;
    await this.deps.transport.send(owner, html).catch((err: unknown) => this.deps.logger.warn('owner not told about stranger', { error: err }));
  }
}
