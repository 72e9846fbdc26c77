/**
 * @module services/watch/store
 * The watch database of a data directory, opened once per process for the operations.
 */
import type { WatchStore } from '../../watch/state.js';

const stores = new Map<string, WatchStore>();

/** The shared watch store of `dataDir` (the store module is loaded on first use). */
export async function watchStoreFor(dataDir: string): Promise<WatchStore> {
  let store = stores.get(dataDir);
  if (!store) {
    const { WatchStore } = await import('../../watch/state.js');
    store = WatchStore.open(dataDir);
    stores.set(dataDir, store);
  }
  return store;
}
