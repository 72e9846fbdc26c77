/**
 * @module watch/notifier
 * Where alerts go. The real one posts to the Bot API's `sendMessage` (the
 * `telegram.api_root` from config, so an emulator works too) for the owner's chat, with
 * the token from `telegram/credentials`; tests inject their own. A 429 is waited out
 * as the CLI's Bot API client does (services/telegram/client), and the parts of a long
 * text go a second apart (Telegram's pace for one chat), as do the messages of one check
 * run (`gapMs`). A failed send throws, and the engine then keeps the notices of that
 * message due, so they are retried at the next run; a check run's messages
 * (watch/run-message) each fit one `sendMessage`, so each is sent whole or not at all.
 */
import { loadCredentials } from '../core/credentials.js';
import { ConfigError } from '../core/errors.js';
import type { HomelabConfig } from '../core/config.js';
import { HttpClient } from '../core/http/index.js';
import { credentialsFile } from '../core/paths.js';
import { callBotApi } from '../services/telegram/client.js';
import { telegramConfig } from '../services/telegram/config.js';

/** Sends one message to the owner. */
export interface Notifier {
  send(text: string): Promise<void>;
  /** Characters one message may hold (default `TELEGRAM_LIMIT`; less when a prefix is added). */
  readonly limit?: number;
  /** Pause before each further message of one check run (Telegram's pace for one chat); default none. */
  readonly gapMs?: number;
}

/** Telegram's message limit; longer texts are split at line boundaries. */
export const TELEGRAM_LIMIT = 4096;

/** Pause between the parts of a long text: Telegram takes about one message a second in a chat. */
const PART_GAP_MS = 1000;

/** A notifier posting to the Bot API. */
export function telegramNotifier(options: { apiRoot: string; token: string; chatId: number; timeoutMs?: number; credentialsPath?: string; partGapMs?: number }): Notifier {
  // The token is part of the base URL (a bare origin as base would give `//bot…` paths); errors never show it.
  const http = new HttpClient({ service: 'telegram', baseUrl: `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}`, timeoutMs: options.timeoutMs ?? 15_000 });
  return {
    gapMs: options.partGapMs ?? PART_GAP_MS,
    async send(text) {
      const parts = splitMessage(text);
      for (const [i, part] of parts.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, options.partGapMs ?? PART_GAP_MS));
        await callBotApi(http, 'sendMessage', { chat_id: options.chatId, text: part, link_preview_options: { is_disabled: true } }, { credentialsPath: options.credentialsPath });
      }
    },
  };
}

/** The Telegram notifier for this config: `watch.chat_id` or `telegram.owner_chat_id`, token from the credentials. */
export function notifierFromConfig(config: HomelabConfig, env: NodeJS.ProcessEnv, chatId?: number): Notifier {
  const tg = telegramConfig(config);
  const chat = chatId ?? tg.owner_chat_id;
  if (chat === undefined) throw new ConfigError(`${config.path}: watch needs a chat to alert: set telegram.owner_chat_id (or watch.chat_id)`);
  const { TELEGRAM_BOT_TOKEN: token } = loadCredentials('telegram', ['TELEGRAM_BOT_TOKEN'], undefined, env);
  return telegramNotifier({ apiRoot: tg.api_root, token: token as string, chatId: chat, credentialsPath: credentialsFile('telegram', env) });
}

/** Splits text into parts of at most `limit` characters, at line boundaries where possible. */
export function splitMessage(text: string, limit = TELEGRAM_LIMIT): string[] {
  const parts: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const pieces = line.length > limit ? line.match(new RegExp(`[\\s\\S]{1,${limit}}`, 'g')) ?? [] : [line];
    for (const piece of pieces) {
      if (current && current.length + 1 + piece.length > limit) {
        parts.push(current);
        current = piece;
      } else current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current) parts.push(current);
  return parts;
}
