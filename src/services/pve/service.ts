/**
 * @module services/pve
 * Proxmox VE: guests, power, snapshots, nodes, storage, tasks.
 */
import type { ServiceModule } from '../../core/operation.js';
import { pveNodes, pveStorage, pveTasks } from './operations-cluster.js';
import { pveConfig, pveList, pveStatus } from './operations-guests.js';
import { powerOperations } from './operations-power.js';
import { pveDelsnapshot, pveRollback, pveSnapshot, pveSnapshots } from './operations-snapshots.js';




/** The pve service module. */
export const pveService: ServiceModule = {
  name: 'pve',
  summary: 'Proxmox VE: guests, power, snapshots, nodes, storage, tasks',
  operations: [pveList, pveStatus, ...powerOperations, pveSnapshots, pveSnapshot, pveRollback, pveDelsnapshot, pveConfig, pveNodes, pveStorage, pveTasks],
};
