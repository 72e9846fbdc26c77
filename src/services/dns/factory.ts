/**
 * @module services/dns/factory
 * Creates the dns client from `services.dns` in the config (`url`, default `zone`,
 * `api: auto|bearer|query`) and the `dns/credentials` file: `DNS_TOKEN`, or
 * `DNS_USER` and `DNS_PASSWORD` for a session login.
 */
import { z } from 'zod';
import { baseServiceSchema, serviceConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import { HttpClient } from '../../core/http/index.js';
import type { ClientFactory } from '../../core/operation.js';
import { DnsClient } from './client.js';
import { isZoneName } from './names.js';
import { DnsStateFile } from './state-file.js';

/** `services.dns` in config.yaml. */
export const dnsConfigSchema = baseServiceSchema.extend({
  /** Default zone for relative names and `dns records`. */
  zone: z.string().refine(isZoneName, 'must be a zone name like home.lan').optional(),
  /** How the token is sent: `bearer` header (v15+), `query` parameter (any version), or `auto` (detect once). */
  api: z.enum(['auto', 'bearer', 'query']).default('auto'),
});

/** The dns section of the config, and where it is in the file (`services.dns`, or `contexts.<lab>.services.dns`) for hints. */
export type DnsConfig = z.infer<typeof dnsConfigSchema> & { section?: string };

/** The dns client factory used by every dns operation. */
export const dnsClientFactory: ClientFactory<DnsClient & { config: DnsConfig }> = {
  service: 'dns',
  create({ config, env, dataDir, progress }) {
    const section = serviceConfig(config, 'dns', dnsConfigSchema);
    const creds = loadCredentials('dns', [], [['DNS_TOKEN'], ['DNS_USER', 'DNS_PASSWORD']], env);
    const url = section.url.replace(/\/+$/, '');
    const http = new HttpClient({ service: 'dns', baseUrl: `${url}/api`, fingerprint: section.fingerprint, timeoutMs: (section.timeout_seconds ?? 15) * 1000, progress });
    const token = creds.DNS_TOKEN || undefined;
    const state = new DnsStateFile(dataDir, url, token ? undefined : creds.DNS_USER);
    const client = new DnsClient(http, { token, user: creds.DNS_USER, password: creds.DNS_PASSWORD }, section.api, state);
    return Object.assign(client, { config: { ...section, section: `${config.origin ?? ''}services.dns` } });
  },
};
