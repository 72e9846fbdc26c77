/**
 * @module surfaces/telegram/errors
 * The one place the bot turns an error into a reply: the error's one-line message, its
 * details and hint, escaped for HTML and redacted, within one message. CLI command lines in
 * what homelab wrote (its messages and hints) become the bot's (`homelab pve list` → `/pve
 * list`, `see: homelab …` → `send /…`, a command the bot refuses marked `on the CLI:`;
 * bot-text), redacted first; a service's own answer (an `ApiError`'s message) and the details
 * (objects in the way, each part's failure: data) are shown as they are. The CLI's `context list`, which
 * the bot lacks, becomes `/help` (which names the labs), and an unknown `--context` lists the labs.
 */
import { ApiError, FileAccessError, HomelabError, OperationError, UnreachableError, UsageError, toHomelabError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { shownWord } from '../../core/words.js';
import type { ForBot } from './bot-text.js';
import { escapeHtml } from './html.js';
import { capHead, clipMiddle, MARGIN, MESSAGE_LIMIT } from './text-cap.js';

/** Characters of an error's message, of each detail line and of its hint shown at most. */
const MAX_MESSAGE = 1000;
const MAX_DETAIL = 300;
const MAX_HINT = 500;
/** Detail lines shown at most (the rest are counted in `… and N more`). */
const MAX_DETAILS = 20;
/** How `errorHtml` words an error. */
export interface ErrorHtmlOptions {
  /** Visible characters left for what the caller puts around the error (the command it echoes). */
  reserve?: number;
  /** Rewrites CLI command lines in the message and hint for the bot (bot-text); without it only `see:` and `usage:` hints are. */
  forBot?: ForBot;
}

/**
 * Reply text for an error, within one message (`reserve` characters are left for the caller).
 * The message, each detail and the hint are clipped in the middle (their head and their end
 * stay); the details get what is left and say how many more there are.
 */
export function errorHtml(err: unknown, options: ErrorHtmlOptions = {}): string {
  const { reserve = 0, forBot = (t: string) => t } = options;
  const e = toHomelabError(fromGrammy(err));
  // An ApiError's message is what the service answered: its words, not ours.
  const message = `⚠️ ${clipMiddle(e instanceof ApiError ? redact(e.message) : forBot(redact(e.message)), MAX_MESSAGE)}`;
  const hint = e.hint ? clipMiddle(telegramHint(redact(e.hint), forBot), MAX_HINT) : undefined;
  // A file homelab cannot read or write (core/file-error) is said with its path and fix: not unexpected.
  const unexpected = fromGrammy(err) instanceof HomelabError || e instanceof FileAccessError ? undefined : '(an unexpected error; details are in the bot log)';
  const lines = [escapeHtml(message)];
  const details = e instanceof OperationError ? (e.details ?? []) : [];
  if (details.length) {
    const room = MESSAGE_LIMIT - MARGIN - reserve - message.length - (hint ? hint.length + 1 : 0) - (unexpected ? unexpected.length + 1 : 0) - 1;
    const shown = details.slice(0, MAX_DETAILS).map((d) => `  ${clipMiddle(redact(d), MAX_DETAIL)}`);
    for (const d of capHead(shown, room, details.length - shown.length)) lines.push(escapeHtml(d.startsWith('  ') ? d : `  ${d}`));
  }
  if (hint) lines.push(`<i>${escapeHtml(hint)}</i>`);
  if (unexpected) lines.push(`<i>${escapeHtml(unexpected)}</i>`);
  return lines.join('\n');
}

/** grammY's errors (Telegram refused a call; the network failed) as typed errors. */
function fromGrammy(err: unknown): unknown {
  const e = err as { name?: string; error_code?: number; description?: string; method?: string };
  if (e?.name === 'GrammyError' && typeof e.description === 'string') return new ApiError('telegram', e.error_code ?? 0, `${e.method ?? 'call'}: ${e.description}`);
  if (e?.name === 'HttpError') return new UnreachableError('telegram', 'the Bot API could not be reached');
  return err;
}

/**
 * `see: homelab pve start --help` → `send /pve start --help`; `usage: homelab pve start <vmid>`
 * → `usage: /pve start <vmid>`; other command lines as `forBot` rewrites them (a command the bot
 * refuses: `on the CLI: homelab …`). The CLI's `context list` has no bot command: `/help` names the labs.
 */
export function telegramHint(hint: string, forBot: ForBot = (t) => t): string {
  if (hint === 'see: homelab context list') return 'send /help for the labs this bot serves';
  return forBot(hint).replace(/^see: (?:homelab |\/)(.+)$/, 'send /$1').replace(/^usage: (?:homelab )?(?!\/|on the CLI)(.+)$/, 'usage: /$1');
}

/** A `--context` naming a lab the bot does not serve: the reply lists the ones it does (the bot has no `/context`). */
export function unknownLab(name: string, names: readonly string[]): UsageError {
  const other = names.find((n) => n !== names[0]) ?? names[0] ?? 'default';
  return new UsageError(`unknown context ${shownWord(name)}: this bot serves ${names.join(', ')}`, `name one of them, as in /pve list --context ${other}`);
}
