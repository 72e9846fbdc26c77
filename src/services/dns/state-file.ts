/**
 * @module services/dns/state-file
 * What the dns client remembers between runs, in `$HOMELAB_DATA_HOME/dns/state.json`
 * (mode 0600: it may hold a session token): which way the server takes the token
 * (detected once) and the session token of a user/password login. Bound to the server
 * URL and user, so a config change starts afresh. A broken file is ignored; one that cannot
 * be read or written only costs a detection or a login each run, after one warning line
 * (core/cache-file: written through a temporary file renamed over it). A session token that is
 * not header-safe is dropped from the file.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readCacheFile, writeCacheFile } from '../../core/cache-file.js';
import { isHeaderSafe } from '../../core/http/index.js';
import { registerSecret } from '../../core/redact.js';

const stateSchema = z.object({
  url: z.string(),
  user: z.string().optional(),
  apiMode: z.enum(['bearer', 'query']).optional(),
  sessionToken: z.string().optional(),
});

/** The remembered state. */
export type DnsState = z.infer<typeof stateSchema>;

/** The state file of one data directory. */
export class DnsStateFile {
  readonly path: string;

  constructor(dataDir: string, private readonly url: string, private readonly user?: string) {
    this.path = join(dataDir, 'dns', 'state.json');
  }

  /** The state for this server and user, or an empty one. */
  read(): DnsState {
    const text = readCacheFile(this.path);
    try {
      const parsed = text === undefined ? undefined : stateSchema.safeParse(JSON.parse(text));
      if (parsed?.success && parsed.data.url === this.url && parsed.data.user === this.user) {
        const { sessionToken, ...rest } = parsed.data;
        // A session token no header can carry would fail every run: dropped (and removed from the file), so the next call logs in.
        if (sessionToken !== undefined && !isHeaderSafe(sessionToken)) {
          this.write(rest);
          return rest;
        }
        registerSecret(sessionToken);
        return parsed.data;
      }
    } catch {
      // Not JSON: start afresh (a missing or unreadable file is no text).
    }
    return { url: this.url, user: this.user };
  }

  /** Writes the state (directory 0700, file 0600); never throws (core/cache-file). */
  write(state: DnsState): void {
    writeCacheFile(this.path, `${JSON.stringify({ ...state, url: this.url, user: this.user })}\n`);
  }
}
