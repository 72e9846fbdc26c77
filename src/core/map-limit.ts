/**
 * @module core/map-limit
 * Bounded concurrency: runs async work over a list with at most `limit` items in
 * flight, keeping order. Operations that fetch one thing per guest (configs, addresses)
 * use it so a 1,000-guest cluster is asked in parallel without opening 1,000 sockets.
 */

/** Maps `items` through `fn`, `limit` at a time; results keep the input order. The first rejection rejects the whole. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Like `mapLimit`, but never rejects: each item settles to its value or its error. */
export function settleLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  return mapLimit(items, limit, (item, i) => fn(item, i).then(
    (value): PromiseSettledResult<R> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<R> => ({ status: 'rejected', reason }),
  ));
}
