/**
 * @module services/beszel/token-cache
 * The Beszel auth token kept between runs in `$HOMELAB_DATA_HOME/beszel/auth.json`
 * (directory 0700, file 0600), keyed by hub URL and email so a config change never
 * reuses a token meant for another hub or user.
 */
import { join } from 'node:path';
import { LoginTokenCache } from '../../core/login-token-cache.js';

/** Reads and writes the cached token of one hub and user. */
export class BeszelTokenCache extends LoginTokenCache {
  constructor(dataDir: string, url: string, email: string) {
    super(join(dataDir, 'beszel', 'auth.json'), url, 'email', email);
  }
}
