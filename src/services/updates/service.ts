/**
 * @module services/updates/service
 * Package updates on the Proxmox nodes (PVE apt API) and on SSH targets: the original
 * `updates` helper.
 */
import type { ServiceModule } from '../../core/operation.js';
import { updatesApply } from './operation-apply.js';
import { updatesCheck } from './operation-check.js';

/** The updates service module. */
export const updatesService: ServiceModule = {
  name: 'updates',
  completeFields: { target: ['ssh.target'] },
  summary: 'Pending package updates on nodes and guests (PVE apt API + SSH); apply them',
  operations: [updatesCheck, updatesApply],
};
