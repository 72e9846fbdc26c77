/**
 * @module services/groups
 * The services' group names, the first word of their commands (`homelab pve …`), in the
 * catalog's order. A module that imports nothing, so that code the catalog loads (the watch's
 * checks) can tell a service's name from prose without importing the catalog, which would
 * close an import cycle through the service it is part of. The catalog's entries are typed
 * against it, and a test keeps the two the same.
 */

/** Every service group; the modules of top-level commands (`hub`, `setup`) have none. */
export const SERVICE_GROUPS = ['pve', 'dns', 'proxy', 'pbs', 'beszel', 'kuma', 'audit', 'watch', 'telegram', 'updates'] as const;

/** A service group name. */
export type ServiceGroup = (typeof SERVICE_GROUPS)[number];

/** Whether `word` names one of homelab's services. */
export function isServiceGroup(word: string): word is ServiceGroup {
  return (SERVICE_GROUPS as readonly string[]).includes(word);
}
