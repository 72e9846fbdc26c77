/**
 * @module services/watch/resolved
 * The checks resolved against an operation's config and the operations that exist
 * (looked up through `ctx.lookup`, never the registry). Everything here is loaded on
 * first use, so the `watch` operations cost nothing at CLI start.
 */
import type { OpContext } from '../../core/operation.js';
import type { ResolvedCheck } from '../../watch/resolve.js';

/** The resolved checks and the watch time zone. */
export async function resolvedChecks(ctx: OpContext): Promise<{ resolved: ResolvedCheck[]; timezone: string | undefined }> {
  const [{ allChecks }, { watchConfig }, { resolveCheck, knownOperations }] = await Promise.all([
    import('../../watch/checks/index.js'), import('../../watch/config.js'), import('../../watch/resolve.js'),
  ]);
  const watch = watchConfig(ctx.config);
  const has = await knownOperations(ctx, allChecks);
  return { resolved: allChecks.map((c) => resolveCheck(c, ctx.config, watch, has)), timezone: watch.timezone };
}
