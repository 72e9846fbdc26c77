/**
 * @module surfaces/telegram/reply
 * Sends a command's output so that nothing is cut off: up to four messages of at most
 * 4096 visible characters each, split at line boundaries, each a monospace block; a
 * longer output goes as one `.txt` document instead, with a short caption. Both go to
 * the forum topic `threadId` when given.
 */
import { splitText, TELEGRAM_TEXT_LIMIT } from '../../services/telegram/split.js';
import { bold, escapeHtml, pre } from './html.js';
import { shownCommand } from './text-cap.js';
import type { ChatTransport } from './types.js';

/** Above this many messages, the output is sent as a document. */
export const MAX_INLINE_MESSAGES = 4;

/** How a long output was delivered. */
export type Delivery = { kind: 'messages'; count: number } | { kind: 'document'; fileName: string };

/** Sends `text` as monospace messages, or as a document when it needs more than four. */
export async function sendOutput(transport: ChatTransport, chatId: number, text: string, options: { title: string; fileStem: string; now?: Date; threadId?: number }): Promise<Delivery> {
  const body = text.trim() === '' ? '(no output)' : text;
  const chunks = splitText(body, TELEGRAM_TEXT_LIMIT);
  if (chunks.length <= MAX_INLINE_MESSAGES) {
    for (const chunk of chunks) await transport.send(chatId, pre(chunk), undefined, options.threadId);
    return { kind: 'messages', count: chunks.length };
  }
  const stamp = (options.now ?? new Date()).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const fileName = `${options.fileStem.replace(/[^A-Za-z0-9_-]+/g, '-')}-${stamp}.txt`;
  const lines = body.split('\n').length;
  // A caption may have 1024 characters: the title (a command as typed) is clipped.
  await transport.sendDocument(chatId, fileName, body, `${bold(shownCommand(options.title))}: ${escapeHtml(`${body.length} characters, ${lines} lines`)}, sent as a file`, options.threadId);
  return { kind: 'document', fileName };
}

/**
 * Sends HTML whose every line is self-contained (tags closed on the line), split at
 * line boundaries when it is long (help texts).
 */
export async function sendHtmlLines(transport: ChatTransport, chatId: number, html: string, threadId?: number): Promise<void> {
  for (const chunk of splitText(html, TELEGRAM_TEXT_LIMIT)) await transport.send(chatId, chunk, undefined, threadId);
}
