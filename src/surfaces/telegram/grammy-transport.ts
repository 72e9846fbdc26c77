/**
 * @module surfaces/telegram/grammy-transport
 * The chat transport over grammY's `Api`: HTML messages with inline buttons, edits
 * (an unchanged edit is not an error), documents, callback answers and file downloads
 * from `<api_root>/file/bot<token>/<path>` with a size limit; a reply to a message in a forum
 * topic goes to that topic (`message_thread_id`). Also the API transformers: one waits out
 * 429s and logs every failed call (without the token), the other retries a failed long poll
 * (network down, a 5xx) after 0.1 s, doubling up to a cap, so the bot is back within
 * seconds of the network.
 */
import type { Api, InputFile as InputFileClass, Transformer } from 'grammy';
import { OperationError } from '../../core/errors.js';
import { formatLimit } from '../../services/telegram/media.js';
import type { Logger } from './log.js';
import type { Button, ChatTransport } from './types.js';

const thread = (threadId?: number) => (threadId === undefined ? {} : { message_thread_id: threadId });
const markup = (buttons?: Button[][]) => (buttons ? { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) } : undefined);

/** A transport sending through grammY. */
export function grammyTransport(api: Api, InputFile: typeof InputFileClass, fileRoot: string): ChatTransport {
  return {
    async send(chatId, html, buttons, threadId) {
      const m = await api.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: markup(buttons), ...thread(threadId) });
      return m.message_id;
    },
    async edit(chatId, messageId, html, buttons) {
      try {
        await api.editMessageText(chatId, messageId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: markup(buttons) });
      } catch (err) {
        if (!/message is not modified/.test((err as Error).message)) throw err;
      }
    },
    async removeButtons(chatId, messageId) {
      try {
        // Without a markup, Telegram removes the inline keyboard.
        await api.editMessageReplyMarkup(chatId, messageId);
      } catch (err) {
        if (!/message is not modified/.test((err as Error).message)) throw err;
      }
    },
    async sendDocument(chatId, fileName, content, captionHtml, threadId) {
      await api.sendDocument(chatId, new InputFile(Buffer.from(content, 'utf8'), fileName), { ...(captionHtml ? { caption: captionHtml, parse_mode: 'HTML' } : {}), ...thread(threadId) });
    },
    async answerCallback(callbackId, text) {
      await api.answerCallbackQuery(callbackId, text ? { text } : {});
    },
    async download(fileId, maxBytes) {
      const file = await api.getFile(fileId);
      if (file.file_size !== undefined && file.file_size > maxBytes) throw new OperationError(`file is larger than the limit of ${formatLimit(maxBytes)}`);
      if (!file.file_path) throw new OperationError('Telegram gave no download path for the file');
      const res = await fetch(`${fileRoot}/${file.file_path.split('/').map(encodeURIComponent).join('/')}`, { signal: AbortSignal.timeout(120_000) });
      if (!res.ok || !res.body) throw new OperationError(`file download failed: HTTP ${res.status}`);
      const length = Number(res.headers.get('content-length') ?? NaN);
      if (Number.isFinite(length) && length > maxBytes) {
        await res.body.cancel();
        throw new OperationError(`file is larger than the limit of ${formatLimit(maxBytes)}`);
      }
      return res.body;
    },
  };
}

/**
 * Retries 429 answers after `retry_after` (up to 30 s: 3 tries; up to 60 s: once more) and
 * logs failed calls.
 */
export function apiTransformer(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      let res;
      try {
        res = await prev(method, payload, signal);
      } catch (err) {
        if (!signal?.aborted) logger.warn('telegram call failed', { method, error: err });
        throw err;
      }
      if (res.ok) return res;
      const retryAfter = res.parameters?.retry_after;
      if (res.error_code === 429 && retryAfter !== undefined && retryAfter <= 60 && attempt < (retryAfter <= 30 ? 3 : 2)) {
        logger.warn('telegram rate limit', { method, retryAfter });
        await new Promise((r) => setTimeout(r, retryAfter * 1000));
        continue;
      }
      logger.warn('telegram call refused', { method, code: res.error_code, description: res.description });
      return res;
    }
  };
}

/**
 * Retries a `getUpdates` that failed (no answer, a 5xx) after 100 ms, doubling up to `maxMs`,
 * until it gets an answer or the runner stops it; says when polling works again. (The runner's
 * own backoff doubles without a cap: after an outage the bot stayed away about as long again.)
 */
export function pollRetry(logger: Logger, maxMs = 10_000): Transformer {
  return async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    let failures = 0;
    for (let delay = 100; ; delay = Math.min(delay * 2, maxMs)) {
      let failure: unknown;
      try {
        const res = await prev(method, payload, signal);
        if (res.ok || res.error_code < 500) {
          if (failures) logger.info('polling again', { failures });
          return res;
        }
        failure = new Error(`${res.error_code} ${res.description}`);
      } catch (err) {
        if (signal?.aborted) throw err;
        failure = err;
      }
      failures++;
      logger.debug('poll failed', { retryInMs: delay, failures });
      const stopped = await sleep(delay, signal);
      if (stopped) throw failure;
    }
  };
}

/** Waits `ms`; true when `signal` aborted first. */
function sleep(ms: number, signal?: Parameters<Transformer>[3]): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
