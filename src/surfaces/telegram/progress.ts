/**
 * @module surfaces/telegram/progress
 * Progress of a long command as one message that is edited in place. The first note
 * sends the message; later notes edit it at most once per `intervalMs` (the latest
 * note wins; identical text is never re-sent, which Telegram would refuse), so a
 * chatty operation cannot flood the chat or hit rate limits. The message stays within
 * Telegram's 4096 characters: a long log (a plan's steps) keeps its title and its latest
 * lines (text-cap).
 */
import { escapeHtml } from './html.js';
import { capTail, clip, MARGIN, MESSAGE_LIMIT, visibleLength } from './text-cap.js';
import type { ChatTransport } from './types.js';

/** One progress message in one chat. */
export class ProgressMessage {
  private messageId: Promise<number | undefined> | undefined;
  private shown: string | undefined;
  private pending: string | undefined;
  private lastAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private log: string | undefined;
  private readonly head: string;

  constructor(
    private readonly transport: ChatTransport,
    private readonly chatId: number,
    private readonly onError: (err: unknown) => void,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 2000,
    /** The message to edit (a confirmation) and the HTML line kept on top of it. */
    existing?: { messageId: number; head: string },
    /** The forum topic the command came from (its new message goes there). */
    private readonly threadId?: number,
  ) {
    this.head = existing ? `${existing.head}\n` : '';
    if (existing) this.messageId = Promise.resolve(existing.messageId);
  }

  /** Reports a note (ignored after `finish`). */
  note(text: string): void {
    if (this.finished) return;
    this.log = text.includes('\n') ? text : undefined;
    const html = `${this.head}⏳ ${escapeHtml(capTail(text.split('\n'), MESSAGE_LIMIT - visibleLength(this.head) - 2 - MARGIN).join('\n'))}`;
    if (!this.messageId) {
      this.shown = html;
      this.lastAt = this.now();
      this.messageId = this.transport.send(this.chatId, html, undefined, this.threadId).catch((err: unknown) => {
        this.onError(err);
        return undefined;
      });
      return;
    }
    this.pending = html;
    const wait = this.lastAt + this.intervalMs - this.now();
    if (wait <= 0) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), wait);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const html = this.pending;
    this.pending = undefined;
    if (html === undefined || html === this.shown || this.finished) return;
    await this.editTo(html);
  }

  private async editTo(html: string, final = false): Promise<void> {
    const id = await this.messageId;
    if (id === undefined || html === this.shown || (this.finished && !final)) return;
    this.shown = html;
    this.lastAt = this.now();
    await this.transport.edit(this.chatId, id, html).catch((err: unknown) => this.onError(err));
  }

  /** Ends the progress: the message (if any) says how it ended. */
  async finish(summary: string): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const end = clip(summary, 1000);
    const log = this.log ? capTail(this.log.split('\n'), MESSAGE_LIMIT - visibleLength(this.head) - end.length - 1 - MARGIN).join('\n') : undefined;
    if (this.messageId) await this.editTo(`${this.head}${log ? `${escapeHtml(log)}\n` : ''}${escapeHtml(end)}`, true);
  }
}
