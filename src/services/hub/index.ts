/** @module services/hub — top-level commands that span services: status (and check, expose, plan, apply). */
export { hubService } from './service.js';
export type { StatusResult } from './status.js';
export { fetchHeadline, type ServiceStatus } from './status-fetch.js';
export { headlineSources } from './headlines/sources.js';
