/**
 * @module services/watch/store
 * The watch database of a data directory, opened once per process for the operations.
 */
import type { WatchStore } from '../../watch/state.js';

const stores = new Map<string, Promise<WatchStore>>();

/** The shared watch store of `dataDir` (the store module is loaded on first use; one that failed to open is tried again next time). */
export function watchStoreFor(dataDir: string): Promise<WatchStore> {
  let store = stores.get(dataDir);
  if (!store) {
    store = import('../../watch/state.js').then(({ WatchStore }) => WatchStore.open(dataDir));
    stores.set(dataDir, store);
    store.catch(() => stores.delete(dataDir));
  }
  return store;
}
