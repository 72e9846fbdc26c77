/**
 * @module services/proxy/failed-create
 * What a `proxy add --new-cert` leaves when certbot fails. NPM stores the new proxy host
 * first and only then requests the certificate: a failed request answers 500 but the host
 * stays (no certificate; NPM deletes only the certificate row). This looks the host up by
 * its first domain, removes it when it carries homelab's marker for the app being added
 * (through `proxy.delete`, which checks the marker again), and otherwise says what is left
 * and the command that removes it.
 */
import { configMarkedApp } from '../../core/marker.js';
import { OperationError } from '../../core/errors.js';
import type { OpContext } from '../../core/operation.js';
import type { NpmClient } from './client.js';
import type { NpmProxyHost } from './schemas.js';

const FAILED = "Let's Encrypt did not issue a certificate (NPM answered 500)";
const WHY = 'the domains must resolve publicly to this NPM with port 80 reachable';

async function leftover(client: NpmClient, domain: string, signal: AbortSignal): Promise<NpmProxyHost | undefined> {
  return (await client.proxyHosts(signal)).find((h) => h.domain_names.some((d) => d.toLowerCase() === domain));
}

/** The error to report after a create with `certificate_id: "new"` answered 500, once what NPM kept is known (and, when it is homelab's, removed). */
export async function failedCreateWithNewCert(ctx: OpContext, client: NpmClient, domains: readonly string[], app: string | undefined): Promise<OperationError> {
  const domain = (domains[0] ?? '').toLowerCase();
  let host: NpmProxyHost | undefined;
  try {
    host = await leftover(client, domain, ctx.signal);
  } catch {
    return new OperationError(`${FAILED}; NPM may have kept the new proxy host for ${domain} without a certificate (it could not be read back)`,
      `see: homelab proxy show ${domain}; ${WHY}`);
  }
  if (!host) return new OperationError(`${FAILED}; nothing was changed`, `${WHY}; or use --cert <id> with an existing certificate`);
  const kept = `NPM kept the new proxy host #${host.id} for ${host.domain_names.join(', ')} without a certificate`;
  const remove = `homelab proxy delete ${host.id} --yes`;
  if (app && configMarkedApp(host.advanced_config) === app) {
    try {
      await ctx.invoke('proxy.delete', { host: String(host.id), app });
      return new OperationError(`${FAILED}; NPM had already created proxy host #${host.id} for ${domain}, and homelab removed it: nothing is left`,
        `${WHY}; or use --cert <id> with an existing certificate`);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return new OperationError(`${FAILED}; ${kept}, and removing it failed (${why})`, `remove it before trying again: ${remove}; ${WHY}`);
    }
  }
  return new OperationError(`${FAILED}; ${kept}`,
    `remove it before trying again: ${remove} (or give it an existing certificate: homelab proxy update ${host.id} --cert <id>); ${WHY}`);
}
