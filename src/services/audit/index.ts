/** @module services/audit — the top-level `audit` command: the audit log. */
export { auditService } from './service.js';
export { auditOperation } from './operations.js';
