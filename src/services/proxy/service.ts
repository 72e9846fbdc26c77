/**
 * @module services/proxy/service
 * Nginx Proxy Manager: proxy hosts, certificates, redirects, streams, access lists, audit log.
 */
import type { ServiceModule } from '../../core/operation.js';
import { proxyAudit } from './operations-audit.js';
import { proxyCertDelete, proxyCertFor, proxyCertRequest } from './operations-certs.js';
import { proxyAdd, proxyList, proxyShow, proxyUpdate } from './operations-hosts.js';
import { proxyAccessLists, proxyCerts, proxyDeadHosts, proxyRedirects, proxyStreams } from './operations-lists.js';
import { proxyDelete, proxyDisable, proxyEnable } from './operations-state.js';

/** The proxy service module (alias `npm-api`). */
export const proxyService: ServiceModule = {
  name: 'proxy',
  aliases: ['npm-api'],
  completeFields: { host: ['proxy.host'], domain: ['proxy.host'] },
  summary: 'Nginx Proxy Manager: proxy hosts, certificates, redirects, streams',
  operations: [proxyList, proxyShow, proxyAdd, proxyUpdate, proxyEnable, proxyDisable, proxyDelete, proxyCerts, proxyCertFor, proxyCertRequest, proxyCertDelete, proxyRedirects, proxyStreams, proxyDeadHosts, proxyAccessLists, proxyAudit],
};
