/**
 * @module services/setup/doctor/probes/telegram
 * Telegram: the bot token's form and `getMe` on the configured API root.
 */
import { z } from 'zod';
import { check, failed } from '../check.js';
import { probeHttp, type Probe } from './types.js';

/** The Telegram probe (the section is `telegram:` with `url` = its api_root). */
export const probeTelegram: Probe = async (input) => {
  const token = input.credentials.TELEGRAM_BOT_TOKEN ?? '';
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) {
    return [check('telegram', 'token', 'fail', 'TELEGRAM_BOT_TOKEN does not look like a bot token (123456:ABC…)', `copy the token @BotFather gave into ${input.credentialsPath}`)];
  }
  try {
    const body = await probeHttp('telegram', input, `/bot${token}`).json({ method: 'GET', path: '/getMe', signal: input.signal });
    const me = z.object({ ok: z.literal(true), result: z.looseObject({ username: z.string() }) }).safeParse(body);
    return [check('telegram', 'answers', me.success ? 'pass' : 'fail', me.success ? `bot @${me.data.result.username}` : 'unexpected answer to getMe')];
  } catch (err) {
    return [failed('telegram', 'answers', err)];
  }
};
