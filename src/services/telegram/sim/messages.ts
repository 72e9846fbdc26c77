/**
 * @module services/telegram/sim/messages
 * The simulated Bot API's message methods (`sendMessage`, `editMessageText`,
 * `editMessageReplyMarkup`, `sendDocument`) with Telegram's checks: the chat must have
 * talked to the bot, HTML must parse, text at most 4096 characters (captions 1024)
 * after parsing, callback data 1–64 bytes, and an edit must change something. A message
 * sent with `message_thread_id` keeps it (its forum topic).
 */
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { parseTelegramHtml } from './html.js';
import type { InlineButton, SentMessage, SimFile, SimState } from './state.js';

type Body = Record<string, unknown>;

/** Answer of one method: a result, or a Bot API error. */
export type Answer = { result: unknown } | { error: number; description: string };

/** A 400 answer, worded as Telegram words them. */
export const bad = (description: string): Answer => ({ error: 400, description: `Bad Request: ${description}` });

/** A JSON-encoded field (multipart sends objects as JSON strings). */
export function parseJsonField(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function parseButtons(markup: unknown): InlineButton[][] | undefined | Answer {
  const parsed = parseJsonField(markup) as { inline_keyboard?: { text?: string; callback_data?: string }[][] } | undefined;
  if (!parsed?.inline_keyboard) return undefined;
  const rows: InlineButton[][] = [];
  for (const row of parsed.inline_keyboard) {
    const out: InlineButton[] = [];
    for (const b of row) {
      const data = b.callback_data ?? '';
      if (!b.text || Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64) return bad('BUTTON_DATA_INVALID');
      out.push({ text: b.text, data });
    }
    rows.push(out);
  }
  return rows;
}

/** Checks text against the parse mode and the length limit; returns the visible text. */
function checkText(text: unknown, parseMode: unknown, limit: number, what: string): string | Answer {
  if (typeof text !== 'string' || text.trim() === '') return bad(`${what} text is empty`);
  let plain = text;
  if (parseMode === 'HTML') {
    const parsed = parseTelegramHtml(text);
    if (!parsed.ok) return { error: 400, description: parsed.error };
    plain = parsed.text;
  }
  if (plain.trim() === '') return bad(`${what} text is empty`);
  if (plain.length > limit) return bad(`${what} is too long`);
  return plain;
}

/** The forum topic a message is sent to (`message_thread_id`, a form field or a JSON number). */
function threadOf(body: Body): { threadId?: number } {
  const id = Number(body.message_thread_id);
  return body.message_thread_id !== undefined && Number.isInteger(id) ? { threadId: id } : {};
}

function chatOf(state: SimState, body: Body): number | Answer {
  const chatId = Number(body.chat_id);
  if (!Number.isFinite(chatId)) return bad('chat_id is empty');
  if (!state.knownChats.has(chatId)) return bad('chat not found');
  return chatId;
}

/** `sendMessage`. */
export function sendMessage(state: SimState, emulator: TelegramServer, body: Body): Answer {
  const chatId = chatOf(state, body);
  if (typeof chatId !== 'number') return chatId;
  const plain = checkText(body.text, body.parse_mode, 4096, 'message');
  if (typeof plain !== 'string') return plain;
  const buttons = parseButtons(body.reply_markup);
  if (buttons && !Array.isArray(buttons)) return buttons;
  const stored = emulator.addBotMessage({ ...body, chat_id: chatId }, state.token) as { message_id: number };
  const msg: SentMessage = { chatId, messageId: stored.message_id, text: body.text as string, plain, parseMode: body.parse_mode as string | undefined, buttons, edits: [], deleted: false, ...threadOf(body) };
  state.messages.push(msg);
  return { result: messageResult(state, msg) };
}

/** The bot's message named by `chat_id` and `message_id`. */
export function findMessage(state: SimState, body: Body): SentMessage | undefined {
  return state.messages.find((m) => m.chatId === Number(body.chat_id) && m.messageId === Number(body.message_id));
}

/** `editMessageText` (`withText`) and `editMessageReplyMarkup`. */
export function editMessage(state: SimState, body: Body, withText: boolean): Answer {
  const msg = findMessage(state, body);
  if (!msg || msg.deleted) return bad('message to edit not found');
  const buttons = parseButtons(body.reply_markup);
  if (buttons && !Array.isArray(buttons)) return buttons;
  let plain = msg.plain;
  if (withText) {
    const checked = checkText(body.text, body.parse_mode, 4096, 'message');
    if (typeof checked !== 'string') return checked;
    plain = checked;
  }
  const newText = withText ? (body.text as string) : msg.text;
  if (newText === msg.text && JSON.stringify(buttons ?? null) === JSON.stringify(msg.buttons ?? null)) {
    return bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  }
  msg.edits.push({ text: msg.text, plain: msg.plain, buttons: msg.buttons });
  msg.text = newText;
  msg.plain = plain;
  if (withText) msg.parseMode = body.parse_mode as string | undefined;
  msg.buttons = buttons;
  return { result: messageResult(state, msg) };
}

/** `sendDocument`: an uploaded file (multipart) or a known file id. */
export function sendDocument(state: SimState, emulator: TelegramServer, body: Body): Answer {
  const chatId = chatOf(state, body);
  if (typeof chatId !== 'number') return chatId;
  let doc = body.document;
  if (typeof doc === 'string' && doc.startsWith('attach://')) doc = body[doc.slice('attach://'.length)];
  let content: Buffer;
  let fileName: string;
  if (isUpload(doc)) {
    content = doc.content;
    fileName = doc.filename || 'document';
  } else if (typeof doc === 'string' && state.files.has(doc)) {
    const known = state.files.get(doc) as SimFile;
    content = known.content;
    fileName = known.path.split('/').pop() ?? 'document';
  } else {
    return bad('wrong file identifier/HTTP URL specified');
  }
  if (content.length > 50 * 1024 * 1024) return { error: 413, description: 'Request Entity Too Large' };
  let caption: string | undefined;
  if (body.caption !== undefined && body.caption !== '') {
    const checked = checkText(body.caption, body.parse_mode, 1024, 'caption');
    if (typeof checked !== 'string') return checked;
    caption = checked;
  }
  const stored = emulator.addBotMessage({ chat_id: chatId, caption, document: { file_name: fileName } }, state.token) as { message_id: number };
  const msg: SentMessage = { chatId, messageId: stored.message_id, text: undefined, plain: caption ?? '', parseMode: body.parse_mode as string | undefined, edits: [], deleted: false, document: { fileName, content, caption }, ...threadOf(body) };
  state.messages.push(msg);
  return { result: messageResult(state, msg) };
}

function isUpload(value: unknown): value is { filename: string; content: Buffer } {
  return typeof value === 'object' && value !== null && Buffer.isBuffer((value as { content?: unknown }).content);
}

function messageResult(state: SimState, msg: SentMessage): unknown {
  return {
    message_id: msg.messageId,
    date: Math.floor(Date.now() / 1000),
    from: state.me,
    chat: { id: msg.chatId, type: msg.chatId < 0 ? 'group' : 'private' },
    ...(msg.text !== undefined ? { text: msg.plain } : {}),
    ...(msg.document ? { document: { file_id: `doc-${msg.messageId}`, file_unique_id: `udoc-${msg.messageId}`, file_name: msg.document.fileName, file_size: msg.document.content.length }, caption: msg.document.caption } : {}),
    ...(msg.buttons ? { reply_markup: { inline_keyboard: msg.buttons.map((r) => r.map((b) => ({ text: b.text, callback_data: b.data }))) } } : {}),
  };
}
