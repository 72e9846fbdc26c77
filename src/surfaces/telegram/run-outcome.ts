/**
 * @module surfaces/telegram/run-outcome
 * How a command's end is told (the executor's last step): its progress message finished, a
 * log line, and the reply. A command that succeeded shows its result (a result Telegram would
 * not take is a delivery problem, not a failed command); one that completed with findings
 * (`check`'s errors, a plan's pending changes) is finished, not failed; a partial failure shows
 * its result, then the error; a timeout or the bot shutting down is not called a failure: a
 * change may still complete. A run whose after-output steps fail (an inbox clear whose result
 * was not sent, its entries put back) failed.
 */
import { OperationError } from '../../core/errors.js';
import { errorHtml } from './errors.js';
import { findings } from './findings.js';
import { code, escapeHtml } from './html.js';
import type { Logger } from './log.js';
import type { ProgressMessage } from './progress.js';
import { visibleLength } from './text-cap.js';
import type { RunRequest } from './execute.js';

/** Why the bot stopped waiting for a command, if it did. */
export type Abandoned = 'timed out' | 'interrupted' | undefined;

/** One run, as its end is told. */
export interface RunEnd {
  logger: Logger;
  now: () => number;
  req: RunRequest;
  /** The command as echoed (clipped: `shownCommand`). */
  command: string;
  progress: ProgressMessage;
  /** The log fields of every line about the run (op, user, chat). */
  fields: Record<string, unknown>;
  /** When the run began (`now()`). */
  started: number;
  limitMs: number;
  /** Rewrites CLI command lines for the bot (bot-text), naming the run's lab. */
  forBot: (text: string) => string;
  /** Sends a result; resolves to how it was delivered (messages, a document). */
  show(result: unknown): Promise<string>;
  /** Sends one message to the run's chat (and topic); never throws. */
  reply(html: string): Promise<void>;
  /**
   * Runs what the operation left for after its output, told whether its result was delivered
   * (core/output-steps); rejects with their failure (`telegram inbox clear`: its entries went back).
   */
  shown(delivered: boolean): Promise<void>;
}

/** Formats milliseconds as `30 s`, `1.5 s`, `2 min`. */
export function formatLimit(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** The reply to a command that failed: the command (clipped), then the error, within one message. */
function errorReply(command: string, err: unknown, forBot?: (text: string) => string): string {
  const head = code(command);
  return `${head}\n${errorHtml(err, { reserve: visibleLength(head) + 1, ...(forBot ? { forBot } : {}) })}`;
}

const seconds = (end: RunEnd): string => ((end.now() - end.started) / 1000).toFixed(1);

/**
 * Tells a run that succeeded: finished, then its result (or that the result could not be sent).
 * What it left for after its output runs then, told whether the result was delivered: when that
 * fails (an inbox clear whose result was not sent put its entries back), the run failed, and the
 * reply says why.
 */
export async function tellSuccess(end: RunEnd, result: unknown): Promise<void> {
  const { command, fields, logger } = end;
  await end.progress.finish(`✓ ${command}: finished in ${seconds(end)} s`);
  let delivery: string | undefined;
  let notSent: unknown;
  try {
    delivery = await end.show(result);
  } catch (err) {
    notSent = err;
  }
  const afterwards = await end.shown(delivery !== undefined).then(() => undefined, (err: unknown) => err ?? new Error('an after-output step failed'));
  if (afterwards !== undefined) {
    logger.warn('command failed', { ...fields, ms: end.now() - end.started, delivery: delivery ?? 'failed', error: afterwards });
    if (delivery === undefined) {
      logger.warn('reply not delivered', { ...fields, error: notSent });
      const sent = errorHtml(notSent);
      await end.reply(`✖ ${code(command)}: its result could not be sent.\n${sent}\n${errorHtml(afterwards, { reserve: visibleLength(command) + visibleLength(sent) + 50, forBot: end.forBot })}`);
    } else {
      await end.reply(errorReply(command, afterwards, end.forBot));
    }
  } else if (delivery !== undefined) {
    logger.info('command finished', { ...fields, ms: end.now() - end.started, delivery });
  } else {
    // The command succeeded; only its reply could not be sent (Telegram refused it, a long rate limit).
    logger.info('command finished', { ...fields, ms: end.now() - end.started, delivery: 'failed' });
    logger.warn('reply not delivered', { ...fields, error: notSent });
    await end.reply(`✓ ${code(command)} finished, but its result could not be sent.\n${errorHtml(notSent, { reserve: visibleLength(command) + 50 })}`);
  }
}

/** Tells a run that threw `err`, or that the bot stopped waiting for (`abandoned`). */
export async function tellFailure(end: RunEnd, err: unknown, abandoned: Abandoned): Promise<void> {
  const { command, fields, logger, req } = end;
  // What was already sent to the service is not called back by a timeout or a shutdown.
  const mayComplete = req.op.risk === 'read' ? '' : '\nWhat was already sent to the service may still complete; check its status.';
  const showPartial = (result: unknown): Promise<unknown> => end.show(result).catch((e: unknown) => logger.warn('reply not delivered', { ...fields, error: e }));
  const found = abandoned ? undefined : findings(err, req.op);
  if (abandoned === 'timed out') {
    await end.progress.finish(`⏱ ${command}: timed out after ${formatLimit(end.limitMs)}`);
    logger.warn('command timed out', { ...fields, limitMs: end.limitMs });
    await end.reply(`⏱ ${code(command)} timed out after ${escapeHtml(formatLimit(end.limitMs))}.${escapeHtml(mayComplete)}`);
  } else if (abandoned === 'interrupted') {
    // Not a failure of the command: the bot stopped waiting for it.
    await end.progress.finish(`⏹ ${command}: interrupted, the bot is shutting down`);
    logger.warn('command interrupted', { ...fields, ms: end.now() - end.started });
    await end.reply(`⏹ ${code(command)} was interrupted: the bot is shutting down.${escapeHtml(mayComplete || '\nSend it again once the bot is back.')}`);
  } else if (found !== undefined) {
    // It ran to the end and its result says what it found (`check`'s errors): done, not failed.
    await end.progress.finish(`✓ ${command}: finished in ${seconds(end)} s, ${found}`);
    logger.info('command finished', { ...fields, ms: end.now() - end.started, findings: found });
    await showPartial((err as OperationError).result);
    await end.reply(errorReply(command, err, end.forBot));
  } else {
    await end.progress.finish(`✖ ${command}: failed`);
    logger.warn('command failed', { ...fields, ms: end.now() - end.started, error: err });
    // A partial failure (docs/exit-codes.md) still has its result: show it, then the one line.
    if (err instanceof OperationError && err.result !== undefined) await showPartial(err.result);
    await end.reply(errorReply(command, err, end.forBot));
  }
}
