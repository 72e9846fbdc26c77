/**
 * @module services/telegram/shared-ids
 * The user ids Telegram puts in `from` of a message sent on behalf of a chat: shared by
 * every such sender, so never one person, never allowed (the allowlist, the bot, the
 * `telegram:` config section and `telegram users` all refuse or mark them).
 */

/**
 * User ids Telegram puts in `from` of a message sent on behalf of a chat (the real sender is
 * its `sender_chat`): every anonymous admin of every group, every channel, shares them, so
 * allowing one would let in all of them. Id → what it stands for.
 */
export const SHARED_SENDER_IDS: ReadonlyMap<number, string> = new Map([
  [1087968824, 'GroupAnonymousBot, the id of every anonymous admin of every group'],
  [136817688, 'Channel_Bot, the id of every message sent as a channel'],
  [777000, "Telegram's service account, the id of channel posts forwarded to every discussion group"],
]);

/** Why a shared id is never admitted, in one line (`id 1087968824 is GroupAnonymousBot, …, not one person`). */
export function sharedIdReason(id: number): string | undefined {
  const what = SHARED_SENDER_IDS.get(id);
  return what === undefined ? undefined : `id ${id} is ${what}, not one person`;
}
