/**
 * @module services/telegram/operations-users
 * `telegram users|allow|deny`: who may use the bot. `allow` and `deny` edit
 * `<data>/telegram/authorized_users`; ids in config.yaml (`telegram.allowed_users`)
 * are listed too but can only be removed there. The bot is one bot for every context
 * (lab), so its allowlist is in the shared data directory, whichever context is chosen.
 */
import { z } from 'zod';
import { OperationError } from '../../core/errors.js';
import { dataHome } from '../../core/paths.js';
import { defineOperation } from '../../core/operation.js';
import { table, text } from '../../core/render.js';
import { allowUser, authorizedUsersFile, denyUser, readAuthorizedUsers } from './allowlist.js';
import { SHARED_SENDER_IDS, sharedIdReason } from './shared-ids.js';
import { telegramConfig } from './config.js';

const userId = z
  .number({ error: 'id must be a Telegram user id (a positive integer)' })
  .int('id must be a Telegram user id (a positive integer)')
  .positive('id must be a Telegram user id (a positive integer)')
  .max(Number.MAX_SAFE_INTEGER)
  .describe('Telegram user id');

/** One allowed user. */
export interface AllowedUser {
  id: number;
  /** Where the id is listed. */
  sources: ('config' | 'file')[];
  owner: boolean;
  /** Set for an id Telegram shares between chats' senders (listed, but never admitted): why, in one line. */
  neverAdmitted?: string;
}

/** JSON shape of `telegram users`. */
export interface UsersResult {
  file: string;
  users: AllowedUser[];
}

/** `telegram users`. */
export const telegramUsers = defineOperation({
  id: 'telegram.users',
  summary: 'List the Telegram users allowed to use the bot',
  input: z.object({}),
  risk: 'read',
  examples: ['telegram users', 'telegram users --json'],
  pages: 'users',
  async run(ctx): Promise<UsersResult> {
    const tg = telegramConfig(ctx.config);
    const fromFile = readAuthorizedUsers(dataHome(ctx.env), ctx.env);
    const ids = [...new Set([...tg.allowed_users, ...fromFile])];
    const users = ids.map((id): AllowedUser => {
      const shared = sharedIdReason(id);
      return {
        id,
        sources: [...(tg.allowed_users.includes(id) ? (['config'] as const) : []), ...(fromFile.includes(id) ? (['file'] as const) : [])],
        owner: tg.owner_chat_id === id,
        ...(shared === undefined ? {} : { neverAdmitted: shared }),
      };
    });
    return { file: authorizedUsersFile(dataHome(ctx.env)), users };
  },
  render: (r) => [table(['id>', 'listed in', 'owner', 'note'], r.users.map((u) => [u.id, u.sources.join(', '), u.owner ? 'yes' : '', u.neverAdmitted ? 'never admitted: a shared Telegram id' : '']), { empty: 'nobody is allowed yet: homelab telegram allow <id>' })],
});

/** JSON shape of `telegram allow` and `telegram deny`. */
export interface AllowResult {
  id: number;
  /** Whether the file changed. */
  changed: boolean;
  file: string;
}

/** An id `telegram allow` takes: a user's own, never one Telegram shares between chats' senders. */
const personId = userId.refine((id) => !SHARED_SENDER_IDS.has(id), {
  error: (issue) => `id ${String(issue.input)} is ${SHARED_SENDER_IDS.get(issue.input as number) ?? 'shared'}, not one person: it cannot be allowed`,
});

/** `telegram allow <id>`. */
export const telegramAllow = defineOperation({
  id: 'telegram.allow',
  summary: 'Allow a Telegram user id to use the bot',
  args: ['id'],
  input: z.object({ id: personId }),
  risk: 'change',
  surfaces: ['cli'],
  examples: ['telegram allow 123456789'],
  confirm: (input) => `Allow Telegram user ${input.id} to use the bot`,
  async run(ctx, input): Promise<AllowResult> {
    const changed = await allowUser(dataHome(ctx.env), input.id, ctx.env);
    return { id: input.id, changed, file: authorizedUsersFile(dataHome(ctx.env)) };
  },
  render: (r) => [text(r.changed ? `user ${r.id} may now use the bot` : `user ${r.id} was already allowed`, 'ok')],
});

/** `telegram deny <id>`. */
export const telegramDeny = defineOperation({
  id: 'telegram.deny',
  summary: 'Remove a Telegram user id from the allowlist',
  args: ['id'],
  input: z.object({ id: userId }),
  risk: 'change',
  surfaces: ['cli'],
  examples: ['telegram deny 123456789'],
  confirm: (input) => `Remove Telegram user ${input.id} from the allowlist`,
  async run(ctx, input): Promise<AllowResult> {
    if (telegramConfig(ctx.config).allowed_users.includes(input.id)) {
      throw new OperationError(`user ${input.id} is listed in ${ctx.config.path} (telegram.allowed_users)`, 'remove it there and restart the bot');
    }
    const changed = await denyUser(dataHome(ctx.env), input.id, ctx.env);
    return { id: input.id, changed, file: authorizedUsersFile(dataHome(ctx.env)) };
  },
  render: (r) => [text(r.changed ? `user ${r.id} may no longer use the bot` : `user ${r.id} was not in ${r.file}`, r.changed ? 'ok' : 'dim')],
});
