/**
 * @module watch/notifier
 * Where alerts go. The real one posts to the Bot API's `sendMessage` (the
 * `telegram.api_root` from config, so an emulator works too) for the owner's chat, with
 * the token from `telegram/credentials`; tests inject their own. A failed send throws,
 * and the engine then keeps the notice due, so it is retried at the next run.
 */
import { z } from 'zod';
import { loadCredentials } from '../core/credentials.js';
import { ApiError, ConfigError } from '../core/errors.js';
import type { HomelabConfig } from '../core/config.js';
import { HttpClient, expectShape, parseJson } from '../core/http/index.js';
import { telegramConfig } from '../services/telegram/config.js';

/** Sends one message to the owner. */
export interface Notifier {
  send(text: string): Promise<void>;
}

/** Telegram's message limit; longer texts are split at line boundaries. */
export const TELEGRAM_LIMIT = 4096;

const answerSchema = z.object({ ok: z.boolean(), description: z.string().optional() });

/** A notifier posting to the Bot API. */
export function telegramNotifier(options: { apiRoot: string; token: string; chatId: number; timeoutMs?: number }): Notifier {
  // The token is part of the base URL (a bare origin as base would give `//bot…` paths); errors never show it.
  const http = new HttpClient({ service: 'telegram', baseUrl: `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}`, timeoutMs: options.timeoutMs ?? 15_000 });
  return {
    async send(text) {
      for (const part of splitMessage(text)) {
        const res = await http.request({ method: 'POST', path: '/sendMessage', json: { chat_id: options.chatId, text: part, disable_web_page_preview: true }, idempotent: false });
        const answer = expectShape('telegram', 'sendMessage', answerSchema, parseJson('telegram', res));
        if (!answer.ok || res.status >= 400) throw new ApiError('telegram', res.status, `sendMessage refused: ${answer.description ?? `HTTP ${res.status}`}`);
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
  return telegramNotifier({ apiRoot: tg.api_root, token: token as string, chatId: chat });
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
