/**
 * The expose settings' errors name the key where the lab keeps it: `services.proxy` at the
 * top level, `contexts.office.services.proxy` for a lab under `contexts:` (pasting the top-level
 * key into the file would configure another lab).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { HomelabConfig } from '../../../src/core/config.js';
import { exposeSettings } from '../../../src/services/hub/expose-settings.js';

function config(services: Record<string, unknown>, lab?: string): HomelabConfig {
  return { services, path: '/etc/homelab/config.yaml', ...(lab ? { context: lab, origin: `contexts.${lab}.`, contextNames: ['default', lab] } : {}) } as HomelabConfig;
}

function refusal(c: HomelabConfig): ConfigError {
  try {
    exposeSettings(c);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no refusal');
}

describe('expose settings in a lab under contexts:', () => {
  it('names the missing proxy section by its key in that lab', () => {
    const e = refusal(config({ dns: { url: 'http://10.6.0.2:5380', zone: 'office.lan' } }, 'office'));
    expect(e.message).toBe('expose needs contexts.office.services.proxy in /etc/homelab/config.yaml');
    expect(e.hint).toContain('add contexts.office.services.proxy: { url: … }');
  });

  it('names the zone and the proxy address keys there too', () => {
    expect(refusal(config({ dns: { url: 'http://10.6.0.2:5380' }, proxy: { url: 'http://10.6.0.3:81' } }, 'office')).message).toContain('contexts.office.services.dns.zone');
    const e = refusal(config({ dns: { url: 'http://10.6.0.2:5380', zone: 'office.lan' }, proxy: { url: 'http://npm.office.lan:81' } }, 'office'));
    expect(e.hint).toBe('set contexts.office.services.proxy.address (for A records) or contexts.office.services.proxy.dns_name (for CNAMEs)');
  });

  it('keeps the top-level keys for the default lab', () => {
    expect(refusal(config({ dns: { url: 'http://10.5.0.2:5380', zone: 'home.lan' } })).message).toBe('expose needs services.proxy in /etc/homelab/config.yaml');
  });
});
