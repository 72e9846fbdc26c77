/**
 * @module surfaces/telegram/types
 * What the bot's handlers see and use, independent of grammY: incoming messages and
 * button taps, and a transport to answer through. grammY (`bot.ts`) and the terminal
 * loop (`console.ts`) each implement the transport, so both run the same handlers.
 */

/** The sender of a message. */
export interface ChatUser {
  id: number;
  /** First and last name. */
  name: string;
  username?: string;
}

/** The kind of chat a message came from. */
export type ChatKind = 'private' | 'group' | 'supergroup' | 'channel';

/** A message to the bot. */
export interface IncomingMessage {
  chatId: number;
  chatType: ChatKind;
  user: ChatUser;
  text?: string;
  caption?: string;
  photo?: { fileId: string; size?: number };
  document?: { fileId: string; name?: string; size?: number };
  /** Set for kinds the bot does not keep (voice, sticker, …). */
  other?: string;
  /** A service message (pinned message, member joined, write access allowed, …): ignored. */
  service?: boolean;
  /**
   * Sent on behalf of a chat (an anonymous group admin, a channel, Telegram's service
   * account): `user` is then a placeholder Telegram shares between every such sender, never
   * a person, so the message is refused whoever is allowed.
   */
  sentAsChat?: { id?: number; title?: string };
  /** Who wrote it first, when it was forwarded (`Mallory @mallory`, a channel's title): its commands are not run. */
  forwardedFrom?: string;
  /** The forum topic it was sent in: replies go there (`message_thread_id`). */
  threadId?: number;
}

/** A tap on an inline button. */
export interface IncomingCallback {
  id: string;
  chatId: number;
  user: ChatUser;
  data: string;
  /** The message carrying the button tapped. */
  messageId?: number;
}

/** An inline button. */
export interface Button {
  text: string;
  data: string;
}

/** How the handlers answer. Text is Telegram HTML. */
export interface ChatTransport {
  /** Sends a message (into forum topic `threadId` when given); returns its id. */
  send(chatId: number, html: string, buttons?: Button[][], threadId?: number): Promise<number>;
  /** Replaces a message's text (and removes its buttons unless given). */
  edit(chatId: number, messageId: number, html: string, buttons?: Button[][]): Promise<void>;
  /** Removes a message's buttons, leaving its text. */
  removeButtons?(chatId: number, messageId: number): Promise<void>;
  /** Sends text as a file (into forum topic `threadId` when given). */
  sendDocument(chatId: number, fileName: string, content: string, captionHtml?: string, threadId?: number): Promise<void>;
  answerCallback(callbackId: string, text?: string): Promise<void>;
  /** Downloads a file users sent, refusing more than `maxBytes`; absent when the surface has no files. */
  download?(fileId: string, maxBytes: number): Promise<AsyncIterable<Uint8Array>>;
}
