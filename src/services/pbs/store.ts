/**
 * @module services/pbs/store
 * Which datastore a command means: `--store`, else `services.pbs.datastore`, else the
 * only datastore the token can see (several: ask for `--store`).
 */
import { UsageError } from '../../core/errors.js';
import type { PbsClient } from './client.js';

/** The datastore to use. */
export async function resolveStore(client: PbsClient, store: string | undefined, signal?: AbortSignal): Promise<string> {
  if (store) return store;
  if (client.settings.datastore) return client.settings.datastore;
  const all = await client.datastores(signal);
  if (all.length === 1) return (all[0] as { store: string }).store;
  if (all.length === 0) throw new UsageError('this PBS token sees no datastore', 'grant it Datastore.Audit on /datastore/<store>');
  throw new UsageError(`several datastores (${all.map((d) => d.store).join(', ')}): pass --store`, 'or set services.pbs.datastore in config.yaml');
}
