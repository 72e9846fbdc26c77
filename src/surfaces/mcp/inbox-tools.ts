/**
 * @module surfaces/mcp/inbox-tools
 * Two tools of the MCP server itself (not operations): `inbox_list` reads the Telegram
 * inbox with entry ids, `inbox_mark_handled` marks entries dealt with. Marking writes
 * only our own record (see `inbox.ts`), never the bot's file or any service, so both
 * are offered in every mode, read-only included.
 *
 * `inbox_list` pages as the operation tools that list something do (`paging.ts`): it takes
 * `limit` and `offset`, and a long inbox comes a page at a time within the same caps.
 */
import { z } from 'zod';
import { toHomelabError } from '../../core/errors.js';
import { describeInputIssues } from '../../core/invoke.js';
import { redactValue } from '../../core/redact.js';
import type { ToolResult } from './call.js';
import { toolError } from './call.js';
import type { ToolDefinition } from './exposure.js';
import { listInbox, markHandled, type InboxEntry } from './inbox.js';
import { pagedAnswer, pageProperties, takePageArgs, type PageArgs } from './paging.js';

// Strict, as the operation tools: an argument a tool does not take is refused by name, never ignored.
const listFields = z.strictObject({
  pending: z.boolean().default(true).describe('only entries not yet marked handled'),
});

const markFields = z.strictObject({
  ids: z.array(z.string().regex(/^[0-9a-f]{12}$/, 'ids are 12 hex digits, as inbox_list shows them')).default([]).describe('entry ids to mark handled'),
  all: z.boolean().default(false).describe('mark every entry currently in the inbox'),
});
const markInput = markFields.refine((v) => v.all || v.ids.length > 0, { message: 'give ids, or all: true' });

// idempotentHint on the one that changes something (marking twice is marking once); the spec reads it only there.
const definition = (name: string, title: string, description: string, schema: z.ZodType, readOnly: boolean, pages = false): ToolDefinition => {
  const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  delete json.$schema;
  const properties = { ...(json.properties as Record<string, unknown>), ...(pages ? pageProperties : {}) };
  return { name, title, description, inputSchema: { ...json, type: 'object', properties, additionalProperties: false }, annotations: { title, readOnlyHint: readOnly, destructiveHint: false, ...(readOnly ? {} : { idempotentHint: true }), openWorldHint: false } };
};

/** The arguments of inbox tool `name` checked with `schema`: its input, or the tool error naming what does not fit. */
function parseArgs<T>(name: string, fields: z.ZodObject, schema: z.ZodType<T>, args: Record<string, unknown>, paged = false): { data: T } | { error: ToolResult } {
  const takes = Object.keys(fields.shape);
  const unknown = Object.keys(args).filter((key) => !takes.includes(key));
  // `context` is every tool's (taken off before this is asked); `limit` and `offset` the server's, on a tool that pages.
  const all = [...takes, ...(paged ? ['limit', 'offset'] : []), 'context'];
  if (unknown.length) return { error: toolError(`invalid arguments: ${name}: unknown argument${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; it takes ${all.join(', ')}`) };
  const input = schema.safeParse(args);
  return input.success ? { data: input.data } : { error: toolError(`invalid arguments: ${describeInputIssues(input.error)}`) };
}

/** The inbox tools' definitions. */
export const inboxTools: readonly ToolDefinition[] = [
  definition('inbox_list', 'inbox list', 'List Telegram inbox entries (messages the owner sent the bot) with their ids, oldest first; pending ones only unless pending is false', listFields, true, true),
  definition('inbox_mark_handled', 'inbox mark handled', 'Mark Telegram inbox entries as handled by id (or all); the inbox file itself is left as it is', markInput, false),
];

/**
 * One entry of `inbox_list`'s text: the attachment (and a forward's origin) before the colon and continuation
 * lines indented, as in the inbox file, so no text a user sent can pose as an entry or
 * an attachment.
 */
function entryLine(e: InboxEntry): string {
  const file = e.file ? ` [${e.kind ?? 'file'} ${e.file}]` : '';
  // Who wrote a forwarded text first, before the colon too: an agent must not take it for the sender's own words.
  const forwarded = e.forwardedFrom !== undefined ? ` [forwarded from ${e.forwardedFrom}]` : '';
  return `[${e.id}]${e.handled ? ' (handled)' : ''} ${e.time} ${e.user.name} (${e.user.id})${forwarded}${file}: ${e.text.replace(/\n/g, '\n  ')}`;
}

/** Runs an inbox tool; undefined when `name` is not one. */
export async function callInboxTool(name: string, args: Record<string, unknown>, dataDir: string): Promise<ToolResult | undefined> {
  if (name === 'inbox_list') {
    let page: PageArgs;
    let own: Record<string, unknown>;
    try {
      ({ page, args: own } = takePageArgs(args));
    } catch (err) {
      return toolError(`invalid arguments: ${toHomelabError(err).message}`);
    }
    const input = parseArgs(name, listFields, listFields, own, true);
    if ('error' in input) return input.error;
    const entries = redactValue((await listInbox(dataDir)).filter((e) => !input.data.pending || !e.handled));
    // A page drawn as the whole list is: a long inbox comes a page at a time, as `telegram_inbox` does.
    const show = (result: unknown): ToolResult => {
      const shown = (result as { entries: InboxEntry[] }).entries;
      const none = entries.length ? 'no entries on this page' : `the inbox has no${input.data.pending ? ' pending' : ''} entries`;
      return { content: [{ type: 'text', text: shown.length ? shown.map(entryLine).join('\n') : none }], structuredContent: { entries: shown } };
    };
    return pagedAnswer({ entries }, { list: 'entries', page }, show);
  }
  if (name === 'inbox_mark_handled') {
    const input = parseArgs(name, markFields, markInput, args);
    if ('error' in input) return input.error;
    const result = await markHandled(dataDir, input.data.ids, input.data.all);
    const text = `marked ${result.marked.length} handled${result.unknown.length ? `; not in the inbox: ${result.unknown.join(', ')}` : ''}; ${result.pending} pending`;
    return { content: [{ type: 'text', text }], structuredContent: { ...result } };
  }
  return undefined;
}
