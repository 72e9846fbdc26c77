/**
 * @module services/audit/service
 * The audit log as a top-level command (`homelab audit`, `/audit`, MCP tool `audit`).
 */
import type { ServiceModule } from '../../core/operation.js';
import { auditOperation } from './operations.js';

/** The audit service module (top level: no group name). */
export const auditService: ServiceModule = {
  name: '',
  summary: 'The audit log',
  operations: [auditOperation],
  // `audit --lab <Tab>`: the labs config.yaml defines.
  completeFields: { lab: ['context'] },
};
