/**
 * @module surfaces/telegram/confirm-flow
 * The Confirm/Cancel exchange for `change` and `danger` commands: a message saying what
 * will happen with two buttons; a tap by the requester within a minute runs it (once),
 * Cancel drops it, anyone else's tap is refused, and an expired message loses its
 * buttons and says nothing was done. What will happen is the operation's live preview
 * (the guest's name and node, a plan's steps), read before the message is sent; a
 * preview that fails is the reply instead, and nothing is asked. A confirmed command's
 * progress (a plan's steps, one by one) and its end are edited into the same message.
 * The question is one message within Telegram's 4096 characters: a long plan shows its
 * first steps and `… and N more` (text-cap); the command it echoes, there and in every
 * edit (Cancelled, Confirmed and the progress under it, Expired), is clipped to 300
 * characters (`shownCommand`); it and the preview are redacted (a stored secret typed as a
 * value shows as `***`). A plan that changes nothing (a re-run) is not asked: its plan
 * is shown without buttons and it runs at once, as on the CLI. When the bot stops, every
 * question still pending is edited to expired (its buttons removed; a few seconds at most),
 * and a tap on a button the bot does not know (it restarted meanwhile) removes its buttons;
 * a second tap on a used button does nothing (its tap is answered without a word).
 */
import { redact } from '../../core/redact.js';
import { bold, code, escapeHtml, pre } from './html.js';
import type { Logger } from './log.js';
import { CANCEL, CONFIRM, Confirmations, type Pending } from './confirmations.js';
import type { Executor, RunRequest } from './execute.js';
import { capHead, clip, MARGIN, MESSAGE_LIMIT, shownCommand, visibleLength } from './text-cap.js';
import type { ChatTransport, IncomingCallback } from './types.js';
import { waitAtMost } from './wait-at-most.js';

/** What the flow needs. */
export interface ConfirmDeps {
  transport: ChatTransport;
  logger: Logger;
  now: () => number;
}

/** Answers shown on a tap (Telegram shows them as a small notice). */
export const TAP_ANSWERS = {
  running: 'Confirmed: running…',
  cancelled: 'Cancelled; nothing was done.',
  expired: 'This confirmation has expired; nothing was done. Send the command again.',
  invalid: 'This button is no longer valid (already used, or the bot restarted).',
  notYours: (name: string) => `Only ${name} can answer this.`,
} as const;

/** Detail lines of a preview shown at most (a long plan is cut, with how many more). */
const MAX_DETAIL = 40;

/** Characters of the preview's first line shown at most (the command is clipped to 300; the details get the rest of the message). */
const MAX_WHAT = 600;

/** How long `stop` waits for the pending questions' edits. */
const STOP_EDITS_MS = 2000;
/** What an expired question says when the bot stopped. */
const STOPPED = ' (the bot stopped)';

/** Asks for and handles confirmations. */
export class ConfirmFlow {
  private readonly pending: Confirmations;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: ConfirmDeps, private readonly executor: Executor) {
    this.pending = new Confirmations(deps.now);
  }

  /**
   * Sends the question with its buttons. A run that would change nothing (a plan whose
   * every step is unchanged: a re-run of expose, unexpose or apply) is not asked: its plan
   * is shown without buttons and it runs at once, as on the CLI; its run still refuses any
   * change the shown plan did not have (orchestration/plan-operation).
   */
  async ask(req: RunRequest): Promise<void> {
    const { lines, changesNothing } = await this.executor.preview(req);
    // A preview may name an input's value: redacted before it is clipped, so no clip shows part of a secret.
    const [first = `Run ${req.command}`, ...detail] = lines.map(redact);
    const what = clip(first, MAX_WHAT);
    const command = code(shownCommand(req.command));
    if (changesNothing) {
      const head = `ℹ️ ${bold('Nothing to change')}: ${escapeHtml(what)}`;
      const messageId = await this.deps.transport.send(req.chatId, `${head}\n${this.details(detail, `${head}\n${command}`)}${command}`, undefined, req.threadId);
      this.deps.logger.info('confirmation skipped', { op: req.op.id, user: req.user.id, chat: req.chatId, reason: 'changes nothing' });
      return this.executor.run({ ...req, confirmation: { messageId, head: `${head}\n${command}` } });
    }
    const entry = this.pending.add({ ...req, what });
    const head = req.op.risk === 'danger' ? `⛔ ${bold('Destructive')}` : `⚠️ ${bold('Confirm')}`;
    const foot = `${command}\n<i>Only ${escapeHtml(req.user.name)} can confirm; expires in 1 minute.</i>`;
    const html = `${head}: ${escapeHtml(what)}\n${this.details(detail, `${head}: ${escapeHtml(what)}\n${foot}`)}${foot}`;
    entry.messageId = await this.deps.transport.send(req.chatId, html, [[{ text: '✅ Confirm', data: CONFIRM + entry.token }, { text: '✖️ Cancel', data: CANCEL + entry.token }]], req.threadId);
    // The bot began stopping while the question was on its way: it can never be answered.
    if (this.stopped) return this.markExpired(entry, STOPPED);
    this.deps.logger.info('confirmation asked', { op: req.op.id, user: req.user.id, chat: req.chatId });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const expired = this.pending.expire(entry.token);
      if (expired) void this.markExpired(expired);
    }, this.pending.ttlMs + 250);
    timer.unref();
    this.timers.add(timer);
  }

  /** The preview's detail lines as a block that fills what `frame` leaves of Telegram's 4096 characters (the buttons do not count). */
  private details(detail: readonly string[], frame: string): string {
    const lines = detail.length > MAX_DETAIL ? detail.slice(0, MAX_DETAIL - 1) : detail;
    const shown = capHead(lines, MESSAGE_LIMIT - visibleLength(frame) - 1 - MARGIN, detail.length - lines.length);
    return shown.length ? `${pre(shown.join('\n'))}\n` : '';
  }

  /** Handles a tap on a Confirm or Cancel button. */
  async tap(cb: IncomingCallback): Promise<void> {
    const { transport, logger } = this.deps;
    const confirm = cb.data.startsWith(CONFIRM);
    if (!confirm && !cb.data.startsWith(CANCEL)) return transport.answerCallback(cb.id, TAP_ANSWERS.invalid);
    const outcome = this.pending.take(cb.data.slice(CONFIRM.length), cb.user.id);
    logger.info('confirmation tapped', { user: cb.user.id, button: confirm ? 'confirm' : 'cancel', outcome: outcome.kind });
    switch (outcome.kind) {
      case 'used':
        // A second tap (a double tap, or after Cancel): answered without a word, nothing else happens.
        return transport.answerCallback(cb.id);
      case 'unknown':
        // Asked before a restart (or already answered): its buttons can never work, so they go.
        await transport.answerCallback(cb.id, TAP_ANSWERS.invalid);
        if (cb.messageId !== undefined && transport.removeButtons) {
          await transport.removeButtons(cb.chatId, cb.messageId).catch((err: unknown) => logger.warn('cannot remove stale buttons', { error: err }));
        }
        return;
      case 'not-yours':
        return transport.answerCallback(cb.id, TAP_ANSWERS.notYours(outcome.pending.user.name));
      case 'expired':
        await transport.answerCallback(cb.id, TAP_ANSWERS.expired);
        return this.markExpired(outcome.pending);
    }
    const p = outcome.pending;
    if (!confirm) {
      await transport.answerCallback(cb.id, TAP_ANSWERS.cancelled);
      return this.edit(p, `✖️ Cancelled: ${escapeHtml(p.what)}\n${code(shownCommand(p.command))}`);
    }
    await transport.answerCallback(cb.id, TAP_ANSWERS.running);
    const confirmed = `▶️ Confirmed: ${escapeHtml(p.what)}\n${code(shownCommand(p.command))}`;
    await this.edit(p, confirmed);
    await this.executor.run(p.messageId === undefined ? p : { ...p, confirmation: { messageId: p.messageId, head: confirmed } });
  }

  private async markExpired(p: Pending, why = ''): Promise<void> {
    this.deps.logger.info('confirmation expired', { op: p.op.id, user: p.user.id, ...(why ? { reason: 'bot stopping' } : {}) });
    await this.edit(p, `⌛ Expired${why}: ${escapeHtml(p.what)}\n${code(shownCommand(p.command))}\nNothing was done.`);
  }

  private async edit(p: Pending, html: string): Promise<void> {
    if (p.messageId === undefined) return;
    await this.deps.transport.edit(p.chatId, p.messageId, html).catch((err: unknown) => this.deps.logger.warn('cannot edit confirmation', { error: err }));
  }

  /**
   * Cancels the expiry timers and marks every pending question expired (its buttons
   * removed), waiting for those edits a few seconds at most: after a restart the bot no
   * longer knows them.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await waitAtMost(Promise.allSettled(this.pending.drain().map((p) => this.markExpired(p, STOPPED))), STOP_EDITS_MS);
  }
}
