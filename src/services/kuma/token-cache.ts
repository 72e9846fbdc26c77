/**
 * @module services/kuma/token-cache
 * The Uptime Kuma login token (a JWT without expiry, valid until the password changes)
 * kept between runs in `$HOMELAB_DATA_HOME/kuma/token.json` (directory 0700, file 0600),
 * keyed by server URL and username; `loginByToken` uses it instead of the password.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const cacheSchema = z.object({ url: z.string(), username: z.string(), token: z.string().min(1) });

/** Reads and writes the cached token of one server and user. */
export class KumaTokenCache {
  readonly path: string;

  constructor(dataDir: string, private readonly url: string, private readonly username: string) {
    this.path = join(dataDir, 'kuma', 'token.json');
  }

  /** The cached token, if one was saved for this server and user. */
  read(): string | undefined {
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success && parsed.data.url === this.url && parsed.data.username === this.username ? parsed.data.token : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves a token (mode 0600). */
  write(token: string): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileSync(this.path, JSON.stringify({ url: this.url, username: this.username, token }), { mode: 0o600 });
    chmodSync(this.path, 0o600);
  }

  /** Forgets the token. */
  clear(): void {
    rmSync(this.path, { force: true });
  }
}
