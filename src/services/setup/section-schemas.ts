/**
 * @module services/setup/section-schemas
 * The schema each service loads its `services.<key>` section with (its factory's), so that
 * `doctor` and `context list` judge a section as the service's commands do: a key of the
 * service's own (`services.pve.backup_stale_hours: soon`) or a typo'd key fails there too.
 * Each is imported only when asked for.
 */
import type { z } from 'zod';
import { baseSchemaFor } from '../../core/config.js';

const loaders: Readonly<Record<string, () => Promise<z.ZodType>>> = {
  pve: async () => (await import('../pve/factory.js')).pveConfigSchema,
  pbs: async () => (await import('../pbs/factory.js')).pbsConfigSchema,
  dns: async () => (await import('../dns/factory.js')).dnsConfigSchema,
  proxy: async () => (await import('../proxy/factory.js')).proxyConfigSchema,
  beszel: async () => (await import('../beszel/factory.js')).beszelConfigSchema,
  kuma: async () => (await import('../kuma/factory.js')).kumaConfigSchema,
};

/** The schema of `services.<key>` as its service loads it; the base schema for a key no service has. */
export async function sectionSchemaOf(key: string): Promise<z.ZodType<{ url: string; fingerprint?: string; timeout_seconds?: number }>> {
  const load = loaders[key];
  return load ? load() as Promise<z.ZodType<{ url: string; fingerprint?: string; timeout_seconds?: number }>> : baseSchemaFor(key);
}
