/**
 * The expose refusals that name a proxy key (`--dns cname` without a DNS name, `--dns a`
 * without an address, a CNAME to the proxy's own name) name it where the lab keeps it:
 * `services.proxy` at the top level, `contexts.office.services.proxy` under `contexts:`.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/core/errors.js';
import type { HomelabConfig } from '../../../src/core/config.js';
import type { OpContext } from '../../../src/core/operation.js';
import { appPlan } from '../../../src/services/hub/expose-build.js';
import { appSpecSchema } from '../../../src/services/hub/expose-plan.js';
import { exposeSettings } from '../../../src/services/hub/expose-settings.js';

function config(proxy: Record<string, unknown>, lab?: string): HomelabConfig {
  const services: Record<string, unknown> = { dns: { url: 'http://10.6.0.2:5380', zone: 'office.lan' }, proxy };
  return { services, path: '/etc/homelab/config.yaml', ...(lab ? { context: lab, origin: `contexts.${lab}.`, contextNames: ['default', lab] } : {}) } as HomelabConfig;
}

/** The refusal of `expose pad5 dockge:9005 --dns <dns>`: it comes before anything is read. */
async function refusal(c: HomelabConfig, dns: string): Promise<Error> {
  const ctx = { config: c, invoke: () => Promise.reject(new Error('nothing is read before the spec is checked')) } as unknown as OpContext;
  const spec = appSpecSchema.parse({ name: 'pad5', target: 'dockge:9005', dns });
  const live = { zone: 'office.lan', records: [], hosts: [], otherHosts: [], monitors: null };
  return appPlan(ctx, spec, exposeSettings(c), live).then(() => new Error('no refusal'), (err: unknown) => err as Error);
}

describe('expose refusals in a lab under contexts:', () => {
  it('--dns cname without the proxy\'s DNS name names that lab\'s key', async () => {
    const e = await refusal(config({ url: 'http://10.6.0.3:81' }, 'office'), 'cname');
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe("--dns cname needs the proxy's DNS name: contexts.office.services.proxy.dns_name (e.g. proxy.office.lan)");
  });

  it('--dns a without the proxy\'s address names that lab\'s keys, in the message and the hint', async () => {
    const e = await refusal(config({ url: 'http://npm.office.lan:81', dns_name: 'proxy.office.lan' }, 'office'), 'a');
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe("--dns a needs the proxy's address: contexts.office.services.proxy.url names npm.office.lan, not an address");
    expect((e as ConfigError).hint).toBe('set contexts.office.services.proxy.address, or use --dns cname');
  });

  it('a CNAME to the proxy\'s own name says which key holds that name', async () => {
    const e = await refusal(config({ url: 'http://10.6.0.3:81', dns_name: 'pad5.office.lan' }, 'office'), 'cname');
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).hint).toContain('(contexts.office.services.proxy.dns_name)');
  });

  it('keeps the top-level keys for the default lab', async () => {
    const e = await refusal(config({ url: 'http://10.6.0.3:81' }), 'cname');
    expect(e.message).toBe("--dns cname needs the proxy's DNS name: services.proxy.dns_name (e.g. proxy.office.lan)");
  });
});
