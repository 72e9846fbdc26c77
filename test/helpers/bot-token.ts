/**
 * The Telegram bot token as a lab's credentials file (`<config home>/telegram/credentials`,
 * 0600 whatever the umask), for tests that run the bot or the watch notifier against the
 * Telegram simulator.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes `TELEGRAM_BOT_TOKEN=<token>` into `configHome`'s telegram credentials file, mode 0600. */
export function writeBotToken(configHome: string, token: string): void {
  const dir = join(configHome, 'telegram');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'credentials'), `TELEGRAM_BOT_TOKEN=${token}\n`, { mode: 0o600 });
  chmodSync(join(dir, 'credentials'), 0o600);
}
