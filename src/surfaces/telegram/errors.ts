/**
 * @module surfaces/telegram/errors
 * The one place the bot turns an error into a reply: the error's one-line message, its
 * details and hint, escaped for HTML and redacted. CLI-style hints (`see: homelab …`)
 * become the Telegram form (`/… --help`); the CLI's `context list`, which the bot lacks,
 * becomes `/help` (which names the labs), and an unknown `--context` lists the labs.
 */
import { ApiError, HomelabError, OperationError, UnreachableError, UsageError, toHomelabError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { shownWord } from '../../core/words.js';
import { escapeHtml } from './html.js';
import { capHead, clipMiddle, MESSAGE_LIMIT } from './text-cap.js';

/** Characters of an error's message, of each detail line and of its hint shown at most. */
const MAX_MESSAGE = 1000;
const MAX_DETAIL = 300;
const MAX_HINT = 500;
/** Detail lines shown at most (the rest are counted in `… and N more`). */
const MAX_DETAILS = 20;
/** Characters kept free below Telegram's limit. */
const MARGIN = 16;

/**
 * Reply text for an error, within one message: `reserve` visible characters are left for
 * what the caller puts around it (the command it echoes). The message, each detail and the
 * hint are clipped in the middle (their head and their end stay); the details get what is
 * left and say how many more there are.
 */
export function errorHtml(err: unknown, reserve = 0): string {
  const e = toHomelabError(fromGrammy(err));
  const message = `⚠️ ${clipMiddle(redact(e.message), MAX_MESSAGE)}`;
  const hint = e.hint ? clipMiddle(redact(telegramHint(e.hint)), MAX_HINT) : undefined;
  const unexpected = fromGrammy(err) instanceof HomelabError ? undefined : '(an unexpected error; details are in the bot log)';
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
 * → `usage: /pve start <vmid>`. The CLI's `context list` has no bot command: `/help` names the labs.
 */
export function telegramHint(hint: string): string {
  if (hint === 'see: homelab context list') return 'send /help for the labs this bot serves';
  return hint.replace(/^see: homelab (.+)$/, 'send /$1').replace(/^usage: (?:homelab )?(?!\/)(.+)$/, 'usage: /$1');
}

/** A `--context` naming a lab the bot does not serve: the reply lists the ones it does (the bot has no `/context`). */
export function unknownLab(name: string, names: readonly string[]): UsageError {
  const other = names.find((n) => n !== names[0]) ?? names[0] ?? 'default';
  return new UsageError(`unknown context ${shownWord(name)}: this bot serves ${names.join(', ')}`, `name one of them, as in /pve list --context ${other}`);
}
