/**
 * @module test/helpers/stored-secrets
 * For the redaction tests of each surface: the stored secrets of three services (the PVE
 * token secret, the Kuma API key, the NPM password), each written into a DNS TXT record
 * `leak-<service>.home.lan` on the simulator's side, so the surface's process never sees
 * them as input.
 */
import type { RunningLab } from '../../src/lab/lab.js';
import type { DnsSim } from '../../src/services/dns/sim/index.js';

/** Writes the TXT records and returns the secrets by service (`pve`, `kuma`, `npm`). */
export function seedStoredSecretRecords(lab: RunningLab): Record<string, string> {
  const secrets: Record<string, string> = {
    pve: lab.sims.get('pve')?.credentials.values.PVE_TOKEN_SECRET ?? '',
    kuma: lab.sims.get('kuma')?.credentials.values.KUMA_API_KEY ?? '',
    npm: lab.sims.get('proxy')?.credentials.values.NPM_PASSWORD ?? '',
  };
  const dns = lab.sims.get('dns') as DnsSim;
  for (const [name, text] of Object.entries(secrets)) {
    dns.store.add(dns.store.zone('home.lan'), { name: `leak-${name}.home.lan`, type: 'TXT', ttl: 3600, disabled: false, expiryTtl: 0, rData: { text, splitText: false } });
  }
  return secrets;
}
