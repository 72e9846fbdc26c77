/**
 * @module services/telegram/operations-send
 * `telegram send [text…]`: a message to the owner chat (`telegram.owner_chat_id`).
 * Without text the CLI reads stdin. Text over Telegram's 4096-character limit goes out
 * as several messages split at line boundaries, never truncated.
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { text } from '../../core/render.js';
import { textHead } from '../../core/text-head.js';
import { telegramClientFactory } from './client.js';
import { splitText } from './split.js';
import { readStdinText } from './stdin.js';

/** JSON shape of `telegram send`. */
export interface SendResult {
  chatId: number;
  /** Ids of the messages sent (more than one when the text was split). */
  messageIds: number[];
  characters: number;
}

/** `telegram send`. */
export const telegramSend = defineOperation({
  id: 'telegram.send',
  summary: 'Send a message to the owner chat (reads stdin when no text is given)',
  args: ['text'],
  variadic: true,
  input: z.object({
    text: freeText(z.string().max(1_000_000)).optional().describe('the message; stdin when absent').meta({ stdin: true }),
  }),
  risk: 'change',
  examples: ['telegram send backup finished', 'df -h | homelab telegram send'],
  confirm: (input) => `Send ${input.text ? `"${textHead(input.text, 60)}${input.text.length > 60 ? '…' : ''}"` : 'a message'} to the owner chat`,
  async run(ctx, input): Promise<SendResult> {
    let message = input.text;
    if (message === undefined && ctx.actor.surface === 'cli') message = (await readStdinText()).replace(/\n+$/, '');
    if (!message?.trim()) throw new UsageError('nothing to send: the text is empty');
    const api = await ctx.client(telegramClientFactory);
    const chatId = api.config.owner_chat_id;
    if (chatId === undefined) throw new ConfigError(`telegram.owner_chat_id is not set in ${ctx.config.path}`, 'add telegram: { owner_chat_id: <your chat id> }');
    const messageIds: number[] = [];
    for (const chunk of splitText(message)) messageIds.push(await api.sendText(chatId, chunk, ctx.signal));
    return { chatId, messageIds, characters: message.length };
  },
  render: (r) => [text(`sent to chat ${r.chatId}${r.messageIds.length > 1 ? ` as ${r.messageIds.length} messages` : ''}`, 'ok')],
});
