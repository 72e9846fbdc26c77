/**
 * @module services/telegram/sim/state
 * What the simulated Bot API remembers: the bot's messages (with their edits), the
 * files users sent (for `getFile` and downloads), answered callback queries, the
 * command menu, the webhook, the long poll waiting, every method call (for tests to
 * inspect) and the injected faults.
 */
import type { EventEmitter } from 'node:events';
import type { TelegramFaults } from './faults.js';

/** An inline keyboard button. */
export interface InlineButton {
  text: string;
  data: string;
}

/** A message the bot sent, in its current state. */
export interface SentMessage {
  chatId: number;
  messageId: number;
  /** The text as sent (HTML when `parseMode` is `HTML`); undefined for documents. */
  text: string | undefined;
  /** The visible text after entity parsing (the caption for documents). */
  plain: string;
  parseMode?: string;
  buttons?: InlineButton[][];
  /** Earlier versions, oldest first. */
  edits: { text: string | undefined; plain: string; buttons?: InlineButton[][] }[];
  deleted: boolean;
  document?: { fileName: string; content: Buffer; caption?: string };
  /** The forum topic it was sent to (`message_thread_id`); undefined: the chat itself (a forum's General topic). */
  threadId?: number;
}

/** A file users can send and the bot can download. */
export interface SimFile {
  fileId: string;
  uniqueId: string;
  /** `photos/file_1.jpg`, `documents/file_2.pdf`. */
  path: string;
  content: Buffer;
  /** Size reported to the bot (defaults to the content length). */
  size: number;
}

/** The simulator's memory. */
export interface SimState {
  token: string;
  me: { id: number; is_bot: true; first_name: string; username: string };
  messages: SentMessage[];
  files: Map<string, SimFile>;
  knownChats: Set<number>;
  callbackAnswers: { id: string; text?: string; showAlert: boolean }[];
  commands?: { command: string; description: string }[];
  /** Every method call, with when it came in (ms since the epoch). */
  calls: { method: string; body: Record<string, unknown>; at: number }[];
  events: EventEmitter;
  closing: boolean;
  /** The webhook set on the token (`setWebhook`): `getUpdates` is refused while there is one. */
  webhookUrl: string;
  /** Ends the long poll waiting now with Telegram's 409 (another `getUpdates` came in). */
  endPoll?: () => void;
  /** Injected faults (see `faults.ts`). */
  faults: TelegramFaults;
}
