/**
 * @module services/beszel/token-cache
 * The Beszel auth token kept between runs in `$HOMELAB_DATA_HOME/beszel/auth.json`
 * (directory 0700, file 0600), keyed by hub URL and email so a config change never
 * reuses a token meant for another hub or user.
 */
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const cacheSchema = z.object({ url: z.string(), email: z.string(), token: z.string().min(1) });

/** Reads and writes the cached token of one hub and user. */
export class BeszelTokenCache {
  readonly path: string;

  constructor(dataDir: string, private readonly url: string, private readonly email: string) {
    this.path = join(dataDir, 'beszel', 'auth.json');
  }

  /** The cached token, if one was saved for this hub and user. */
  read(): string | undefined {
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success && parsed.data.url === this.url && parsed.data.email === this.email ? parsed.data.token : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves a token (mode 0600). */
  write(token: string): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileSync(this.path, JSON.stringify({ url: this.url, email: this.email, token }), { mode: 0o600 });
    chmodSync(this.path, 0o600);
  }

  /** Forgets the token. */
  clear(): void {
    rmSync(this.path, { force: true });
  }
}
