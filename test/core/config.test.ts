import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baseServiceSchema, loadConfig, serviceConfig } from '../../src/core/config.js';
import { readConfigDocument } from '../../src/core/config-document.js';
import { readContextChoice } from '../../src/core/context-name.js';
import { ConfigError } from '../../src/core/errors.js';
import { pveConfigSchema } from '../../src/services/pve/factory.js';

function withConfig(yaml: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-config-'));
  mkdirSync(join(dir, 'homelab'));
  writeFileSync(join(dir, 'homelab', 'config.yaml'), yaml);
  return { HOMELAB_CONFIG_HOME: dir };
}

describe('config.yaml', () => {
  it('is parsed once while it stays the same, and again when it changes: the context\'s name and the config share the read', () => {
    const env = withConfig('current_context: office\ncontexts:\n  office:\n    services: {}\n');
    const path = join(env.HOMELAB_CONFIG_HOME as string, 'homelab', 'config.yaml');
    const first = readConfigDocument(path);
    expect(readContextChoice(path)).toEqual({ names: ['office'], current: 'office' });
    expect(loadConfig(env).context).toBe('office');
    expect(readConfigDocument(path)).toBe(first);
    // Changed (another size): read again, by both.
    writeFileSync(path, 'current_context: home\ncontexts:\n  home:\n    services: {}\n  office:\n    services: {}\n');
    expect(readConfigDocument(path)).not.toBe(first);
    expect(readContextChoice(path).current).toBe('home');
    expect(loadConfig(env).context).toBe('home');
    // Broken YAML: the context's name falls back, loadConfig says why.
    writeFileSync(path, 'contexts: [\n');
    expect(readContextChoice(path)).toEqual({ names: ['default'], current: 'default' });
    expect(() => loadConfig(env)).toThrow(/not valid YAML/);
  });

  it('treats a missing file as nothing configured', () => {
    const config = loadConfig({ HOMELAB_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'homelab-empty-')) });
    expect(config.services).toEqual({});
    expect(() => serviceConfig(config, 'pve', pveConfigSchema)).toThrow(/pve is not configured: .*config.yaml does not exist/);
    const other = loadConfig(withConfig('services:\n  dns: { url: "http://10.5.0.2:5380" }\n'));
    expect(() => serviceConfig(other, 'pve', pveConfigSchema)).toThrow(/pve is not configured: .*config.yaml has no services.pve/);
  });

  it('names the file, the key and the problem for a bad service section', () => {
    const env = withConfig('services:\n  pve: { url: "ftp://x", fingerprint: "zz" }\n');
    const config = loadConfig(env);
    const err = (() => { try { serviceConfig(config, 'pve', pveConfigSchema); } catch (e) { return e as ConfigError; } })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toContain(`${config.path}: services.pve.url: must be an https:// URL`);
    expect(err?.message).toContain(`${config.path}: services.pve.fingerprint: must be a SHA-256 fingerprint`);
    // A service that may be plain HTTP still refuses other schemes.
    const dnsErr = (() => { try { serviceConfig(loadConfig(withConfig('services:\n  dns: { url: "ftp://x" }\n')), 'dns', baseServiceSchema); } catch (e) { return e as ConfigError; } })();
    expect(dnsErr?.message).toContain('services.dns.url: must be an http:// or https:// URL');
  });

  it('refuses a misspelt key inside a service section, ssh, an ssh target and mcp, naming the key meant', async () => {
    const { dnsConfigSchema } = await import('../../src/services/dns/factory.js');
    const { mcpConfigSchema } = await import('../../src/surfaces/mcp/config.js');
    const pin = Array.from({ length: 32 }, () => 'AB').join(':');
    const config = loadConfig(withConfig(`services:\n  pve: { url: "https://127.0.0.1:8006", fingerprnt: "${pin}" }\n  dns: { url: "http://127.0.0.1:5380", zon: home.lan }\n`));
    expect(() => serviceConfig(config, 'pve', pveConfigSchema)).toThrow(`${config.path}: services.pve: Unrecognized key: "fingerprnt" (did you mean "fingerprint"?)`);
    expect(() => serviceConfig(config, 'dns', dnsConfigSchema)).toThrow('services.dns: Unrecognized key: "zon" (did you mean "zone"?)');
    expect(() => loadConfig(withConfig('ssh:\n  targets:\n    - { name: t1, host: 127.0.0.1, prot: 44583 }\n'))).toThrow(/config\.yaml: ssh\.targets\.0: Unrecognized key: "prot" \(did you mean "port"\?\)$/);
    expect(() => loadConfig(withConfig('ssh:\n  known_host: /x\n'))).toThrow('ssh: Unrecognized key: "known_host" (did you mean "known_hosts"?)');
    expect(() => loadConfig(withConfig('servces: {}\n'))).toThrow('(top level): Unrecognized key: "servces" (did you mean "services"?)');
    // Nothing close: the key alone.
    expect(() => loadConfig(withConfig('ssh:\n  colour: blue\n'))).toThrow(/ssh: Unrecognized key: "colour"$/);
    expect(mcpConfigSchema.safeParse({ token_fil: '/x' }).error?.issues[0]?.message).toBe('Unrecognized key: "token_fil" (did you mean "token_file"?)');
  });

  it('still takes every key the README and docs document', async () => {
    const { pbsConfigSchema } = await import('../../src/services/pbs/factory.js');
    const { dnsConfigSchema } = await import('../../src/services/dns/factory.js');
    const { proxyConfigSchema } = await import('../../src/services/proxy/factory.js');
    const pin = Array.from({ length: 32 }, () => 'AB').join(':');
    const config = loadConfig(withConfig([
      'services:',
      `  pve: { url: "https://10.5.0.1:8006", fingerprint: "${pin}", timeout_seconds: 20, node: pve1, task_poll_ms: 500, backup_storage: pbs, backup_stale_hours: 30 }`,
      `  pbs: { url: "https://10.5.0.6:8007", fingerprint: "${pin}", datastore: main, stale_hours: 30, task_poll_ms: 500 }`,
      '  dns: { url: "http://10.5.0.2:5380", zone: home.lan, api: bearer }',
      '  proxy: { url: "http://10.5.0.3:81", dns_name: proxy.home.lan, address: 10.5.0.3, expose_dns: cname }',
      'ssh:',
      '  known_hosts: ~/.ssh/known_hosts',
      '  concurrency: 4',
      '  timeout_seconds: 60',
      '  targets:',
      '    - { name: forgejo, host: 10.5.0.12, port: 22, user: root, key: ~/.ssh/id_ed25519, vmid: 107 }',
      '',
    ].join('\n')));
    expect(serviceConfig(config, 'pve', pveConfigSchema).backup_stale_hours).toBe(30);
    expect(serviceConfig(config, 'pbs', pbsConfigSchema).datastore).toBe('main');
    expect(serviceConfig(config, 'dns', dnsConfigSchema).api).toBe('bearer');
    expect(serviceConfig(config, 'proxy', proxyConfigSchema).expose_dns).toBe('cname');
    expect(config.ssh.targets[0]?.vmid).toBe(107);
  });

  it('refuses unknown top-level keys and invalid YAML with the file name', () => {
    expect(() => loadConfig(withConfig('servics: {}\n'))).toThrow(/config.yaml: \(top level\): Unrecognized key/);
    expect(() => loadConfig(withConfig('services: [\n'))).toThrow(/config.yaml: not valid YAML/);
  });

  it('accepts a complete pve section and applies defaults', () => {
    const fp = Array.from({ length: 32 }, () => 'AB').join(':');
    const config = loadConfig(withConfig(`services:\n  pve: { url: "https://10.5.0.1:8006", fingerprint: "${fp}", node: pve1 }\n`));
    expect(serviceConfig(config, 'pve', pveConfigSchema)).toEqual({ url: 'https://10.5.0.1:8006', fingerprint: fp, node: 'pve1', task_poll_ms: 1000, backup_stale_hours: 26 });
  });
});
