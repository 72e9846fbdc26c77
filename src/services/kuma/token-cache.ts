/**
 * @module services/kuma/token-cache
 * The Uptime Kuma login token (a JWT without expiry, valid until the password changes)
 * kept between runs in `$HOMELAB_DATA_HOME/kuma/token.json` (directory 0700, file 0600),
 * keyed by server URL and username; `loginByToken` uses it instead of the password.
 */
import { join } from 'node:path';
import { LoginTokenCache } from '../../core/login-token-cache.js';

/** Reads and writes the cached token of one server and user. */
export class KumaTokenCache extends LoginTokenCache {
  constructor(dataDir: string, url: string, username: string) {
    super(join(dataDir, 'kuma', 'token.json'), url, 'username', username);
  }
}
