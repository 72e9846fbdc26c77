/**
 * @module services/watch/store
 * The watch database of a data directory, opened once per process for the operations.
 */
import { WatchStore } from '../../watch/state.js';

const stores = new Map<string, WatchStore>();

/** The shared watch store of `dataDir`. */
export function watchStoreFor(dataDir: string): WatchStore {
  let store = stores.get(dataDir);
  if (!store) {
    store = WatchStore.open(dataDir);
    stores.set(dataDir, store);
  }
  return store;
}
