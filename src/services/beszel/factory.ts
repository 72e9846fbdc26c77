/**
 * @module services/beszel/factory
 * Creates the Beszel client from `services.beszel` in the config and the
 * `beszel/credentials` file (`BESZEL_EMAIL`, `BESZEL_PASSWORD`: Beszel has no API keys
 * for its REST API, so a dedicated, optionally read-only user is the way to automate).
 */
import { baseServiceSchema, serviceConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import { HttpClient } from '../../core/http/index.js';
import type { ClientFactory } from '../../core/operation.js';
import { BeszelClient } from './client.js';
import { BeszelTokenCache } from './token-cache.js';

/** `services.beszel` in config.yaml: `url` (hub, default port 8090), optional `fingerprint`, `timeout_seconds`. */
export const beszelConfigSchema = baseServiceSchema;

/** The Beszel client factory used by every beszel operation. */
export const beszelClientFactory: ClientFactory<BeszelClient> = {
  service: 'beszel',
  create({ config, env, dataDir, progress }) {
    const section = serviceConfig(config, 'beszel', beszelConfigSchema);
    const creds = loadCredentials('beszel', ['BESZEL_EMAIL', 'BESZEL_PASSWORD'], undefined, env);
    const url = section.url.replace(/\/+$/, '');
    const http = new HttpClient({
      service: 'beszel',
      baseUrl: `${url}/api`,
      fingerprint: section.fingerprint,
      timeoutMs: (section.timeout_seconds ?? 15) * 1000,
      progress,
    });
    const email = creds.BESZEL_EMAIL as string;
    return new BeszelClient({
      http, url, email, password: creds.BESZEL_PASSWORD as string, progress,
      cache: new BeszelTokenCache(dataDir, url, email),
    });
  },
};
