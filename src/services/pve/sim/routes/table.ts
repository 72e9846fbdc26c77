/**
 * @module services/pve/sim/routes/table
 * Every route handler of the simulator, keyed by `METHOD /path/{template}`.
 */
import type { RouteTable } from '../context.js';
import { accessRoutes } from './access.js';
import { aptRoutes } from './apt.js';
import { clusterRoutes } from './cluster.js';
import { guestRoutes } from './guests.js';
import { powerRoutes } from './power.js';
import { snapshotRoutes } from './snapshots.js';
import { storageRoutes } from './storage.js';
import { taskRoutes } from './tasks.js';

/** All route handlers. */
export const routeTable: RouteTable = {
  ...clusterRoutes, ...accessRoutes, ...guestRoutes, ...powerRoutes, ...snapshotRoutes,
  ...storageRoutes, ...taskRoutes, ...aptRoutes,
};
