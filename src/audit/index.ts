/** @module audit — the audit log: SQLite store and the invoke hook every surface installs. */
export { AuditStore, auditFile, type AuditEntry, type AuditOutcome, type AuditQuery } from './store.js';
export { createAuditHook, installAuditHook, cachedStore } from './hook.js';
export { openSqlite, type SqliteDatabase } from './sqlite.js';
