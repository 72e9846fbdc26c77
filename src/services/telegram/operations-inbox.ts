/**
 * @module services/telegram/operations-inbox
 * `telegram inbox`: what allowlisted users sent the bot (text, and pointers to saved
 * photos and files). `telegram inbox clear` takes the entries out atomically and returns
 * them, so whoever clears also gets everything that was cleared; a message arriving
 * meanwhile stays for the next read. On the CLI the entries are removed only once they
 * were written out: when stdout fails (a full disk, a reader that closed the pipe early)
 * they go back into the inbox and the clear fails. Over MCP, likewise once the answer reached
 * the client: a call the client cancelled, or whose connection dropped, puts them back. On the
 * bot, once the Bot API took the result: a result Telegram did not take puts them back.
 * Clearing is its own `change` operation (decision):
 * the bot asks before it, the audit log records it, and a read-only MCP agent cannot
 * empty the owner's inbox (agents mark entries handled with the MCP inbox tools instead).
 */
import { z } from 'zod';
import { defineOperation } from '../../core/operation.js';
import { text, type Rendered } from '../../core/render.js';
import { OperationError } from '../../core/errors.js';
import { claimInbox, inboxPath, readInbox, type InboxClaim, type InboxEntry } from './inbox.js';

/** JSON shape of `telegram inbox`. */
export interface InboxResult {
  path: string;
  cleared: boolean;
  entries: InboxEntry[];
}

/** `telegram inbox`. */
export const telegramInbox = defineOperation({
  id: 'telegram.inbox',
  summary: 'Show the messages, photos and files sent to the bot',
  input: z.object({}),
  risk: 'read',
  pages: 'entries',
  examples: ['telegram inbox', 'telegram inbox --json'],
  async run(ctx): Promise<InboxResult> {
    return { path: inboxPath(ctx.dataDir), cleared: false, entries: await readInbox(ctx.dataDir) };
  },
  render: renderInbox,
});

/** `telegram inbox clear`: empty the inbox atomically, returning what was in it. */
export const telegramInboxClear = defineOperation({
  id: 'telegram.inbox.clear',
  summary: 'Empty the inbox atomically and show what it held (nothing arriving meanwhile is lost)',
  input: z.object({}),
  risk: 'change',
  examples: ['telegram inbox clear', 'telegram inbox clear --json'],
  confirm: () => 'Empty the Telegram inbox',
  async run(ctx): Promise<InboxResult> {
    const claim = await claimInbox(ctx.dataDir);
    // On the CLI, over MCP and on the bot the entries are removed once they reached the reader; an answer that did not puts them back.
    if (ctx.afterOutput) ctx.afterOutput((delivered) => settleClear(claim, delivered));
    else await claim.settle(true);
    return { path: inboxPath(ctx.dataDir), cleared: true, entries: claim.entries };
  },
  render: renderInbox,
});

/**
 * Removes the entries a clear took, or puts them back when they did not reach the output (then
 * the clear failed, saying where the entries are: back in the inbox, or taken by another clear).
 */
async function settleClear(claim: InboxClaim, delivered: boolean): Promise<void> {
  const back = await claim.settle(delivered);
  const taken = claim.entries.length;
  if (delivered || !taken) return;
  const where = back >= taken ? 'they are still in the inbox'
    : back === 0 ? 'none of them is in the inbox any more: another clear took them meanwhile'
    : `${back} of the ${taken} are back in the inbox; another clear took the others meanwhile`;
  throw new OperationError('the inbox was not cleared: its entries did not all reach the output', where);
}

function renderInbox(r: InboxResult): Rendered {
  if (!r.entries.length) return [text(r.cleared ? 'inbox was empty' : 'inbox is empty', 'dim')];
  const blocks: Rendered = r.entries.map((e) => {
    const from = e.user.username ? `@${e.user.username}` : e.user.name;
    // The attachment goes before the colon, where the sender's text cannot put one.
    const file = e.file ? ` [${e.kind ?? 'file'} ${e.file}]` : '';
    const forwarded = e.forwardedFrom !== undefined ? ` [forwarded from ${e.forwardedFrom}]` : '';
    return text(`${e.time.replace('T', ' ').slice(0, 19)}  ${from}${forwarded}${file}: ${e.text.replace(/\n/g, '\n    ')}`);
  });
  if (r.cleared) blocks.push(text(`cleared ${r.entries.length} entr${r.entries.length === 1 ? 'y' : 'ies'}`, 'ok'));
  return blocks;
}
