/**
 * @module services/kuma/factory
 * Creates the Kuma client from `services.kuma` in the config and the `kuma/credentials`
 * file: `KUMA_API_KEY` for the read-only `/metrics`, `KUMA_USERNAME` and `KUMA_PASSWORD`
 * for management over Socket.IO, optional `KUMA_TOTP_SECRET` when 2FA is on.
 */
import { baseServiceSchema, serviceConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import type { ClientFactory } from '../../core/operation.js';
import { KumaClient } from './client.js';
import { KumaTokenCache } from './token-cache.js';

/** `services.kuma` in config.yaml: `url` (default port 3001), optional `fingerprint`, `timeout_seconds` (per call, default 10). */
export const kumaConfigSchema = baseServiceSchema;

/** The Kuma client factory used by every kuma operation. */
export const kumaClientFactory: ClientFactory<KumaClient> = {
  service: 'kuma',
  create({ config, env, dataDir, progress, prompt }) {
    const section = serviceConfig(config, 'kuma', kumaConfigSchema);
    const creds = loadCredentials('kuma', [], [['KUMA_API_KEY'], ['KUMA_USERNAME', 'KUMA_PASSWORD']], env);
    const url = section.url.replace(/\/+$/, '');
    const username = creds.KUMA_USERNAME || undefined;
    return new KumaClient({
      url, fingerprint: section.fingerprint, timeoutMs: (section.timeout_seconds ?? 10) * 1000,
      apiKey: creds.KUMA_API_KEY || undefined, username, password: creds.KUMA_PASSWORD || undefined,
      totpSecret: creds.KUMA_TOTP_SECRET || undefined, prompt, progress,
      tokens: new KumaTokenCache(dataDir, url, username ?? ''),
    });
  },
};
