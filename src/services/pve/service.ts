/**
 * @module services/pve/service
 * Proxmox VE: guests, power, snapshots, nodes, storage, tasks.
 */
import type { ServiceModule } from '../../core/operation.js';
import { pveNodes, pveStorage, pveTasks } from './operations-cluster.js';
import { pveNodeHistory } from './operations-history.js';
import { pveConfig, pveList, pveStatus } from './operations-guests.js';
import { powerOperations } from './operations-power.js';
import { pveDelsnapshot, pveRollback, pveSnapshot, pveSnapshots } from './operations-snapshots.js';
import { pveResize, pveSet } from './operations-config.js';
import { pveClone } from './operations-create.js';
import { pveCreateCt } from './operations-create-ct.js';
import { pveIp } from './operations-ip.js';
import { pveAppliances, pveDownloadTemplate, pveNextId, pveTemplates } from './operations-templates.js';

import { pveBackup, pveBackups } from './operations-backup.js';
import { pveBackupCoverage } from './operations-coverage.js';
import { pveCluster } from './operations-cluster-status.js';
import { pveConfigs } from './operations-configs.js';
import { pveDestroy } from './operations-destroy.js';
import { pveMigrate } from './operations-migrate.js';
import { pveRestore } from './operations-restore.js';

/** The pve service module. */
export const pveService: ServiceModule = {
  name: 'pve',
  completeFields: { vmid: ['pve.guest'], node: ['pve.node'], target: ['pve.node'] },
  summary: 'Proxmox VE: guests, power, snapshots, nodes, storage, tasks',
  operations: [pveList, pveStatus, ...powerOperations, pveSnapshots, pveSnapshot, pveRollback, pveDelsnapshot, pveConfig, pveNodes, pveNodeHistory, pveStorage, pveTasks,
    pveNextId, pveTemplates, pveAppliances, pveDownloadTemplate, pveClone, pveCreateCt, pveSet, pveResize, pveIp,
    pveMigrate, pveBackup, pveBackups, pveRestore, pveDestroy, pveBackupCoverage,
    pveConfigs, pveCluster],
};
