/**
 * @module services/watch/store
 * The watch database of a data directory, opened once per process for the operations
 * that write it; the ones that only read it open it read-only for the call.
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

/**
 * Runs `read` on the watch database of `dataDir` opened read-only for it (a read-only file or
 * folder, or a write lock another process holds, does not stop a read: watch/state-file).
 */
export async function readWatchStore<T>(dataDir: string, read: (store: WatchStore) => T | Promise<T>): Promise<T> {
  const { WatchStore } = await import('../../watch/state.js');
  const store = await WatchStore.openForReading(dataDir);
  try {
    return await read(store);
  } finally {
    store.close();
  }
}
