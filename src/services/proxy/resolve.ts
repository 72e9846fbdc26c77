/**
 * @module services/proxy/resolve
 * Finds the proxy host a user named by id or by one of its domains.
 */
import { NotFoundError } from '../../core/errors.js';
import type { NpmClient } from './client.js';
import type { NpmProxyHost } from './schemas.js';

/** No proxy host with the id or domain named (exit 1); the hint is the command that lists them, which each surface words its way (the lab named in another one). */
export class NoSuchProxyHost extends NotFoundError {
  override readonly hint = 'homelab proxy list shows them';
  constructor(what: string) {
    super('proxy', 404, `no proxy host ${what}`);
  }
}

/** The proxy host with this id or domain; NoSuchProxyHost (exit 1) when there is none. */
export async function resolveHost(client: NpmClient, ref: string, signal?: AbortSignal): Promise<NpmProxyHost> {
  if (/^\d+$/.test(ref)) {
    try {
      return await client.proxyHost(Number(ref), signal);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NoSuchProxyHost(`with id ${ref}`);
      throw err;
    }
  }
  const domain = ref.toLowerCase();
  const host = (await client.proxyHosts(signal)).find((h) => h.domain_names.some((d) => d.toLowerCase() === domain));
  if (!host) throw new NoSuchProxyHost(`for ${domain}`);
  return host;
}
