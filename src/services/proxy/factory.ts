/**
 * @module services/proxy/factory
 * Creates the NPM client from `services.proxy` in the config and the `npm/credentials`
 * file (`NPM_EMAIL`, `NPM_PASSWORD`, optional `NPM_TOTP_SECRET`), with the token cache
 * in the data directory.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { baseServiceSchema, serviceConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import { ConfigError } from '../../core/errors.js';
import { HttpClient } from '../../core/http/index.js';
import type { ClientFactory } from '../../core/operation.js';
import { isHostname } from '../../core/validate.js';
import { NpmClient } from './client.js';
import { NpmSession } from './session.js';
import { TokenCache } from './token-cache.js';

/** A fully qualified host name (`proxy.home.lan`), a trailing dot allowed. */
const hostName = z.string().refine((v) => { const name = v.replace(/\.$/, ''); return name.includes('.') && isHostname(name); }, 'must be a fully qualified host name like proxy.home.lan');

/**
 * `services.proxy` in config.yaml: the section's keys are refused unless known, so it
 * declares those `expose` reads too (services/hub/expose-settings, which gives them their meaning).
 */
export const proxyConfigSchema = baseServiceSchema.extend({
  /** The proxy's DNS name: exposed names become CNAMEs to it. */
  dns_name: hostName.optional(),
  /** The proxy's address for exposed names' A records (default: the host of url). */
  address: z.string().refine((v) => isIP(v) !== 0, 'must be an IPv4 or IPv6 address').optional(),
  /** The default of `expose --dns`. */
  expose_dns: z.enum(['cname', 'a']).optional(),
});

/** The proxy client factory used by every proxy operation. */
export const proxyClientFactory: ClientFactory<NpmClient> = {
  service: 'proxy',
  create({ config, env, dataDir, progress }) {
    const section = serviceConfig(config, 'proxy', proxyConfigSchema);
    const creds = loadCredentials('npm', ['NPM_EMAIL', 'NPM_PASSWORD'], undefined, env);
    const email = (creds.NPM_EMAIL as string).trim().toLowerCase();
    if (!email.includes('@')) throw new ConfigError('NPM_EMAIL in the npm credentials file must be the account\'s email address (NPM logs in by email)');
    const url = section.url.replace(/\/+$/, '').replace(/\/api$/, '');
    const http = new HttpClient({ service: 'proxy', baseUrl: `${url}/api`, fingerprint: section.fingerprint, timeoutMs: (section.timeout_seconds ?? 15) * 1000, progress });
    const session = new NpmSession(http, { email, password: creds.NPM_PASSWORD as string, totpSecret: creds.NPM_TOTP_SECRET || undefined }, new TokenCache(dataDir, url, email));
    return new NpmClient(http, session);
  },
};
