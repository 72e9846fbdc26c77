/**
 * @module services
 * The one explicit list of services. The registry, and through it every surface,
 * knows exactly what is here.
 */
import { Registry } from '../core/registry.js';
import type { ServiceModule } from '../core/operation.js';
import { pveService } from './pve/index.js';
import { dnsService } from './dns/index.js';
import { proxyService } from './proxy/index.js';
import { pbsService } from './pbs/index.js';
import { beszelService } from './beszel/index.js';
import { kumaService } from './kuma/index.js';
import { auditService } from './audit/index.js';
import { watchService } from './watch/index.js';
import { telegramService } from './telegram/index.js';
import { updatesService } from './updates/index.js';
import { hubService } from './hub/index.js';
import { setupService } from './setup/index.js';

/** Every service module, in the order help lists them. */
export const serviceModules: readonly ServiceModule[] = [pveService, dnsService, proxyService, pbsService, beszelService, kumaService, auditService, watchService, telegramService, updatesService, hubService, setupService];

let registry: Registry | undefined;

/** The registry of every operation (built once). */
export function getRegistry(): Registry {
  registry ??= new Registry(serviceModules);
  return registry;
}
