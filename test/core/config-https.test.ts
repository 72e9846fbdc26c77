/**
 * A pinned fingerprint is only checked over https: with an http:// URL it would be
 * ignored and the token sent in clear, so the config refuses it (exit 3, before any
 * request), PVE and PBS URLs must be https, and `doctor` says so. Also: an https URL to
 * a server whose TLS handshake never completes obeys `timeout_seconds` in the CLI.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceConfig, type HomelabConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { dnsConfigSchema } from '../../src/services/dns/factory.js';
import { pveConfigSchema } from '../../src/services/pve/factory.js';
import { runCli } from '../helpers/cli.js';

const PIN = Array(32).fill('AB').join(':');
let dir: string;
let silent: Server;
let silentPort: number;
const sockets = new Set<Socket>();

/** Writes a config home with these services and credentials; returns its env. */
function home(name: string, services: Record<string, unknown>): Record<string, string> {
  const config = join(dir, name, 'config');
  mkdirSync(join(config, 'homelab'), { recursive: true });
  mkdirSync(join(dir, name, 'data'), { recursive: true });
  const yaml = `services:\n${Object.entries(services).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}`;
  writeFileSync(join(config, 'homelab', 'config.yaml'), yaml, { mode: 0o600 });
  for (const [svc, body] of [['pve', 'PVE_TOKEN_ID=homelab@pve!cli\nPVE_TOKEN_SECRET=5b1f3c9e-8a42-4d7b-9c61-2e0f7a4d8b35\n'], ['dns', 'DNS_TOKEN=0123456789abcdef\n']] as const) {
    mkdirSync(join(config, svc), { recursive: true, mode: 0o700 });
    writeFileSync(join(config, svc, 'credentials'), body, { mode: 0o600 });
    chmodSync(join(config, svc, 'credentials'), 0o600);
  }
  return { HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: join(dir, name, 'data') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-https-'));
  silent = createServer((s) => { sockets.add(s); s.on('error', () => undefined); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as import('node:net').AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('https and pinned fingerprints in the config', () => {
  const config = (services: Record<string, unknown>): HomelabConfig => ({ services, ssh: { targets: [], concurrency: 4, timeout_seconds: 60 }, path: '/x/config.yaml' });

  it('refuses a fingerprint with an http:// URL, and an http:// URL for PVE', () => {
    expect(() => serviceConfig(config({ dns: { url: 'http://10.5.0.2:5380', fingerprint: PIN } }), 'dns', dnsConfigSchema))
      .toThrow(/services\.dns\.fingerprint: fingerprint needs an https:\/\/ URL/);
    expect(() => serviceConfig(config({ pve: { url: 'http://10.5.0.1:8006' } }), 'pve', pveConfigSchema))
      .toThrow(ConfigError);
    expect(() => serviceConfig(config({ pve: { url: 'http://10.5.0.1:8006' } }), 'pve', pveConfigSchema)).toThrow(/services\.pve\.url: must be an https:\/\/ URL/);
    expect(serviceConfig(config({ dns: { url: 'https://10.5.0.2:53443', fingerprint: PIN } }), 'dns', dnsConfigSchema).fingerprint).toBe(PIN);
    expect(serviceConfig(config({ dns: { url: 'http://10.5.0.2:5380' } }), 'dns', dnsConfigSchema).url).toBe('http://10.5.0.2:5380');
  });

  it('the CLI exits 3 before sending anything, and doctor names both problems', async () => {
    const env = home('mixed', { pve: { url: `http://127.0.0.1:${silentPort}`, node: 'pve1' }, dns: { url: `http://127.0.0.1:${silentPort}`, fingerprint: PIN } });
    const before = sockets.size;
    const dns = await runCli(['dns', 'zones'], env);
    expect(dns.code).toBe(3);
    expect(dns.stderr).toContain('services.dns.fingerprint: fingerprint needs an https:// URL');
    const pve = await runCli(['pve', 'list'], env);
    expect(pve.code).toBe(3);
    expect(pve.stderr).toContain('services.pve.url: must be an https:// URL');
    expect(sockets.size).toBe(before);
    const doctor = await runCli(['doctor'], env);
    expect(doctor.stdout + doctor.stderr).toMatch(/pve\s+config\s+.*services\.pve\.url: must be an https:\/\/ URL/);
    expect(doctor.stdout + doctor.stderr).toMatch(/dns\s+config\s+.*fingerprint needs an https:\/\/ URL/);
    expect(doctor.code).not.toBe(0);
  });
});

describe('a TLS handshake that never completes', () => {
  it('obeys timeout_seconds: exit 4 with the timeout, and the process does not linger', async () => {
    const env = home('silent', { pve: { url: `https://127.0.0.1:${silentPort}`, fingerprint: PIN, node: 'pve1', timeout_seconds: 1 } });
    const started = Date.now();
    const result = await runCli(['pve', 'list'], env, { timeoutMs: 20_000 });
    const elapsed = Date.now() - started;
    expect(result.code).toBe(4);
    expect(result.stderr.trim()).toBe('homelab: pve: GET /cluster/resources timed out after 1 s');
    // A correctness bound (the defect took 10.7 s), not a benchmark: the deadline plus start-up,
    // with room for a loaded CI machine.
    expect(elapsed).toBeLessThan(1000 + 6000);
  });
});
