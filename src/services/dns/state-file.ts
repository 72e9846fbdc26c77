/**
 * @module services/dns/state-file
 * What the dns client remembers between runs, in `$HOMELAB_DATA_HOME/dns/state.json`
 * (mode 0600: it may hold a session token): which way the server takes the token
 * (detected once) and the session token of a user/password login. Bound to the server
 * URL and user, so a config change starts afresh. A broken file is ignored.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
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

  constructor(private readonly dataDir: string, private readonly url: string, private readonly user?: string) {
    this.path = join(dataDir, 'dns', 'state.json');
  }

  /** The state for this server and user, or an empty one. */
  read(): DnsState {
    try {
      const parsed = stateSchema.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      if (parsed.success && parsed.data.url === this.url && parsed.data.user === this.user) {
        registerSecret(parsed.data.sessionToken);
        return parsed.data;
      }
    } catch {
      // Missing or unreadable: start afresh.
    }
    return { url: this.url, user: this.user };
  }

  /** Writes the state (directory 0700, file 0600). */
  write(state: DnsState): void {
    mkdirSync(join(this.dataDir, 'dns'), { recursive: true, mode: 0o700 });
    writeFileSync(this.path, `${JSON.stringify({ ...state, url: this.url, user: this.user })}\n`, { mode: 0o600 });
    chmodSync(this.path, 0o600);
  }
}
