/**
 * @module services/pbs/sim/routes-jobs
 * Garbage collection and verify endpoints (pbs.md §6.4–6.5): GC status per store and
 * for all stores, starting GC and verify (both answer a UPID), and the verify job list.
 */
import { createHash } from 'node:crypto';
import { gcJobStatus, startGc } from './gc-state.js';
import { compact, hasPriv, lookupStore, nextDaily, type Route } from './route.js';
import { startVerify, type VerifyParams } from './verify-state.js';

/** The GC and verify routes. */
export const jobRoutes: Route[] = [
  {
    method: 'GET', path: '/admin/datastore/{store}/gc', anyPriv: ['Datastore.Audit'],
    handle: (ctx) => ({ data: gcJobStatus(ctx.state, lookupStore(ctx)) }),
  },
  {
    method: 'GET', path: '/admin/gc',
    handle: (ctx) => {
      const stores = hasPriv(ctx, 'Datastore.Audit') ? [...ctx.state.datastores.values()] : [];
      return { data: stores.filter((ds) => ctx.params.store === undefined || ds.name === ctx.params.store).map((ds) => gcJobStatus(ctx.state, ds)) };
    },
  },
  {
    method: 'POST', path: '/admin/datastore/{store}/gc', anyPriv: ['Datastore.Modify'],
    handle: (ctx) => ({ data: startGc(ctx.state, lookupStore(ctx), ctx.caller?.authId ?? 'root@pam').upid }),
  },
  {
    method: 'POST', path: '/admin/datastore/{store}/verify', anyPriv: ['Datastore.Verify', 'Datastore.Backup'],
    handle: (ctx) => ({ data: startVerify(ctx.state, lookupStore(ctx), ctx.params as VerifyParams, ctx.caller?.authId ?? 'root@pam').upid }),
  },
  {
    method: 'GET', path: '/admin/verify',
    handle: (ctx) => {
      const stores = hasPriv(ctx, 'Datastore.Audit') || hasPriv(ctx, 'Datastore.Verify') ? [...ctx.state.datastores.values()] : [];
      const data = stores.filter((ds) => ctx.params.store === undefined || ds.name === ctx.params.store).map((ds) => {
        const job = ds.verifyJob;
        const last = job.lastUpid ? ctx.state.tasks.get(job.lastUpid) : undefined;
        return compact({
          id: job.id, store: ds.name, schedule: job.schedule, 'ignore-verified': job.ignoreVerified, 'outdated-after': job.outdatedAfter,
          'next-run': nextDaily(), 'last-run-upid': last?.upid, 'last-run-state': last?.exitstatus, 'last-run-endtime': last?.endtime,
        });
      });
      const digest = createHash('sha256').update(JSON.stringify(data.map((j) => [j.id, j.store, j.schedule]))).digest('hex');
      return { data, extra: { digest } };
    },
  },
];
