/**
 * @module core/login-token-cache
 * A login token kept between runs in one JSON file under `$HOMELAB_DATA_HOME` (directory
 * 0700, file 0600): `{ "url": …, "<userKey>": …, "token": … }`, bound to the server URL
 * and the user it was issued to, so a config change never reuses a token meant for
 * another server or user. A missing, broken or foreign file reads as no token. It is a
 * cache (core/cache-file): one that cannot be read or written only costs a login, after one
 * warning line, and it is written through a temporary file renamed over it. A token that is
 * not header-safe (core/http/header-safe) is dropped: the file is removed.
 * The services keep their own file and user key (kuma/token-cache, beszel/token-cache).
 */
import { z } from 'zod';
import { readCacheFile, removeCacheFile, writeCacheFile } from './cache-file.js';
import { isHeaderSafe } from './http/header-safe.js';

// The user field is checked by its key (`username`, `email`), which the service names.
const cacheSchema = z.looseObject({ url: z.string(), token: z.string().min(1) });

/** Reads and writes the cached token of one server and user in one file. */
export class LoginTokenCache {
  /**
   * @param path the cache file
   * @param userKey the file's name for the user field (`username`, `email`)
   */
  constructor(readonly path: string, private readonly url: string, private readonly userKey: string, private readonly user: string) {}

  /** The cached token, if one was saved for this server and user. */
  read(): string | undefined {
    const text = readCacheFile(this.path);
    if (text === undefined) return undefined;
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(text));
      if (!parsed.success || parsed.data.url !== this.url || parsed.data[this.userKey] !== this.user) return undefined;
      // A token no header can carry would fail every run: dropped (the file removed), so the next run logs in.
      if (!isHeaderSafe(parsed.data.token)) {
        this.clear();
        return undefined;
      }
      return parsed.data.token;
    } catch {
      return undefined;
    }
  }

  /** Saves a token (mode 0600); never throws (core/cache-file). */
  write(token: string): void {
    writeCacheFile(this.path, JSON.stringify({ url: this.url, [this.userKey]: this.user, token }));
  }

  /** Forgets the token; never throws. */
  clear(): void {
    removeCacheFile(this.path);
  }
}
