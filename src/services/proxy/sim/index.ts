/** @module services/proxy/sim — the Nginx Proxy Manager simulator. */
export { startProxySim, type ProxySim, type ProxySimOptions } from './server.js';
export { seededUsers, type SeededUsers } from './seed.js';
export type { NpmStore, Row } from './store.js';
