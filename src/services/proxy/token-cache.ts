/**
 * @module services/proxy/token-cache
 * The NPM token kept between runs in `$HOMELAB_DATA_HOME/npm/token.json` (directory
 * 0700, file 0600), bound to the server URL and the account, so each CLI call does not
 * log in again. A missing, broken or foreign file is simply ignored; one that cannot be read
 * or written only costs a login, after one warning line (core/cache-file: written through a
 * temporary file renamed over it). A cached token that is not header-safe is dropped (removed).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readCacheFile, removeCacheFile, writeCacheFile } from '../../core/cache-file.js';
import { isHeaderSafe } from '../../core/http/index.js';
import { registerSecret } from '../../core/redact.js';

const cachedSchema = z.object({ url: z.string(), email: z.string(), token: z.string(), expires: z.string() });

/** A cached token. */
export interface CachedToken {
  token: string;
  /** ISO-8601 expiry as the server gave it. */
  expires: string;
}

/** The token cache of one data directory, server and account. */
export class TokenCache {
  readonly path: string;

  constructor(dataDir: string, private readonly url: string, private readonly email: string) {
    this.path = join(dataDir, 'npm', 'token.json');
  }

  /** The cached token for this server and account, if any. */
  read(): CachedToken | undefined {
    const text = readCacheFile(this.path);
    if (text === undefined) return undefined;
    try {
      const parsed = cachedSchema.safeParse(JSON.parse(text));
      if (!parsed.success || parsed.data.url !== this.url || parsed.data.email !== this.email) return undefined;
      // A token no header can carry would fail every run: dropped, so the next call logs in afresh.
      if (!isHeaderSafe(parsed.data.token)) {
        this.clear();
        return undefined;
      }
      registerSecret(parsed.data.token);
      return { token: parsed.data.token, expires: parsed.data.expires };
    } catch {
      return undefined;
    }
  }

  /** Stores a token; never throws (core/cache-file). */
  write(token: CachedToken): void {
    writeCacheFile(this.path, `${JSON.stringify({ url: this.url, email: this.email, ...token })}\n`);
  }

  /** Forgets the token (the server refused it); never throws. */
  clear(): void {
    removeCacheFile(this.path);
  }
}
