/**
 * @module services/telegram/client
 * A minimal Bot API client for the `telegram` helper (`telegram send` from cron): one
 * method call over the shared HTTP client, with Telegram's `{ok, result}` /
 * `{ok:false, error_code, description}` envelope mapped to typed errors and a short
 * wait on 429 (`retry_after`). A chat the bot cannot write to (a wrong chat id) is a
 * config error (exit 3) naming the setting that holds it. Every call sends a message, so none is retried after it
 * went out; each waits at most `telegram.timeout_seconds` (20 s at most). The bot
 * itself uses grammY.
 */
import { z } from 'zod';
import { loadCredentials } from '../../core/credentials.js';
import { ApiError, AuthError, ConfigError } from '../../core/errors.js';
import { HttpClient, expectShape, parseJson, serverText, statusError, type HttpResponse } from '../../core/http/index.js';
import type { ClientFactory } from '../../core/operation.js';
import { credentialsFile } from '../../core/paths.js';
import { telegramConfig, type TelegramConfig } from './config.js';

const envelope = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

const sentMessage = z.object({ message_id: z.number() });

/** Calls Bot API methods with one bot token. */
export class TelegramApi {
  constructor(
    private readonly http: HttpClient,
    /** The validated `telegram:` section. */
    readonly config: TelegramConfig,
    private readonly credentialsPath: string,
  ) {}

  /** Calls `method` with JSON parameters and returns its `result`. */
  call(method: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    return callBotApi(this.http, method, params, { signal, credentialsPath: this.credentialsPath });
  }

  /** Sends plain text (no parse mode) to a chat; returns the message id. */
  async sendText(chatId: number, text: string, signal?: AbortSignal): Promise<number> {
    const result = await this.call('sendMessage', { chat_id: chatId, text, link_preview_options: { is_disabled: true } }, signal);
    return expectShape('telegram', 'sendMessage', sentMessage, result).message_id;
  }
}

/** Longest `retry_after` waited out, in seconds, and most attempts of one call. */
const RETRY_AFTER_MAX_S = 30;
const ATTEMPTS = 3;

/**
 * Calls one Bot API method over `http` (whose base URL carries the token) and returns its
 * `result`. A 429 with a `retry_after` of at most 30 s is waited out and the call made
 * again, three attempts in all (the call was not carried out, so nothing goes out twice);
 * a refused token is an `AuthError` naming `credentialsPath`, a chat Telegram does not know
 * (or the bot may not start) a `ConfigError` naming `chatSetting` (default
 * `telegram.owner_chat_id`), any other refusal an `ApiError`.
 */
export async function callBotApi(http: HttpClient, method: string, params: Record<string, unknown>, options: { signal?: AbortSignal; credentialsPath?: string; chatSetting?: string } = {}): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const res = await http.request({ method: 'POST', path: `/${method}`, json: params, signal: options.signal, idempotent: false });
    const body = expectShape('telegram', method, envelope, parseAnswer(res));
    if (body.ok) return body.result;
    const retryAfter = body.parameters?.retry_after;
    if (body.error_code === 429 && retryAfter !== undefined && retryAfter <= RETRY_AFTER_MAX_S && attempt < ATTEMPTS) {
      await waitOrAbort(retryAfter * 1000, options.signal);
      continue;
    }
    const description = serverText(body.description ?? `HTTP ${res.status}`);
    if (body.error_code === 401 || body.error_code === 404) {
      throw new AuthError('telegram', `bot token refused (${description})`, `check TELEGRAM_BOT_TOKEN${options.credentialsPath ? ` in ${options.credentialsPath}` : ''}`);
    }
    if ((body.error_code === 400 || body.error_code === 403) && UNREACHABLE_CHAT.test(description)) {
      const setting = options.chatSetting ?? 'telegram.owner_chat_id';
      throw new ConfigError(`telegram: cannot write to chat ${String(params.chat_id)}, set in ${setting} (${description})`, `set ${setting} to a chat that has started the bot (for the owner: your Telegram user id, after sending the bot /start)`);
    }
    throw new ApiError('telegram', body.error_code ?? res.status, description);
  }
}

/** Bot API refusals that mean the chat id is wrong, or the bot may not write there yet. */
const UNREACHABLE_CHAT = /chat not found|chat_id is empty|can't initiate conversation/i;

/** Waits `ms`, or until `signal` aborts (then rejects with its reason). */
function waitOrAbort(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = (): void => { clearTimeout(timer); reject(signal?.reason); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', stop); resolve(); }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/**
 * The JSON envelope of an answer. An error status whose body is not JSON (a reverse
 * proxy's HTML page in front of the API) is that status with a short excerpt.
 */
function parseAnswer(res: HttpResponse): unknown {
  if (res.status >= 400 && !/^\s*[{[]/.test(res.text)) throw statusError('telegram', res);
  return parseJson('telegram', res);
}

/** Longest wait for one Bot API answer (a bot command's time limit, `timeout_seconds`, may be shorter). */
const REQUEST_TIMEOUT_MS = 20_000;

/** Creates the Bot API client from `telegram:` in config and `telegram/credentials`. */
export const telegramClientFactory: ClientFactory<TelegramApi> = {
  service: 'telegram',
  create({ config, env, progress }) {
    const tg = telegramConfig(config);
    const creds = loadCredentials('telegram', ['TELEGRAM_BOT_TOKEN'], undefined, env);
    const http = new HttpClient({
      service: 'telegram', baseUrl: `${tg.api_root.replace(/\/+$/, '')}/bot${creds.TELEGRAM_BOT_TOKEN}`,
      timeoutMs: Math.min(REQUEST_TIMEOUT_MS, tg.timeout_seconds * 1000), progress,
    });
    return new TelegramApi(http, tg, credentialsFile('telegram', env));
  },
};
