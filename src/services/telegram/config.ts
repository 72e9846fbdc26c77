/**
 * @module services/telegram/config
 * The `telegram:` section of config.yaml, shared by the bot and the `telegram` helper:
 * where the Bot API lives, who may use the bot, the owner's chat, time limits and the
 * size limit for saved media. Unknown keys are refused so typos surface, naming the known
 * key a typo is close to (`core/config-keys`).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssues, type HomelabConfig } from '../../core/config.js';
import { unknownKeys } from '../../core/config-keys.js';
import { ConfigError } from '../../core/errors.js';
import { SHARED_SENDER_IDS, sharedIdReason } from './shared-ids.js';

/** `telegram:` in config.yaml. */
export const telegramConfigSchema = z.strictObject({
  /** Bot API root; an emulator in tests. */
  api_root: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('https://api.telegram.org'),
  /** Chat that `telegram send` writes to and that hears about strangers. */
  owner_chat_id: z.number().int().optional(),
  /**
   * Telegram user ids allowed to use the bot (plus `<data>/telegram/authorized_users`); an id
   * Telegram shares between chats' senders is refused (it would never be admitted).
   */
  allowed_users: z.array(z.number().int().positive().refine((id) => !SHARED_SENDER_IDS.has(id), {
    error: (issue) => `${sharedIdReason(issue.input as number) ?? 'a shared id'}: it is never admitted; remove it`,
  })).default([]),
  /** Default time limit of one bot command, in seconds. */
  timeout_seconds: z.number().positive().max(86_400).default(30),
  /** Per-operation time limits in seconds, by operation id (`pve.start: 600`). */
  operation_timeouts: z.record(z.string(), z.number().positive().max(86_400)).default({}),
  /** Largest photo or document the bot saves, in MB (the Bot API serves at most 20). */
  max_file_mb: z.number().positive().max(2000).default(20),
}, { error: unknownKeys });

/** A validated `telegram:` section. */
export type TelegramConfig = z.infer<typeof telegramConfigSchema>;

/** Validates the `telegram:` section (absent means all defaults). */
export function telegramConfig(config: HomelabConfig): TelegramConfig {
  const parsed = telegramConfigSchema.safeParse(config.telegram ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, 'telegram', parsed.error));
  return parsed.data;
}

/** `<data>/telegram`: the inbox, media and the authorised-users file. */
export function telegramDataDir(dataDir: string): string {
  return join(dataDir, 'telegram');
}

/**
 * The time limit of one command on Telegram: the per-operation override in config,
 * else the operation's own `timeoutMs`, else `timeout_seconds`.
 */
export function commandTimeoutMs(tg: TelegramConfig, opId: string, opTimeoutMs: number | undefined): number {
  const override = tg.operation_timeouts[opId];
  if (override !== undefined) return override * 1000;
  return opTimeoutMs ?? tg.timeout_seconds * 1000;
}
