/**
 * @module surfaces/telegram/execute
 * Runs one operation for a chat: the time limit (config override, the operation's own,
 * or `telegram.timeout_seconds`), progress as one edited message, the result rendered
 * as monospace (or JSON with `--json`), errors and timeouts as one reply that names
 * the command (a partial failure: its result first, then that reply; a run that completed
 * with findings, such as `check`'s errors or a plan's pending changes, is finished, not
 * failed: `findings`). Operations run through `runParsed` only; many run at once.
 * `preview` reads a command's live facts for its confirmation message, in a context like
 * the run's (and whether the run would change nothing). A confirmed command's progress edits its confirmation message. A command
 * may name another lab (`--context office`): it runs with that context's config and its
 * own service clients (`core/lab-set`). Every message stays within Telegram's 4096
 * characters: the command is echoed clipped (`shownCommand`) and an error reply is capped.
 * A command the bot stops waiting for (a timeout, the bot shutting down) is not said to have
 * failed: a change may still complete. A result Telegram would not take is a delivery
 * problem, not a failed command.
 */
import { createContext } from '../../core/context.js';
import { LabSet } from '../../core/lab-set.js';
import { CancelledError, OperationError } from '../../core/errors.js';
import type { HomelabConfig } from '../../core/config.js';
import { runParsed } from '../../core/invoke.js';
import { confirmationOf } from '../../core/confirmation.js';
import { type AnyOperation, type OperationSource } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { renderForPhone } from './phone-render.js';
import { commandTimeoutMs, type TelegramConfig } from '../../services/telegram/config.js';
import { blocksForBot, type ForBot } from './bot-text.js';
import { errorHtml } from './errors.js';
import { findings } from './findings.js';
import { FairLimiter } from './fair-limiter.js';
import { code, escapeHtml } from './html.js';
import { shownCommand, visibleLength } from './text-cap.js';
import type { Logger } from './log.js';
import { ProgressMessage } from './progress.js';
import { sendOutput } from './reply.js';
import type { ChatTransport, ChatUser } from './types.js';

/** What the executor needs. */
export interface ExecutorDeps {
  config: HomelabConfig;
  tg: TelegramConfig;
  env: NodeJS.ProcessEnv;
  transport: ChatTransport;
  logger: Logger;
  now: () => number;
  progressIntervalMs?: number;
  /** Commands worked on at once (default 3); more wait their chat's turn. */
  maxConcurrent?: number;
  /** A command running longer than this (default 1 s) no longer counts against `maxConcurrent`. */
  holdMs?: number;
  /** Where `ctx.invoke` finds operations: the bot's registry. */
  registry: OperationSource;
  /** Rewrites CLI command lines in errors, progress and a result's marked command lines for the bot (bot-text); none when absent. */
  forBot?: ForBot;
}

/** One command to run. */
export interface RunRequest {
  op: AnyOperation;
  input: Record<string, unknown>;
  json: boolean;
  /** The command as typed (`/pve start 105`). */
  command: string;
  chatId: number;
  user: ChatUser;
  /** The confirmation message this run was confirmed on, and its top line (HTML): progress edits it. */
  confirmation?: { messageId: number; head: string };
  /** The context (lab) named with `--context`; the bot's own when absent. */
  context?: string;
  /** The forum topic the command was sent in: its replies go there. */
  threadId?: number;
}

/** How long `stop` waits for the replies of interrupted commands. */
const STOP_REPLIES_MS = 3000;

/** Formats milliseconds as `30 s`, `1.5 s`, `2 min`. */
export function formatLimit(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

/** The reply to a command that failed: the command (clipped), then the error, within one message. */
function errorReply(command: string, err: unknown, forBot?: ForBot): string {
  const head = code(command);
  return `${head}\n${errorHtml(err, { reserve: visibleLength(head) + 1, ...(forBot ? { forBot } : {}) })}`;
}

/** Runs operations for the bot, sharing service clients between commands. */
export class Executor {
  /** The labs commands run in, each with its own clients (two labs never share a token). */
  readonly labs: LabSet;
  private readonly stopping = new AbortController();
  private readonly limiter: FairLimiter;
  /** Commands running or waiting their turn (`stop` waits a little for their replies). */
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: ExecutorDeps) {
    this.limiter = new FairLimiter(deps.maxConcurrent ?? 3, deps.holdMs ?? 1000);
    this.labs = new LabSet(deps.env, deps.config);
  }

  /**
   * The confirmation of a request (`confirmationOf`): its operation's live preview (read in a
   * context like the run's, under the same time limit), else its confirm line, and whether
   * the run would change nothing (a plan whose every step is unchanged). Throws what the
   * preview throws (the guest does not exist, the service is down).
   */
  async preview(req: RunRequest): Promise<{ lines: string[]; changesNothing: boolean }> {
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(commandTimeoutMs(this.deps.tg, req.op.id, req.op.timeoutMs))]);
    return confirmationOf(req.op, req.input, this.context(req, signal, () => undefined));
  }

  /**
   * The rewriter for every text about a request (its preview's error, a refusal, its run's
   * progress, result and error): its command lines name its lab when that is not the bot's own.
   */
  forBotIn(req: Pick<RunRequest, 'context'>): (text: string) => string {
    const base = this.deps.forBot;
    if (!base) return (t) => t;
    const lab = req.context !== undefined && req.context !== this.labs.home ? req.context : undefined;
    return (text) => base(text, lab);
  }

  private context(req: RunRequest, signal: AbortSignal, progress: (note: string) => void): ReturnType<typeof createContext> {
    const { deps } = this;
    const lab = this.labs.get(req.context);
    return createContext({
      actor: { surface: 'telegram', id: String(req.user.id) },
      signal,
      env: lab.env,
      config: lab.config,
      progress,
      clients: lab.clients,
      operations: deps.registry,
    });
  }

  /**
   * Runs a validated request when its chat's turn comes (a few at once, chats in turn)
   * and replies with its result or error. Never throws.
   */
  run(req: RunRequest): Promise<void> {
    const running = this.limiter.run(req.chatId, () => this.execute(req));
    this.running.add(running);
    return running.finally(() => this.running.delete(running));
  }

  private async execute(req: RunRequest): Promise<void> {
    const { deps } = this;
    const limitMs = commandTimeoutMs(deps.tg, req.op.id, req.op.timeoutMs);
    const controller = new AbortController();
    let timedOut = false;
    let interrupted = false;
    const onStop = (): void => {
      interrupted = true;
      controller.abort(new CancelledError('the bot is shutting down; the command was stopped'));
    };
    if (this.stopping.signal.aborted) onStop();
    else this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new CancelledError(`timed out after ${formatLimit(limitMs)}`));
    }, limitMs);
    const { threadId } = req;
    const progress = new ProgressMessage(deps.transport, req.chatId, (err) => deps.logger.warn('progress message failed', { error: err }), deps.now, deps.progressIntervalMs, req.confirmation, threadId);
    const forBot = this.forBotIn(req);
    const ctx = this.context(req, controller.signal, (note) => progress.note(forBot(redact(note))));
    const started = deps.now();
    const fields = { op: req.op.id, user: req.user.id, chat: req.chatId };
    const command = shownCommand(req.command);
    deps.logger.info('command started', { ...fields, risk: req.op.risk, limitMs });
    const show = async (result: unknown): Promise<string> => {
      // Only what the operation marks as its command lines (a `/check` fix line) names the bot's
      // commands; every other cell and text, and JSON, is data, shown as it is (bot-text).
      const text = req.json || !req.op.render ? JSON.stringify(redactValue(result), null, 2) : renderForPhone(blocksForBot(req.op.render(result, req.input), forBot));
      return (await sendOutput(deps.transport, req.chatId, redact(text), { title: command, fileStem: req.op.id, now: new Date(deps.now()), threadId })).kind;
    };
    // What was already sent to the service is not called back by a timeout or a shutdown.
    const mayComplete = req.op.risk === 'read' ? '' : '\nWhat was already sent to the service may still complete; check its status.';
    try {
      let result: unknown;
      try {
        result = await untilAborted(runParsed(req.op, req.input, ctx), controller.signal);
      } catch (err) {
        const found = timedOut || interrupted ? undefined : findings(err, req.op);
        if (timedOut) {
          await progress.finish(`⏱ ${command}: timed out after ${formatLimit(limitMs)}`);
          deps.logger.warn('command timed out', { ...fields, limitMs });
          await this.reply(req.chatId, `⏱ ${code(command)} timed out after ${escapeHtml(formatLimit(limitMs))}.${escapeHtml(mayComplete)}`, threadId);
        } else if (interrupted) {
          // Not a failure of the command: the bot stopped waiting for it.
          await progress.finish(`⏹ ${command}: interrupted, the bot is shutting down`);
          deps.logger.warn('command interrupted', { ...fields, ms: deps.now() - started });
          await this.reply(req.chatId, `⏹ ${code(command)} was interrupted: the bot is shutting down.${escapeHtml(mayComplete || '\nSend it again once the bot is back.')}`, threadId);
        } else if (found !== undefined) {
          // It ran to the end and its result says what it found (`check`'s errors): done, not failed.
          const seconds = ((deps.now() - started) / 1000).toFixed(1);
          await progress.finish(`✓ ${command}: finished in ${seconds} s, ${found}`);
          deps.logger.info('command finished', { ...fields, ms: deps.now() - started, findings: found });
          await show((err as OperationError).result).catch((e: unknown) => deps.logger.warn('reply not delivered', { ...fields, error: e }));
          await this.reply(req.chatId, errorReply(command, err, forBot), threadId);
        } else {
          await progress.finish(`✖ ${command}: failed`);
          deps.logger.warn('command failed', { ...fields, ms: deps.now() - started, error: err });
          // A partial failure (docs/exit-codes.md) still has its result: show it, then the one line.
          if (err instanceof OperationError && err.result !== undefined) await show(err.result).catch((e: unknown) => deps.logger.warn('reply not delivered', { ...fields, error: e }));
          await this.reply(req.chatId, errorReply(command, err, forBot), threadId);
        }
        return;
      }
      const seconds = ((deps.now() - started) / 1000).toFixed(1);
      await progress.finish(`✓ ${command}: finished in ${seconds} s`);
      try {
        const delivery = await show(result);
        deps.logger.info('command finished', { ...fields, ms: deps.now() - started, delivery });
      } catch (err) {
        // The command succeeded; only its reply could not be sent (Telegram refused it, a long rate limit).
        deps.logger.info('command finished', { ...fields, ms: deps.now() - started, delivery: 'failed' });
        deps.logger.warn('reply not delivered', { ...fields, error: err });
        await this.reply(req.chatId, `✓ ${code(command)} finished, but its result could not be sent.\n${errorHtml(err, { reserve: visibleLength(command) + 50 })}`, threadId);
      }
    } finally {
      clearTimeout(timer);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  private async reply(chatId: number, html: string, threadId?: number): Promise<void> {
    await this.deps.transport.send(chatId, html, undefined, threadId).catch((err: unknown) => this.deps.logger.error('reply failed', { chat: chatId, error: err }));
  }

  /**
   * Stops every running command (each chat is told, within a few seconds: a change may still
   * complete) and closes the service clients.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => { timer = setTimeout(resolve, STOP_REPLIES_MS); });
    await Promise.race([Promise.allSettled([...this.running]), bound]);
    clearTimeout(timer);
    await this.labs.closeAll();
  }
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => { signal.removeEventListener('abort', onAbort); resolve(v); },
      (e: unknown) => { signal.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}
