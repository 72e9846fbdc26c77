/**
 * @module services/pve/factory
 * Creates the PVE client from `services.pve` in the config and the `pve/credentials`
 * file (`PVE_TOKEN_ID=user@realm!tokenid`, `PVE_TOKEN_SECRET=uuid`). The id check and the
 * header are in api-token.ts, shared with `doctor`.
 */
import { z } from 'zod';
import { httpsServiceSchema, serviceConfig } from '../../core/config.js';
import { loadCredentials } from '../../core/credentials.js';
import { ConfigError } from '../../core/errors.js';
import { HttpClient } from '../../core/http/index.js';
import type { ClientFactory } from '../../core/operation.js';
import { isPveTokenId, pveAuthHeader } from './api-token.js';
import { PveClient } from './client.js';
import { nodeNamesStore } from './node-names.js';

/** `services.pve` in config.yaml. */
export const pveConfigSchema = httpsServiceSchema.extend({
  /** Default node for node-scoped commands. */
  node: z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'must be a node name').optional(),
  /** How often task status is polled while waiting. */
  task_poll_ms: z.number().int().min(50).max(10_000).default(1000),
  /** Where `pve backup` writes by default; unset: the cluster's one PBS storage (`type: pbs` in the storage list). */
  backup_storage: z.string().regex(/^[a-z][a-z0-9._-]*[a-z0-9]$/i, 'must be a storage id like pbs').optional(),
  /** `pve backup-coverage`: a guest whose newest backup is older than this many hours is stale (as `services.pbs.stale_hours`). */
  backup_stale_hours: z.number().positive().max(24 * 366).default(26),
});

/** The PVE client factory used by every pve operation. */
export const pveClientFactory: ClientFactory<PveClient> = {
  service: 'pve',
  create({ config, env, progress }) {
    const section = serviceConfig(config, 'pve', pveConfigSchema);
    const creds = loadCredentials('pve', ['PVE_TOKEN_ID', 'PVE_TOKEN_SECRET'], undefined, env);
    const tokenId = creds.PVE_TOKEN_ID as string;
    if (!isPveTokenId(tokenId)) {
      throw new ConfigError(`PVE_TOKEN_ID in the pve credentials file must look like user@realm!tokenid (e.g. root@pam!homelab)`);
    }
    const header = pveAuthHeader(tokenId, creds.PVE_TOKEN_SECRET as string);
    const http = new HttpClient({
      service: 'pve',
      baseUrl: `${section.url.replace(/\/+$/, '')}/api2/json`,
      fingerprint: section.fingerprint,
      timeoutMs: (section.timeout_seconds ?? 15) * 1000,
      progress,
      headers: () => ({ authorization: header }),
    });
    // Node names remembered between runs: a cold run's per-node reads start beside GET /nodes.
    return new PveClient(http, section, nodeNamesStore(env, section.url));
  },
};
