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
}

/** A tap on an inline button. */
export interface IncomingCallback {
  id: string;
  chatId: number;
  user: ChatUser;
  data: string;
}

/** An inline button. */
export interface Button {
  text: string;
  data: string;
}

/** How the handlers answer. Text is Telegram HTML. */
export interface ChatTransport {
  /** Sends a message; returns its id. */
  send(chatId: number, html: string, buttons?: Button[][]): Promise<number>;
  /** Replaces a message's text (and removes its buttons unless given). */
  edit(chatId: number, messageId: number, html: string, buttons?: Button[][]): Promise<void>;
  /** Sends text as a file. */
  sendDocument(chatId: number, fileName: string, content: string, captionHtml?: string): Promise<void>;
  answerCallback(callbackId: string, text?: string): Promise<void>;
  /** Downloads a file users sent, refusing more than `maxBytes`; absent when the surface has no files. */
  download?(fileId: string, maxBytes: number): Promise<AsyncIterable<Uint8Array>>;
}
