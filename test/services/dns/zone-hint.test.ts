/**
 * The hints of a dns command that needs a zone name the key to set in the lab the run is
 * in: `services.dns.zone` at the top level, `contexts.<lab>.services.dns.zone` for a lab
 * under `contexts:`. No server is asked: the zone is missing before any request.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const roots: string[] = [];
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

/** Two labs, each with a DNS server (nothing listens there) and a token, neither with a zone. */
function twoLabs(): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'homelab-zone-hint-'));
  roots.push(root);
  const env = { HOMELAB_CONFIG_HOME: join(root, 'config'), HOMELAB_DATA_HOME: join(root, 'data') };
  const files: [string, string][] = [
    ['homelab/config.yaml', 'services:\n  dns: { url: "http://127.0.0.1:9" }\ncontexts:\n  office:\n    services:\n      dns: { url: "http://127.0.0.1:9" }\n'],
    ['dns/credentials', 'DNS_TOKEN=home-token-1234567890\n'],
    ['homelab/contexts/office/dns/credentials', 'DNS_TOKEN=office-token-1234567890\n'],
  ];
  for (const [file, body] of files) {
    const path = join(env.HOMELAB_CONFIG_HOME, file);
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(path, body, { mode: 0o600 });
  }
  return env;
}

describe('dns zone hints', () => {
  it.each([
    ['the default lab', [], 'services.dns'],
    ['a lab under contexts:', ['--context', 'office'], 'contexts.office.services.dns'],
  ])('name the key of %s', async (_lab, flags, key) => {
    const env = twoLabs();
    const records = await runCli([...flags, 'dns', 'records'], env);
    expect(records.code).toBe(2);
    expect(records.stderr).toContain(`no zone given and ${key}.zone is not set`);
    expect(records.stderr).toContain(`add zone: home.lan under ${key} in config.yaml`);
    const add = await runCli([...flags, 'dns', 'add', 'myhost', '10.5.0.50'], env);
    expect(add.code).toBe(2);
    expect(add.stderr).toContain('myhost is relative but no zone is known');
    expect(add.stderr).toContain(`set ${key}.zone`);
  });
});
