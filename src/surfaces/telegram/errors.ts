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

/** Reply text for an error. */
export function errorHtml(err: unknown): string {
  const e = toHomelabError(fromGrammy(err));
  const lines = [`⚠️ ${escapeHtml(redact(e.message))}`];
  if (e instanceof OperationError && e.details?.length) for (const d of e.details.slice(0, 20)) lines.push(`  ${escapeHtml(redact(d))}`);
  if (e.hint) lines.push(`<i>${escapeHtml(redact(telegramHint(e.hint)))}</i>`);
  if (!(fromGrammy(err) instanceof HomelabError)) lines.push('<i>(an unexpected error; details are in the bot log)</i>');
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
