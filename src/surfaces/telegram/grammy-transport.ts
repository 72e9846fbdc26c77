/**
 * @module surfaces/telegram/grammy-transport
 * The chat transport over grammY's `Api`: HTML messages with inline buttons, edits
 * (an unchanged edit is not an error), documents, callback answers and file downloads
 * from `<api_root>/file/bot<token>/<path>` with a size limit; a reply to a message in a forum
 * topic goes to that topic (`message_thread_id`). Also the API transformers: one waits out
 * 429s (25 s in all at most, never past the bot's stop) and logs every failed call (without
 * the token; an edit that changes nothing only at debug level), the other retries a failed
 * or hung long poll (network down, a 5xx, no answer 10 s after its timeout) after 0.1 s,
 * doubling up to a cap, so the bot is back within seconds of the network.
 */
import type { Api, InputFile as InputFileClass, Transformer } from 'grammy';
import { OperationError } from '../../core/errors.js';
import { formatLimit } from '../../services/telegram/media.js';
import type { Logger } from './log.js';
import type { Button, ChatTransport } from './types.js';

/** The signal grammY passes a transformer (typed as its polyfill's; Node's own at run time). */
type CallSignal = Parameters<Transformer>[3];
/** grammY's signal as Node's, and back. */
const native = (signal: CallSignal): AbortSignal | undefined => signal as unknown as AbortSignal | undefined;
const forCall = (signal: AbortSignal | undefined): CallSignal => signal as unknown as CallSignal;

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

/** Tries of one call at most (so at most two waits of a 429's `retry_after`). */
const MAX_TRIES = 3;
/**
 * The longest one call waits out 429s in all, in seconds: under the unit's TimeoutStopSec
 * (30 s), so a wait never holds a stopping bot up until systemd kills it.
 */
export const MAX_RATE_LIMIT_WAIT_S = 25;

/**
 * Retries 429 answers after `retry_after` while the waits of the call add up to at most
 * `MAX_RATE_LIMIT_WAIT_S` (3 tries at most), and logs failed calls. Every call, and every
 * wait, ends at once when `stopping` aborts (the bot stopped): a wait then answers the 429.
 */
export function apiTransformer(logger: Logger, stopping?: AbortSignal): Transformer {
  return async (prev, method, payload, signal) => {
    const stop = either(native(signal), stopping);
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      let res;
      try {
        res = await prev(method, payload, forCall(stop));
      } catch (err) {
        if (!stop?.aborted) logger.warn('telegram call failed', { method, error: err });
        throw err;
      }
      if (res.ok) return res;
      const retryAfter = res.parameters?.retry_after;
      if (res.error_code === 429 && retryAfter !== undefined && attempt < MAX_TRIES && waited + retryAfter <= MAX_RATE_LIMIT_WAIT_S) {
        logger.warn('telegram rate limit', { method, retryAfter });
        waited += retryAfter;
        if (await sleep(retryAfter * 1000, stop)) return res;
        continue;
      }
      // An edit that changes nothing is no failure (the transport takes it as done): not a warning.
      const unchanged = res.error_code === 400 && /message is not modified/.test(res.description);
      logger[unchanged ? 'debug' : 'warn']('telegram call refused', { method, code: res.error_code, description: res.description });
      return res;
    }
  };
}

/**
 * Retries a `getUpdates` that failed (no answer, a 5xx) after 100 ms, doubling up to `maxMs`,
 * until it gets an answer or the runner stops it; says when polling works again. (The runner's
 * own backoff doubles without a cap: after an outage the bot stayed away about as long again.)
 * A poll that hangs (a connection the network dropped silently) is given up `graceMs` after
 * its long-poll timeout and retried the same way.
 */
export function pollRetry(logger: Logger, maxMs = 10_000, graceMs = 10_000): Transformer {
  return async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    const limitMs = Number((payload as { timeout?: number }).timeout ?? 0) * 1000 + graceMs;
    let failures = 0;
    for (let delay = 100; ; delay = Math.min(delay * 2, maxMs)) {
      let failure: unknown;
      const limit = AbortSignal.timeout(limitMs);
      try {
        const res = await prev(method, payload, forCall(either(native(signal), limit)));
        if (res.ok || res.error_code < 500) {
          if (failures) logger.info('polling again', { failures });
          return res;
        }
        failure = new Error(`${res.error_code} ${res.description}`);
      } catch (err) {
        if (signal?.aborted) throw err;
        if (limit.aborted) logger.warn('poll timed out', { afterMs: limitMs });
        failure = err;
      }
      failures++;
      logger.debug('poll failed', { retryInMs: delay, failures });
      const stopped = await sleep(delay, native(signal));
      if (stopped) throw failure;
    }
  };
}

/** A signal that aborts when either given one does. */
function either(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

/** Waits `ms`; true when `signal` aborted first. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
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
