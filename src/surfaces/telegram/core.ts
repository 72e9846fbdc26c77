/**
 * @module surfaces/telegram/core
 * The bot's handlers, independent of grammY: the allowlist gate first, then commands
 * (routed from the registry; `change`/`danger` ones behind a Confirm/Cancel button),
 * free text to the inbox, photos and documents to disk. Group chats: only commands
 * count. A message sent as a group or channel is refused (its sender is an id Telegram
 * shares, never a person); a forwarded message is someone else's words: saved as such
 * (`forwarded from …`), its command never run; service messages are ignored. Replies to
 * a message in a forum topic go to that topic. grammY (`bot.ts`) and the terminal console
 * (`console.ts`) both drive this.
 *
 * Every service's stored secrets (of every lab) are registered for redaction when the bot
 * starts and again for each message and button tap of an allowed user (a few small file
 * reads, after the allowlist gate: a stranger's message costs none), so another service's
 * token in a record, a command or an error is `***` before any client has loaded it, and so
 * is one a credentials file took while the bot runs.
 */
import type { HomelabConfig } from '../../core/config.js';
import { takeContextFlags } from '../../core/context-flag.js';
import { UsageError } from '../../core/errors.js';
import { isDryRun } from '../../core/confirmation.js';
import { registerStoredSecrets } from '../../core/credentials.js';
import type { Registry } from '../../core/registry.js';
import { appendInbox } from '../../services/telegram/inbox.js';
import type { TelegramConfig } from '../../services/telegram/config.js';
import { Gate } from './access.js';
import { parseCommandLine, type CommandLine } from './command-line.js';
import { ConfirmFlow } from './confirm-flow.js';
import { errorHtml, unknownLab } from './errors.js';
import { botTextFor, type ForBot } from './bot-text.js';
import { Executor } from './execute.js';
import { code, escapeHtml } from './html.js';
import type { Logger } from './log.js';
import { saveIncomingMedia } from './media-handler.js';
import { pingHost, runPing } from './ping.js';
import { sendHtmlLines, sendOutput } from './reply.js';
import { route } from './router.js';
import type { ChatTransport, IncomingCallback, IncomingMessage } from './types.js';

/** Everything the handlers need. */
export interface BotDeps {
  config: HomelabConfig;
  tg: TelegramConfig;
  env: NodeJS.ProcessEnv;
  /** The bot's own state, shared by every context: its allowlist and the strangers seen. */
  dataDir: string;
  /** The state of the bot's home context, where free text and media go (the inbox); `dataDir` when absent. */
  inboxDir?: string;
  registry: Registry;
  transport: ChatTransport;
  logger: Logger;
  /** The clock (tests move it to expire confirmations). */
  now?: () => number;
  /** The bot's username, to ignore `/cmd@other_bot`. */
  botUsername?: string;
  /** Replaces the allowlist check (the console's local user). */
  allow?: (userId: number) => boolean;
  /** Who the audit log names for every run (the console's local user name); the Telegram user id when absent. */
  localActor?: string;
  progressIntervalMs?: number;
  /** Told when an update's handling begins and ends (the bot's idle collector). */
  activity?: { begin(): void; end(): void };
}

/** The handlers of one bot. */
export class BotCore {
  private readonly gate: Gate;
  private readonly executor: Executor;
  private readonly confirm: ConfirmFlow;
  private readonly now: () => number;
  /** CLI command lines in replies, as the bot has them (bot-text). */
  private readonly forBot: ForBot;

  constructor(private readonly deps: BotDeps) {
    this.now = deps.now ?? Date.now;
    registerStoredSecrets(deps.env);
    this.forBot = botTextFor(deps.registry);
    const common = { ...deps, now: this.now, forBot: this.forBot };
    this.gate = new Gate(common);
    this.executor = new Executor(common);
    this.confirm = new ConfirmFlow(common, this.executor);
  }

  /** Handles one message. Never throws. */
  async handleMessage(msg: IncomingMessage): Promise<void> {
    this.deps.activity?.begin();
    try {
      await this.message(msg);
    } finally {
      this.deps.activity?.end();
    }
  }

  private async message(msg: IncomingMessage): Promise<void> {
    const { logger } = this.deps;
    const line = msg.text !== undefined ? parseCommandLine(msg.text) : undefined;
    const kind = line ? 'command' : msg.text !== undefined ? 'text' : msg.photo ? 'photo' : msg.document ? 'document' : msg.service ? 'service' : (msg.other ?? 'other');
    logger.info('update', { kind, user: msg.user.id, chat: msg.chatId, chatType: msg.chatType, ...(line ? { command: line.name } : {}), ...(msg.forwardedFrom !== undefined ? { forwarded: true } : {}) });
    // Pinned messages, members joining, write access allowed: nothing anyone sent to the bot.
    if (msg.service) return;
    const inGroup = msg.chatType !== 'private';
    if (inGroup && !line) return;
    if (line?.bot && this.deps.botUsername && line.bot.toLowerCase() !== this.deps.botUsername.toLowerCase()) return;
    // Sent as a group or channel: `user` is an id Telegram gives every such sender, never one person.
    if (msg.sentAsChat) return this.gate.refuseChatSender(msg.user, msg.chatId, msg.chatType, kind, msg.sentAsChat.id, msg.threadId);
    let allowed: boolean;
    try {
      allowed = this.gate.allowed(msg.user.id);
    } catch (err) {
      return this.gate.refuseUnreadable(msg.user, msg.chatId, err, msg.threadId);
    }
    if (!allowed) return this.gate.refuseMessage(msg.user, msg.chatId, msg.chatType, kind, msg.threadId);
    // After the gate: a stranger's message costs no file reads.
    registerStoredSecrets(this.deps.env);
    try {
      if (line && msg.forwardedFrom !== undefined) {
        // Someone else's words: a forwarded /pve stop is never run, or even asked about.
        logger.warn('forwarded command not run', { user: msg.user.id, chat: msg.chatId, command: line.name });
        await this.reply(msg.chatId, `↪️ Forwarded commands are not run: send ${code(`/${line.name}`)} yourself to run it.`, msg.threadId);
      } else if (line) await this.command(msg, line);
      else if (msg.text !== undefined) await this.saveText(msg);
      else if (msg.photo || msg.document) await saveIncomingMedia({ ...this.deps, now: this.now }, msg);
      else await this.reply(msg.chatId, `I keep text, photos and documents; this ${msg.other ?? 'message'} was not saved.`, msg.threadId);
    } catch (err) {
      logger.warn('request failed', { user: msg.user.id, chat: msg.chatId, error: err });
      await this.reply(msg.chatId, errorHtml(err, { forBot: this.forBot }), msg.threadId);
    }
  }

  /** Handles one button tap. Never throws. */
  async handleCallback(cb: IncomingCallback): Promise<void> {
    this.deps.logger.info('update', { kind: 'button', user: cb.user.id, chat: cb.chatId });
    let allowed: boolean;
    try {
      allowed = this.gate.allowed(cb.user.id);
    } catch (err) {
      return this.gate.refuseUnreadable(cb.user, cb.chatId, err, undefined, cb.id);
    }
    if (!allowed) return this.gate.refuseCallback(cb.user, cb.id, cb.chatId);
    registerStoredSecrets(this.deps.env);
    this.deps.activity?.begin();
    try {
      await this.confirm.tap(cb);
    } catch (err) {
      this.deps.logger.warn('button failed', { user: cb.user.id, error: err });
    } finally {
      this.deps.activity?.end();
    }
  }

  private async command(msg: IncomingMessage, line: CommandLine): Promise<void> {
    const command = [`/${line.name}`, ...line.words].join(' ');
    let r;
    let context: string | undefined;
    try {
      // `--context office` (as on the CLI) runs the command in that lab; an unknown name lists the known ones.
      const taken = takeContextFlags(line.words);
      if (taken.allContexts) throw new UsageError('--all-contexts is for the command line; send the command once per lab with --context <name>');
      if (taken.context !== undefined && !this.executor.labs.names().includes(taken.context)) throw unknownLab(taken.context, this.executor.labs.names());
      if (taken.context !== undefined) context = this.executor.labs.get(taken.context).name;
      const { labs } = this.executor;
      r = route(this.deps.registry, { ...line, words: taken.words }, labs.several ? { names: labs.names(), home: labs.home } : undefined);
    } catch (err) {
      // A refusal of a command that named its lab points at commands in that lab.
      await this.reply(msg.chatId, errorHtml(err, { forBot: this.executor.forBotIn({ context }) }), msg.threadId);
      return;
    }
    if (r.kind === 'reply') return sendHtmlLines(this.deps.transport, msg.chatId, r.html, msg.threadId);
    if (r.kind === 'ping') return this.ping(msg.chatId, r.words, command, msg.threadId);
    const req = { op: r.op, input: r.input, json: r.json, command, chatId: msg.chatId, user: msg.user, ...(context === undefined ? {} : { context }), ...(msg.threadId === undefined ? {} : { threadId: msg.threadId }) };
    if (r.op.risk === 'read' || isDryRun(r.op, r.input)) return this.executor.run(req);
    try {
      await this.confirm.ask(req);
    } catch (err) {
      // The preview failed (no such guest, the service is down): nothing is asked, and the
      // commands its error suggests name the request's lab, as the run's would.
      this.deps.logger.warn('request failed', { user: msg.user.id, chat: msg.chatId, error: err });
      await this.reply(msg.chatId, errorHtml(err, { forBot: this.executor.forBotIn(req) }), msg.threadId);
    }
  }

  private async ping(chatId: number, words: string[], command: string, threadId?: number): Promise<void> {
    const host = pingHost(words);
    const controller = new AbortController();
    const result = await runPing(host, controller.signal);
    this.deps.logger.info('ping', { host, reachable: result.reachable });
    await sendOutput(this.deps.transport, chatId, result.output, { title: command, fileStem: 'ping', threadId });
  }

  private async saveText(msg: IncomingMessage): Promise<void> {
    const forwarded = msg.forwardedFrom === undefined ? {} : { forwardedFrom: msg.forwardedFrom };
    await appendInbox(this.deps.inboxDir ?? this.deps.dataDir, { time: new Date(this.now()).toISOString(), user: msg.user, ...forwarded, text: msg.text ?? '' });
    this.deps.logger.info('inbox saved', { user: msg.user.id, chars: msg.text?.length ?? 0, ...(msg.forwardedFrom === undefined ? {} : { forwarded: true }) });
    await this.reply(msg.chatId, `📥 Saved to the inbox${msg.forwardedFrom === undefined ? '' : `, as forwarded from ${escapeHtml(msg.forwardedFrom)}`}. Send ${code('/help')} for commands.`, msg.threadId);
  }

  private async reply(chatId: number, html: string, threadId?: number): Promise<void> {
    await this.deps.transport.send(chatId, html, undefined, threadId).catch((err: unknown) => this.deps.logger.error('reply failed', { chat: chatId, error: err }));
  }

  /** Stops running commands (their chats told) and pending confirmations (marked expired); closes service clients. */
  async stop(): Promise<void> {
    await Promise.all([this.confirm.stop(), this.executor.stop()]);
  }
}
