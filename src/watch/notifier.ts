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
 * `watch --stdout` prints instead (`streamNotifier`): a message counts as sent only once
 * stdout took it, and text from services is shown safe for a terminal, as the CLI's tables.
 */
import { loadCredentials } from '../core/credentials.js';
import { ConfigError, OperationError } from '../core/errors.js';
import type { HomelabConfig } from '../core/config.js';
import { HttpClient } from '../core/http/index.js';
import { credentialsFile } from '../core/paths.js';
import { terminalText } from '../core/render-safe.js';
import { callBotApi } from '../services/telegram/client.js';
import { telegramConfig } from '../services/telegram/config.js';

/** Sends one message to the owner. */
export interface Notifier {
  /** Sends `text`; `signal` (the daemon stopping) gives up on a send still under way, which then counts as not sent. */
  send(text: string, signal?: AbortSignal): Promise<void>;
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
export function telegramNotifier(options: { apiRoot: string; token: string; chatId: number; timeoutMs?: number; credentialsPath?: string; partGapMs?: number; chatSetting?: string }): Notifier {
  // The token is part of the base URL (a bare origin as base would give `//bot…` paths); errors never show it.
  const http = new HttpClient({ service: 'telegram', baseUrl: `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}`, timeoutMs: options.timeoutMs ?? 15_000 });
  return {
    gapMs: options.partGapMs ?? PART_GAP_MS,
    async send(text, signal) {
      const parts = splitMessage(text);
      for (const [i, part] of parts.entries()) {
        if (i > 0) await abortableSleep(options.partGapMs ?? PART_GAP_MS, signal);
        await callBotApi(http, 'sendMessage', { chat_id: options.chatId, text: part, link_preview_options: { is_disabled: true } }, { signal, credentialsPath: options.credentialsPath, chatSetting: options.chatSetting });
      }
    },
  };
}

/** Waits `ms`, or until `signal` aborts (then rejects with its reason). */
function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = (): void => { signal?.removeEventListener('abort', stop); resolve(); };
    const timer = setTimeout(done, ms);
    const stop = (): void => { clearTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/**
 * A notifier printing each message to `stream` (`watch --stdout`), followed by a blank line.
 * Text from services is made safe for a terminal (`terminalText`: no escape sequence reaches it).
 * A message is sent only once the stream took it (its write callback): a reader that went away
 * (EPIPE) or a full disk rejects, so its notices stay due and the run does not exit 0.
 */
export function streamNotifier(stream: NodeJS.WritableStream): Notifier {
  const out = stream as NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean };
  return {
    send: (text) => new Promise<void>((resolve, reject) => {
      if (out.destroyed || out.writableEnded) return reject(notWritten());
      try {
        out.write(`${terminalText(text)}\n\n`, (err?: Error | null) => (err ? reject(notWritten(err)) : resolve()));
      } catch (err) {
        reject(notWritten(err as Error));
      }
    }),
  };
}

/** Why a message printed to stdout did not arrive: its reader went away, or the write failed (a full disk). */
function notWritten(err?: NodeJS.ErrnoException): OperationError {
  const closed = !err || err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED';
  return new OperationError(closed ? 'stdout is closed (its reader went away)' : `cannot write to stdout: ${err.code ?? err.message}`);
}

/** The Telegram notifier for this config: `watch.chat_id` or `telegram.owner_chat_id`, token from the credentials. */
export function notifierFromConfig(config: HomelabConfig, env: NodeJS.ProcessEnv, chatId?: number): Notifier {
  const tg = telegramConfig(config);
  const chat = chatId ?? tg.owner_chat_id;
  if (chat === undefined) throw new ConfigError(`${config.path}: watch needs a chat to alert: set telegram.owner_chat_id (or watch.chat_id)`);
  const { TELEGRAM_BOT_TOKEN: token } = loadCredentials('telegram', ['TELEGRAM_BOT_TOKEN'], undefined, env);
  const chatSetting = chatId !== undefined ? 'watch.chat_id' : 'telegram.owner_chat_id';
  return telegramNotifier({ apiRoot: tg.api_root, token: token as string, chatId: chat, credentialsPath: credentialsFile('telegram', env), chatSetting });
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
