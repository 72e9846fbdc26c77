/** @module services/proxy — Nginx Proxy Manager: proxy hosts, certificates, redirects, streams. */
export { proxyService } from './service.js';
export { NpmClient, type ProxyHostBody } from './client.js';
export { NpmSession, type NpmLogin } from './session.js';
export { proxyClientFactory, proxyConfigSchema } from './factory.js';
