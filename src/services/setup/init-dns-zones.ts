/**
 * @module services/setup/init-dns-zones
 * The zones a Technitium server lists, for `homelab init` to offer as the default zone
 * (`services.dns.zone`, which relative names like `myhost` need). Asked with the URL, pin
 * and credentials just given (nothing is written yet), through the dns client without a
 * state file; any failure (unreachable, refused, an unpinned self-signed certificate)
 * is no list: init then asks without offering one, and doctor reports the cause.
 */
import { HttpClient } from '../../core/http/index.js';
import { DnsClient } from '../dns/client.js';

/** How long init waits for the server's list before asking without it. */
const LIST_TIMEOUT_MS = 5000;

/** The server's own zones (not its internal ones such as localhost), or [] when it cannot be asked. */
export async function serverZones(url: string, fingerprint: string | undefined, creds: Record<string, string>, signal: AbortSignal): Promise<string[]> {
  if (!creds.DNS_TOKEN && !(creds.DNS_USER && creds.DNS_PASSWORD)) return [];
  try {
    const http = new HttpClient({ service: 'dns', baseUrl: `${url}/api`, fingerprint, timeoutMs: LIST_TIMEOUT_MS, retries: 0 });
    const client = new DnsClient(http, { token: creds.DNS_TOKEN || undefined, user: creds.DNS_USER, password: creds.DNS_PASSWORD });
    const zones = await client.zones(signal);
    return zones.filter((z) => !z.internal && z.name !== '' && !/\.arpa$/i.test(z.name)).map((z) => z.name.toLowerCase());
  } catch {
    return [];
  }
}
