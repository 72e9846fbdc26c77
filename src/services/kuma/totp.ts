/**
 * @module services/kuma/totp
 * The 2FA code for a Kuma login that answered `tokenRequired`: generated from
 * `KUMA_TOTP_SECRET` (base32, SHA-1, 6 digits, 30 s; `otpauth` imported lazily) when the
 * credentials have it, else asked for through the surface's prompt, else a clear error.
 */
import { ConfigError, UsageError } from '../../core/errors.js';

/** Where a code can come from. */
export interface TotpSources {
  totpSecret?: string;
  prompt?: (question: string, options?: { secret?: boolean }) => Promise<string>;
}

/**
 * A current 6-digit code; with `stepsAhead` and a secret, the code of a later 30 s step
 * (Kuma accepts the steps either side of the current one: `window: 1`).
 */
export async function totpCode(sources: TotpSources, stepsAhead = 0): Promise<string> {
  if (sources.totpSecret) {
    const { TOTP, Secret } = await import('otpauth');
    let secret: InstanceType<typeof Secret>;
    try {
      secret = Secret.fromBase32(sources.totpSecret.replace(/\s+/g, '').toUpperCase());
    } catch {
      throw new ConfigError('KUMA_TOTP_SECRET in the kuma credentials file is not a base32 secret');
    }
    return new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + stepsAhead * 30_000 });
  }
  if (sources.prompt) {
    const code = (await sources.prompt('Uptime Kuma 2FA code:')).trim();
    if (!/^\d{6}$/.test(code)) throw new UsageError('a 2FA code is 6 digits');
    return code;
  }
  throw new ConfigError('2FA is on for the Uptime Kuma user and there is no way to get a code here',
    'add KUMA_TOTP_SECRET (the base32 secret) to the kuma credentials file, or run the command in a terminal to type the code');
}
