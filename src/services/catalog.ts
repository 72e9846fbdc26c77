/**
 * @module services/catalog
 * Every service as a name and a loader, in the order of `services/index.ts`. A one-shot
 * CLI run imports only the service module its command names (`homelab pve list` loads
 * pve and nothing of dns, kuma, …); the long-running surfaces use the eager registry of
 * `services/index.ts`. A test keeps this list and that one in step.
 */
import type { ServiceModule } from '../core/operation.js';

/** A service the CLI can load on demand. */
export interface ServiceLoader {
  /**
   * The module's folder under `services/` (`pve`, `audit`, `general`): unique, unlike the
   * group name, which is empty for every module of top-level commands.
   */
  key: string;
  /** Imports the service module. */
  load(): Promise<ServiceModule>;
}

/** Every service, loadable one at a time. */
export const serviceLoaders: readonly ServiceLoader[] = [
  { key: 'pve', load: async () => (await import('./pve/service.js')).pveService },
  { key: 'dns', load: async () => (await import('./dns/service.js')).dnsService },
  { key: 'proxy', load: async () => (await import('./proxy/service.js')).proxyService },
  { key: 'pbs', load: async () => (await import('./pbs/service.js')).pbsService },
  { key: 'beszel', load: async () => (await import('./beszel/service.js')).beszelService },
  { key: 'kuma', load: async () => (await import('./kuma/service.js')).kumaService },
  { key: 'audit', load: async () => (await import('./audit/service.js')).auditService },
  { key: 'watch', load: async () => (await import('./watch/service.js')).watchService },
  { key: 'telegram', load: async () => (await import('./telegram/service.js')).telegramService },
  { key: 'updates', load: async () => (await import('./updates/service.js')).updatesService },
  { key: 'general', load: async () => (await import('./general/service.js')).generalService },
];

/** Loads the service module in the folder `key`. */
export async function loadService(key: string): Promise<ServiceModule> {
  const loader = serviceLoaders.find((s) => s.key === key);
  if (!loader) throw new Error(`no service module ${JSON.stringify(key)}`);
  return loader.load();
}
