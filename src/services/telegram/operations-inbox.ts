/**
 * @module services/telegram/operations-inbox
 * `telegram inbox [--clear]`: what allowlisted users sent the bot (text, and pointers to
 * saved photos and files). `--clear` takes the entries out atomically and returns them,
 * so whoever clears also gets everything that was cleared; a message arriving meanwhile
 * stays for the next read. Risk `read`: clearing hands every entry to the caller (a
 * consuming read, like a queue), so an assistant in read-only mode can process the inbox.
 */
import { z } from 'zod';
import { defineOperation } from '../../core/operation.js';
import { text, type Rendered } from '../../core/render.js';
import { inboxPath, readInbox, takeInbox, type InboxEntry } from './inbox.js';

/** JSON shape of `telegram inbox`. */
export interface InboxResult {
  path: string;
  cleared: boolean;
  entries: InboxEntry[];
}

/** `telegram inbox`. */
export const telegramInbox = defineOperation({
  id: 'telegram.inbox',
  summary: 'Show the messages, photos and files sent to the bot (--clear empties the inbox)',
  input: z.object({
    clear: z.boolean().default(false).describe('take the entries out of the inbox (atomic; returns them)'),
  }),
  risk: 'read',
  examples: ['telegram inbox', 'telegram inbox --clear --json'],
  async run(ctx, input): Promise<InboxResult> {
    const entries = input.clear ? await takeInbox(ctx.dataDir) : await readInbox(ctx.dataDir);
    return { path: inboxPath(ctx.dataDir), cleared: input.clear, entries };
  },
  render: renderInbox,
});

function renderInbox(r: InboxResult): Rendered {
  if (!r.entries.length) return [text(r.cleared ? 'inbox was empty' : 'inbox is empty', 'dim')];
  const blocks: Rendered = r.entries.map((e) => {
    const from = e.user.username ? `@${e.user.username}` : e.user.name;
    const file = e.file ? `[${e.kind ?? 'file'} ${e.file}]${e.text ? ' ' : ''}` : '';
    return text(`${e.time.replace('T', ' ').slice(0, 19)}  ${from}: ${file}${e.text.replace(/\n/g, '\n    ')}`);
  });
  if (r.cleared) blocks.push(text(`cleared ${r.entries.length} entr${r.entries.length === 1 ? 'y' : 'ies'}`, 'ok'));
  return blocks;
}
