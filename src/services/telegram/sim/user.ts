/**
 * @module services/telegram/sim/user
 * A simulated Telegram user (or a user in a group chat) talking to the bot through the
 * emulator's client API: text, commands, photos, documents and button taps.
 */
import type { TelegramClient } from 'telegram-test-api/lib/modules/telegramClient.js';
import type { SentMessage, SimFile } from './state.js';

/** What a user needs from the simulator. */
export interface UserHost {
  addFile(content: Buffer, path: string, size?: number): SimFile;
  messagesIn(chatId: number): SentMessage[];
  waitFor<T>(find: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  knownChats: Set<number>;
}

/** Options of a simulated user. */
export interface SimUserOptions {
  userId: number;
  /** Defaults to the user id (a private chat). */
  chatId?: number;
  firstName?: string;
  userName?: string;
  type?: 'private' | 'group' | 'supergroup';
  /** A forum topic of the group: every message is sent in it (`message_thread_id`, `is_topic_message`). */
  threadId?: number;
}

/** One user in one chat. */
export class SimUser {
  readonly id: number;
  readonly chatId: number;
  private readonly topic: Record<string, unknown>;

  constructor(
    private readonly host: UserHost,
    private readonly client: TelegramClient,
    options: SimUserOptions,
  ) {
    this.id = options.userId;
    this.chatId = options.chatId ?? options.userId;
    this.topic = options.threadId === undefined ? {} : { message_thread_id: options.threadId, is_topic_message: true };
    host.knownChats.add(this.chatId);
  }

  /**
   * Sends text; text starting with `/` is sent as a command (with its entity). `fields` are
   * added to the message (`forward_origin`, `sender_chat`, …).
   */
  async send(text: string, fields: Record<string, unknown> = {}): Promise<void> {
    const extra = { ...this.topic, ...fields } as never;
    if (text.startsWith('/')) await this.client.sendCommand(this.client.makeCommand(text, extra));
    else await this.client.sendMessage(this.client.makeMessage(text, extra));
  }

  /** Sends a photo (its largest size carries `content`). */
  async sendPhoto(content: Buffer, options: { caption?: string; declaredSize?: number } = {}): Promise<SimFile> {
    const file = this.host.addFile(content, `photos/file_${Math.random().toString(36).slice(2, 8)}.jpg`, options.declaredSize);
    const thumb = this.host.addFile(content.subarray(0, 16), `photos/thumb_${file.uniqueId}.jpg`);
    const photo = [
      { file_id: thumb.fileId, file_unique_id: thumb.uniqueId, width: 90, height: 90, file_size: thumb.size },
      { file_id: file.fileId, file_unique_id: file.uniqueId, width: 1280, height: 960, file_size: file.size },
    ];
    await this.sendRaw({ photo, ...(options.caption ? { caption: options.caption } : {}) });
    return file;
  }

  /** Sends a document under `fileName` (any name: tests send hostile ones). */
  async sendDocument(content: Buffer, fileName: string, options: { caption?: string; declaredSize?: number; mimeType?: string } = {}): Promise<SimFile> {
    const file = this.host.addFile(content, `documents/file_${Math.random().toString(36).slice(2, 8)}`, options.declaredSize);
    const document = { file_id: file.fileId, file_unique_id: file.uniqueId, file_name: fileName, mime_type: options.mimeType ?? 'application/octet-stream', file_size: file.size };
    await this.sendRaw({ document, ...(options.caption ? { caption: options.caption } : {}) });
    return file;
  }

  /** Sends a message without text carrying `fields` (a voice note, a sticker…). */
  async sendRaw(fields: Record<string, unknown>): Promise<void> {
    const message = this.client.makeMessage('', { ...this.topic, ...fields }) as Record<string, unknown>;
    delete message.text;
    await this.client.sendMessage(message);
  }

  /** Taps an inline button of `message` (by its label or callback data). */
  async tap(message: SentMessage, button: string): Promise<void> {
    const found = message.buttons?.flat().find((b) => b.text === button || b.data === button);
    if (!found) throw new Error(`message ${message.messageId} has no button ${button}`);
    const query = this.client.makeCallbackQuery(found.data, { message: { message_id: message.messageId } });
    await this.client.sendCallback(query);
  }

  /** The bot's messages in this user's chat, in order. */
  messages(): SentMessage[] {
    return this.host.messagesIn(this.chatId);
  }

  /** Waits for a bot message in this chat, sent after the first `after` messages, that matches. */
  waitForMessage(match: (m: SentMessage) => boolean, what: string, after = 0, timeoutMs?: number): Promise<SentMessage> {
    return this.host.waitFor(() => this.messages().slice(after).find(match), `${what} in chat ${this.chatId}`, timeoutMs);
  }
}
