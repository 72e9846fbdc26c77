/** @module services/telegram — the Telegram helper: send, inbox, allowlist, media store. */
export { telegramService } from './service.js';
export { telegramConfig, telegramConfigSchema, commandTimeoutMs, type TelegramConfig } from './config.js';
export { TelegramApi, telegramClientFactory } from './client.js';
export { appendInbox, readInbox, takeInbox, parseInbox, formatEntry, inboxPath, type InboxEntry } from './inbox.js';
export { saveMedia, sanitiseFileName, type SavedMedia } from './media.js';
export { isAllowed, readAuthorizedUsers, allowUser, denyUser, authorizedUsersFile } from './allowlist.js';
export { splitText, TELEGRAM_TEXT_LIMIT } from './split.js';
