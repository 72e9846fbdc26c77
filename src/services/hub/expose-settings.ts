/**
 * @module services/hub/expose-settings
 * What `expose` needs to know about the lab that is not in the command line, from the
 * config: the zone (`services.dns.zone`), and how names reach the proxy
 * (`services.proxy.dns_name`, `services.proxy.address`, `services.proxy.expose_dns`).
 * With nothing set, the proxy's address is the host of `services.proxy.url` and exposed
 * names get an A record to it; with `dns_name` set they get a CNAME to that name.
 * The sections are read as plain config here (the hub imports no service).
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import type { HomelabConfig } from '../../core/config.js';
import { describeIssues } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { isHostname } from '../../core/validate.js';

/** How an exposed name points at the proxy. */
export type DnsMode = 'cname' | 'a';

/** The lab facts every exposed app shares. */
export interface ExposeSettings {
  /** The DNS zone apps are exposed under (`home.lan`). */
  zone: string;
  /** The default of `--dns`. */
  dnsMode: DnsMode;
  /** The proxy's DNS name (a CNAME target), when configured. */
  proxyName: string | null;
  /** The proxy's address (an A/AAAA record's value). */
  proxyAddress: string;
}

const name = z.string().transform((v) => v.replace(/\.$/, '').toLowerCase()).refine((v) => v.includes('.') && isHostname(v), 'must be a fully qualified host name like proxy.home.lan');

const proxySection = z.looseObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  /** The proxy's DNS name: exposed names become CNAMEs to it. */
  dns_name: name.optional(),
  /** The proxy's address for A records (default: the host of url). */
  address: z.string().refine((v) => isIP(v) !== 0, 'must be an IPv4 or IPv6 address').optional(),
  /** The default of expose --dns. */
  expose_dns: z.enum(['cname', 'a']).optional(),
});

const dnsSection = z.looseObject({ zone: name.optional() });

function section<S extends z.ZodType>(config: HomelabConfig, key: string, schema: S, needed: string): z.infer<S> {
  const raw = config.services[key];
  // In a lab under `contexts:`, its keys are `contexts.<lab>.services.…` (config.origin).
  const at = `${config.origin ?? ''}services.${key}`;
  if (raw === undefined || raw === null) throw new ConfigError(`${needed} needs ${at} in ${config.path}`, `add ${at}: { url: … } (homelab init)`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, at, parsed.error));
  return parsed.data;
}

/** The zone apps are exposed under (`services.dns.zone`); a ConfigError (exit 3) when it is not set. */
export function exposeZone(config: HomelabConfig): string {
  const dns = section(config, 'dns', dnsSection, 'homelab');
  if (!dns.zone) throw new ConfigError(`apps are exposed under ${config.origin ?? ''}services.dns.zone, which ${config.path} does not set`, 'e.g. zone: home.lan');
  return dns.zone;
}

/** The expose settings of a config; a ConfigError (exit 3) names what is missing. */
export function exposeSettings(config: HomelabConfig): ExposeSettings {
  const proxy = section(config, 'proxy', proxySection, 'expose');
  const zone = exposeZone(config);
  const host = new URL(proxy.url).hostname.replace(/^\[|\]$/g, '');
  const proxyAddress = proxy.address ?? host;
  if (isIP(proxyAddress) === 0 && !proxy.dns_name) {
    const at = `${config.origin ?? ''}services.proxy`;
    throw new ConfigError(`the proxy's address is not known: ${at}.url names ${host}, not an address`, `set ${at}.address (for A records) or ${at}.dns_name (for CNAMEs)`);
  }
  return {
    zone,
    dnsMode: proxy.expose_dns ?? (proxy.dns_name ? 'cname' : 'a'),
    proxyName: proxy.dns_name ?? null,
    proxyAddress,
  };
}
