/**
 * @module services/pve/sim/routes/table
 * Every route handler of the simulator, keyed by `METHOD /path/{template}`.
 */
import type { RouteTable } from '../context.js';
import { accessRoutes } from './access.js';
import { addressRoutes } from './addresses.js';
import { aptRoutes } from './apt.js';
import { cloneRoutes } from './clone.js';
import { clusterRoutes } from './cluster.js';
import { configSetRoutes } from './config-set.js';
import { createRoutes } from './create-ct.js';
import { guestRoutes } from './guests.js';
import { powerRoutes } from './power.js';
import { snapshotRoutes } from './snapshots.js';
import { storageRoutes } from './storage.js';
import { taskRoutes } from './tasks.js';
import { templateRoutes } from './templates.js';
import { backupJobRoutes } from './backup-jobs.js';
import { destroyRoutes } from './destroy.js';
import { migrateRoutes } from './migrate.js';
import { networkRoutes } from './network.js';
import { restoreRoutes } from './restore.js';
import { rrdRoutes } from './rrddata.js';
import { vzdumpRoutes } from './vzdump.js';

/** All route handlers. */
export const routeTable: RouteTable = {
  ...clusterRoutes, ...accessRoutes, ...guestRoutes, ...powerRoutes, ...snapshotRoutes,
  ...storageRoutes, ...taskRoutes, ...aptRoutes, ...rrdRoutes, ...networkRoutes,
  // Guest lifecycle, part A: next id, create, clone, config, resize, addresses, templates.
  ...createRoutes, ...cloneRoutes, ...configSetRoutes, ...addressRoutes, ...templateRoutes,
  // Part B: backups, backup jobs, migration, destroy; restore last, as its
  // `POST /nodes/{node}/lxc` hands a non-restore call to create-ct's handler.
  ...vzdumpRoutes, ...backupJobRoutes, ...migrateRoutes, ...destroyRoutes, ...restoreRoutes,
};
