/**
 * @module surfaces/telegram/media-handler
 * Photos and documents from allowlisted users: the declared size is checked before
 * anything is downloaded, the download is cut off at the limit, the file is saved under
 * a timestamped sanitised name (never overwriting), and an inbox line points at it
 * (saying who wrote it first when it was forwarded). Replies go to the message's topic.
 */
import { formatBytes } from '../../core/format.js';
import { appendInbox } from '../../services/telegram/inbox.js';
import { formatLimit, saveMedia } from '../../services/telegram/media.js';
import type { TelegramConfig } from '../../services/telegram/config.js';
import { errorHtml } from './errors.js';
import { code, escapeHtml } from './html.js';
import type { Logger } from './log.js';
import type { ChatTransport, IncomingMessage } from './types.js';

/** What saving media needs. */
export interface MediaDeps {
  tg: TelegramConfig;
  dataDir: string;
  /** The home context's state (media and the inbox go there); `dataDir` when absent. */
  inboxDir?: string;
  transport: ChatTransport;
  logger: Logger;
  now: () => number;
}

/** Saves the photo or document of `msg` and acknowledges it. */
export async function saveIncomingMedia(deps: MediaDeps, msg: IncomingMessage): Promise<void> {
  const file = msg.photo ?? msg.document;
  if (!file) return;
  const kind = msg.photo ? 'images' : 'files';
  const maxBytes = deps.tg.max_file_mb * 1_000_000;
  const reply = (html: string): Promise<unknown> => deps.transport.send(msg.chatId, html, undefined, msg.threadId).catch((err: unknown) => deps.logger.warn('reply failed', { error: err }));
  if (!deps.transport.download) {
    await reply('Files cannot be received here.');
    return;
  }
  if (file.size !== undefined && file.size > maxBytes) {
    deps.logger.warn('file refused: too large', { user: msg.user.id, bytes: file.size, maxBytes });
    await reply(`⚠️ Not saved: the file is ${escapeHtml(formatLimit(file.size))}; the limit is ${escapeHtml(formatLimit(maxBytes))} (telegram.max_file_mb).`);
    return;
  }
  try {
    const data = await deps.transport.download(file.fileId, maxBytes);
    const name = msg.document ? msg.document.name : 'photo.jpg';
    const dir = deps.inboxDir ?? deps.dataDir;
    const saved = await saveMedia(dir, kind, name, data, { maxBytes, now: new Date(deps.now()) });
    const forwarded = msg.forwardedFrom === undefined ? {} : { forwardedFrom: msg.forwardedFrom };
    await appendInbox(dir, { time: new Date(deps.now()).toISOString(), user: msg.user, text: msg.caption ?? '', file: saved.path, kind: msg.photo ? 'photo' : 'file', ...forwarded });
    deps.logger.info('media saved', { user: msg.user.id, path: saved.path, bytes: saved.bytes });
    await reply(`📎 Saved ${code(saved.path)} (${escapeHtml(formatBytes(saved.bytes))}) and noted it in the inbox.`);
  } catch (err) {
    deps.logger.warn('media not saved', { user: msg.user.id, error: err });
    await reply(`Not saved.\n${errorHtml(err, { reserve: 11 })}`);
  }
}
