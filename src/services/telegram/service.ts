/**
 * @module services/telegram/service
 * The `telegram` helper: send to the owner chat, read or clear the inbox, manage the
 * allowlist. The bot itself is `homelab bot` (surfaces/telegram).
 */
import type { ServiceModule } from '../../core/operation.js';
import { telegramInbox, telegramInboxClear } from './operations-inbox.js';
import { telegramSend } from './operations-send.js';
import { telegramAllow, telegramDeny, telegramUsers } from './operations-users.js';

/** The telegram service module. */
export const telegramService: ServiceModule = {
  name: 'telegram',
  summary: 'Telegram helper: send to the owner, read the inbox, manage who may use the bot',
  operations: [telegramSend, telegramInbox, telegramInboxClear, telegramUsers, telegramAllow, telegramDeny],
};
