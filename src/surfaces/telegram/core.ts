/**
 * @module surfaces/telegram/core
 * The bot's handlers, independent of grammY: the allowlist gate first, then commands
 * (routed from the registry; `change`/`danger` ones behind a Confirm/Cancel button),
 * free text to the inbox, photos and documents to disk. Group chats: only commands
 * count. grammY (`bot.ts`) and the terminal console (`console.ts`) both drive this.
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
import { code } from './html.js';
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
    const kind = line ? 'command' : msg.text !== undefined ? 'text' : msg.photo ? 'photo' : msg.document ? 'document' : (msg.other ?? 'other');
    logger.info('update', { kind, user: msg.user.id, chat: msg.chatId, chatType: msg.chatType, ...(line ? { command: line.name } : {}) });
    const inGroup = msg.chatType !== 'private';
    if (inGroup && !line) return;
    if (line?.bot && this.deps.botUsername && line.bot.toLowerCase() !== this.deps.botUsername.toLowerCase()) return;
    if (!this.gate.allowed(msg.user.id)) return this.gate.refuseMessage(msg.user, msg.chatId, msg.chatType, kind);
    // After the gate: a stranger's message costs no file reads.
    registerStoredSecrets(this.deps.env);
    try {
      if (line) await this.command(msg, line);
      else if (msg.text !== undefined) await this.saveText(msg);
      else if (msg.photo || msg.document) await saveIncomingMedia({ ...this.deps, now: this.now }, msg);
      else await this.reply(msg.chatId, `I keep text, photos and documents; this ${msg.other ?? 'message'} was not saved.`);
    } catch (err) {
      logger.warn('request failed', { user: msg.user.id, chat: msg.chatId, error: err });
      await this.reply(msg.chatId, errorHtml(err, { forBot: this.forBot }));
    }
  }

  /** Handles one button tap. Never throws. */
  async handleCallback(cb: IncomingCallback): Promise<void> {
    this.deps.logger.info('update', { kind: 'button', user: cb.user.id, chat: cb.chatId });
    if (!this.gate.allowed(cb.user.id)) return this.gate.refuseCallback(cb.user, cb.id, cb.chatId);
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
      await this.reply(msg.chatId, errorHtml(err, { forBot: this.executor.forBotIn({ context }) }));
      return;
    }
    if (r.kind === 'reply') return sendHtmlLines(this.deps.transport, msg.chatId, r.html);
    if (r.kind === 'ping') return this.ping(msg.chatId, r.words, command);
    const req = { op: r.op, input: r.input, json: r.json, command, chatId: msg.chatId, user: msg.user, ...(context === undefined ? {} : { context }) };
    if (r.op.risk === 'read' || isDryRun(r.op, r.input)) return this.executor.run(req);
    try {
      await this.confirm.ask(req);
    } catch (err) {
      // The preview failed (no such guest, the service is down): nothing is asked, and the
      // commands its error suggests name the request's lab, as the run's would.
      this.deps.logger.warn('request failed', { user: msg.user.id, chat: msg.chatId, error: err });
      await this.reply(msg.chatId, errorHtml(err, { forBot: this.executor.forBotIn(req) }));
    }
  }

  private async ping(chatId: number, words: string[], command: string): Promise<void> {
    const host = pingHost(words);
    const controller = new AbortController();
    const result = await runPing(host, controller.signal);
    this.deps.logger.info('ping', { host, reachable: result.reachable });
    await sendOutput(this.deps.transport, chatId, result.output, { title: command, fileStem: 'ping' });
  }

  private async saveText(msg: IncomingMessage): Promise<void> {
    await appendInbox(this.deps.inboxDir ?? this.deps.dataDir, { time: new Date(this.now()).toISOString(), user: msg.user, text: msg.text ?? '' });
    this.deps.logger.info('inbox saved', { user: msg.user.id, chars: msg.text?.length ?? 0 });
    await this.reply(msg.chatId, `📥 Saved to the inbox. Send ${code('/help')} for commands.`);
  }

  private async reply(chatId: number, html: string): Promise<void> {
    await this.deps.transport.send(chatId, html).catch((err: unknown) => this.deps.logger.error('reply failed', { chat: chatId, error: err }));
  }

  /** Stops running commands and pending confirmations; closes service clients. */
  async stop(): Promise<void> {
    this.confirm.stop();
    await this.executor.stop();
  }
}
