/** @module services/updates — package updates on Proxmox nodes (apt API) and SSH targets. */
export { updatesService } from './service.js';
export { runCheck } from './operation-check.js';
export type { ApplyResult } from './operation-apply.js';
export type { TargetReport, UpdatesReport } from './report.js';
export type { PendingPackage } from './parsers.js';
export { SshSession } from './ssh/session.js';
export { HostKeyError } from './ssh/errors.js';
export { fingerprint, lookupKnownHosts } from './ssh/known-hosts.js';
export { sessionOptions, knownHostsPath } from './targets.js';
