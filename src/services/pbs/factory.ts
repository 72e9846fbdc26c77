/**
 * @module services/pbs/factory
 * Creates the PBS client from `services.pbs` in the config and the `pbs/credentials`
 * file (`PBS_TOKEN_ID=user@realm!tokenid`, `PBS_TOKEN_SECRET=…`). The id check and the
 * header (`PBSAPIToken=USER@REALM!TOKENID:SECRET`) are in api-token.ts, shared with `doctor`.
 */
import { z } from 'zod';
import { httpsServiceSchema, serviceConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import { ConfigError } from '../../core/errors.js';
import { HttpClient } from '../../core/http/index.js';
import type { ClientFactory } from '../../core/operation.js';
import { isPbsTokenId, pbsAuthHeader } from './api-token.js';
import { PbsClient } from './client.js';
import { storeSchema } from './inputs.js';

/** `services.pbs` in config.yaml. */
export const pbsConfigSchema = httpsServiceSchema.extend({
  /** Default datastore of gc, verify and snapshots. */
  datastore: storeSchema.optional(),
  /** A backup group whose last snapshot is older than this is stale. */
  stale_hours: z.number().positive().max(24 * 365).default(26),
  /** How often task status is polled while waiting. */
  task_poll_ms: z.number().int().min(50).max(10_000).default(1000),
});

/** The PBS section of the config. */
export type PbsConfig = z.infer<typeof pbsConfigSchema>;

export { pbsAuthHeader } from './api-token.js';

/** The PBS client factory used by every pbs operation. */
export const pbsClientFactory: ClientFactory<PbsClient> = {
  service: 'pbs',
  create({ config, env, progress }) {
    const section = serviceConfig(config, 'pbs', pbsConfigSchema);
    const creds = loadCredentials('pbs', ['PBS_TOKEN_ID', 'PBS_TOKEN_SECRET'], undefined, env);
    const tokenId = creds.PBS_TOKEN_ID as string;
    if (!isPbsTokenId(tokenId)) {
      throw new ConfigError('PBS_TOKEN_ID in the pbs credentials file must look like user@realm!tokenid (e.g. root@pam!homelab)');
    }
    const header = pbsAuthHeader(tokenId, creds.PBS_TOKEN_SECRET as string);
    const http = new HttpClient({
      service: 'pbs',
      baseUrl: `${section.url.replace(/\/+$/, '')}/api2/json`,
      fingerprint: section.fingerprint,
      timeoutMs: (section.timeout_seconds ?? 15) * 1000,
      progress,
      headers: () => ({ authorization: header }),
    });
    return new PbsClient(http, section);
  },
};
