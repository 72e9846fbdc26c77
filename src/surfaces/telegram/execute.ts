/**
 * @module surfaces/telegram/execute
 * Runs one operation for a chat: the time limit (config override, the operation's own,
 * or `telegram.timeout_seconds`), progress as one edited message, the result rendered
 * as monospace (or JSON with `--json`), errors and timeouts as one reply that names
 * the command (a partial failure: its result first, then that reply; a run that completed
 * with findings, such as `check`'s errors or a plan's pending changes, is finished, not
 * failed: `findings`). Operations run through `runParsed` only; many run at once.
 * `preview` reads a command's live facts for its confirmation message, in a context like
 * the run's (and whether the run would change nothing). A confirmed command's progress edits
 * its confirmation message; how its end is told is `run-outcome`'s. A command
 * may name another lab (`--context office`): it runs with that context's config and its
 * own service clients (`core/lab-set`). Every message stays within Telegram's 4096
 * characters: the command is echoed clipped (`shownCommand`) and an error reply is capped.
 * A command the bot stops waiting for (a timeout, the bot shutting down) is not said to have
 * failed: a change may still complete. A result Telegram would not take is a delivery
 * problem, not a failed command; what the operation left for after its output (`ctx.afterOutput`)
 * runs once that is known (core/output-steps): delivered when the Bot API accepted the messages (or
 * the document) carrying the result; not when Telegram refused it, the network failed or the bot
 * stopped waiting for the run, and then `telegram inbox clear` keeps its entries.
 */
import { createContext } from '../../core/context.js';
import { LabSet } from '../../core/lab-set.js';
import { outputStepsOf } from '../../core/output-steps.js';
import { CancelledError } from '../../core/errors.js';
import type { HomelabConfig } from '../../core/config.js';
import { runParsed } from '../../core/invoke.js';
import { confirmationOf } from '../../core/confirmation.js';
import { type AnyOperation, type OperationSource } from '../../core/operation.js';
import { redact, redactValue } from '../../core/redact.js';
import { renderForPhone } from './phone-render.js';
import { commandTimeoutMs, type TelegramConfig } from '../../services/telegram/config.js';
import { blocksForBot, type ForBot } from './bot-text.js';
import { labToName } from '../../core/lab-in-commands.js';
import { FairLimiter } from './fair-limiter.js';
import { shownCommand } from './text-cap.js';
import type { Logger } from './log.js';
import { ProgressMessage } from './progress.js';
import { sendOutput } from './reply.js';
import { formatLimit, tellFailure, tellSuccess, type Abandoned, type RunEnd } from './run-outcome.js';
import { untilAborted, waitAtMost } from './wait-at-most.js';
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
  /** The actor id audit rows name instead of the Telegram user id: the console's local user name (`bot --console`). */
  localActor?: string;
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
   * progress, result and error): its bot commands name its lab when that is not the bot's own,
   * its lines for the CLI when a shell runs a bare `homelab` in another (config.yaml's current lab).
   */
  forBotIn(req: Pick<RunRequest, 'context'>): (text: string) => string {
    const base = this.deps.forBot;
    if (!base) return (t) => t;
    const lab = req.context !== undefined && req.context !== this.labs.home ? req.context : undefined;
    let shellLab: string | undefined;
    try {
      shellLab = labToName(this.labs.get(req.context).env);
    } catch {
      // An unknown lab (its own error is being said): its lines stay as written.
      shellLab = undefined;
    }
    return (text) => base(text, lab, shellLab);
  }

  private context(req: RunRequest, signal: AbortSignal, progress: (note: string) => void): ReturnType<typeof createContext> {
    const { deps } = this;
    const lab = this.labs.get(req.context);
    return createContext({
      actor: { surface: 'telegram', id: deps.localActor ?? String(req.user.id) },
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
    let abandoned: Abandoned;
    const onStop = (): void => {
      abandoned = 'interrupted';
      controller.abort(new CancelledError('the bot is shutting down; the command was stopped'));
    };
    if (this.stopping.signal.aborted) onStop();
    else this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const timer = setTimeout(() => {
      abandoned = 'timed out';
      controller.abort(new CancelledError(`timed out after ${formatLimit(limitMs)}`));
    }, limitMs);
    const { threadId } = req;
    const progress = new ProgressMessage(deps.transport, req.chatId, (err) => deps.logger.warn('progress message failed', { error: err }), deps.now, deps.progressIntervalMs, req.confirmation, threadId);
    const forBot = this.forBotIn(req);
    const ctx = this.context(req, controller.signal, (note) => progress.note(forBot(redact(note))));
    // What the operation leaves for after its output runs once the result was sent, or was not (core/output-steps).
    const outputSteps = outputStepsOf(ctx);
    const command = shownCommand(req.command);
    const end: RunEnd = {
      logger: deps.logger, now: deps.now, req, command, progress, limitMs, forBot,
      fields: { op: req.op.id, user: req.user.id, chat: req.chatId },
      started: deps.now(),
      show: async (result) => {
        // Only what the operation marks as its command lines (a `/check` fix line) names the bot's
        // commands; every other cell and text, and JSON, is data, shown as it is (bot-text).
        const text = req.json || !req.op.render ? JSON.stringify(redactValue(result), null, 2) : renderForPhone(blocksForBot(req.op.render(result, req.input), forBot));
        return (await sendOutput(deps.transport, req.chatId, redact(text), { title: command, fileStem: req.op.id, now: new Date(deps.now()), threadId })).kind;
      },
      reply: (html) => this.reply(req.chatId, html, threadId),
      shown: (delivered) => outputSteps.settle(delivered),
    };
    deps.logger.info('command started', { ...end.fields, risk: req.op.risk, limitMs });
    try {
      let result: unknown;
      try {
        result = await untilAborted(runParsed(req.op, req.input, ctx, { outputSteps: outputSteps.take }), controller.signal);
      } catch (err) {
        await tellFailure(end, err, abandoned);
        return;
      }
      await tellSuccess(end, result);
    } finally {
      // A result never sent (a failed or abandoned run) was not delivered; once told, this changes nothing.
      void outputSteps.settle(false).catch((err: unknown) => deps.logger.warn('output steps failed', { ...end.fields, error: err }));
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
    await waitAtMost(Promise.allSettled([...this.running]), STOP_REPLIES_MS);
    await this.labs.closeAll();
  }
}
