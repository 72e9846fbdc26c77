/**
 * @module services/catalog
 * Every service as a name and a loader, in the order of `services/index.ts`. A one-shot
 * CLI run imports only the service module its command names (`homelab pve list` loads
 * pve and nothing of dns, kuma, …); the long-running surfaces use the eager registry of
 * `services/index.ts`. A test keeps this list and that one in step.
 *
 * `catalogOperations` is the default operation source of `OpContext.invoke`: an id's first
 * segment names the group (`pve.list` → the `pve` module); a one-segment id (`status`) is
 * looked for in the modules of top-level commands (`hub`, `setup`).
 */
import type { AnyOperation, OperationSource, ServiceModule } from '../core/operation.js';
import type { ServiceGroup } from './groups.js';

/** A service the CLI can load on demand. */
export interface ServiceLoader {
  /**
   * The module's folder under `services/` (`pve`, `audit`, `setup`): unique, unlike the
   * group name, which is empty for every module of top-level commands.
   */
  key: string;
  /** The module's group name (`ServiceModule.name`, one of services/groups): empty for top-level commands. */
  group: ServiceGroup | '';
  /** Imports the service module. */
  load(): Promise<ServiceModule>;
  /**
   * The module's operation files, each importable alone (a large module only): a one-shot
   * CLI run then initialises the one file that defines its command, not the whole module.
   * The command index records which part defines each operation (`IndexedOperation.part`).
   */
  parts?(): Promise<readonly OperationPart[]>;
}

/** Imports one file of a service module; its exports include some of the module's operations. */
export type OperationPart = () => Promise<Record<string, unknown>>;

/** The values a part exports, arrays of operations (`powerOperations`) flattened. */
export function exportedValues(namespace: Record<string, unknown>): unknown[] {
  return Object.values(namespace).flatMap((value) => (Array.isArray(value) ? (value as unknown[]) : [value]));
}

/** Every service, loadable one at a time. */
export const serviceLoaders: readonly ServiceLoader[] = [
  { key: 'pve', group: 'pve', load: async () => (await import('./pve/service.js')).pveService, parts: async () => (await import('./pve/parts.js')).pveParts },
  { key: 'dns', group: 'dns', load: async () => (await import('./dns/service.js')).dnsService },
  { key: 'proxy', group: 'proxy', load: async () => (await import('./proxy/service.js')).proxyService },
  { key: 'pbs', group: 'pbs', load: async () => (await import('./pbs/service.js')).pbsService },
  { key: 'beszel', group: 'beszel', load: async () => (await import('./beszel/service.js')).beszelService },
  { key: 'kuma', group: 'kuma', load: async () => (await import('./kuma/service.js')).kumaService },
  { key: 'audit', group: 'audit', load: async () => (await import('./audit/service.js')).auditService },
  { key: 'watch', group: 'watch', load: async () => (await import('./watch/service.js')).watchService },
  { key: 'telegram', group: 'telegram', load: async () => (await import('./telegram/service.js')).telegramService },
  { key: 'updates', group: 'updates', load: async () => (await import('./updates/service.js')).updatesService },
  { key: 'hub', group: '', load: async () => (await import('./hub/service.js')).hubService },
  { key: 'setup', group: '', load: async () => (await import('./setup/service.js')).setupService },
];

/** Loads the service module in the folder `key`. */
export async function loadService(key: string): Promise<ServiceModule> {
  const loader = serviceLoaders.find((s) => s.key === key);
  if (!loader) throw new Error(`no service module ${JSON.stringify(key)}`);
  return loader.load();
}

/**
 * The operation `id` from part `part` of the module in folder `key`, when that part exports
 * it; undefined otherwise (the caller then loads the whole module).
 */
export async function loadFromPart(key: string, part: number, id: string): Promise<AnyOperation | undefined> {
  const load = (await serviceLoaders.find((s) => s.key === key)?.parts?.())?.[part];
  if (!load) return undefined;
  return exportedValues(await load()).find((v): v is AnyOperation => typeof v === 'object' && v !== null && (v as { id?: unknown }).id === id && typeof (v as { run?: unknown }).run === 'function');
}

/** The group an operation id belongs to: its first segment, or '' for a top-level command. */
function groupOf(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? '' : id.slice(0, dot);
}

/** Finds an operation by id, importing only the modules of its group. */
export const catalogOperations: OperationSource = {
  async find(id: string): Promise<AnyOperation | undefined> {
    const group = groupOf(id);
    for (const loader of serviceLoaders) {
      if (loader.group !== group) continue;
      const op = (await loader.load()).operations.find((o) => o.id === id);
      if (op) return op;
    }
    return undefined;
  },
};
