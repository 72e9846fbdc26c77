/**
 * @module services/pbs/service
 * Proxmox Backup Server: backup health, snapshots, garbage collection, verify, tasks.
 */
import type { ServiceModule } from '../../core/operation.js';
import { pbsGc, pbsVerify } from './operations-jobs.js';
import { pbsSnapshots } from './operations-snapshots.js';
import { pbsStatus } from './operations-status.js';
import { pbsTasks } from './operations-tasks.js';
import { pbsUsage } from './operations-usage.js';

/** The pbs service module. */
export const pbsService: ServiceModule = {
  name: 'pbs',
  summary: 'Proxmox Backup Server: are backups OK, snapshots, GC, verify, tasks',
  operations: [pbsStatus, pbsUsage, pbsSnapshots, pbsGc, pbsVerify, pbsTasks],
};
