/**
 * No credential in the audit log, even when the operation's input carries one and the
 * CLI writes the row before the service's client has loaded its credentials: the built
 * CLI against the lab, then the raw database bytes searched for the secrets.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditStore, auditFile } from '../../src/audit/store.js';
import { credentialDirs } from '../../src/core/credentials.js';
import { serviceSpecs } from '../../src/services/setup/service-specs.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['dns', 'pve', 'proxy'] });

/** Every byte of the audit database (main file and write-ahead log), as text. */
function databaseBytes(): string {
  const file = auditFile(lab.current.env.HOMELAB_DATA_HOME);
  return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
}

describe('credentials in operation input', () => {
  it('never reach the audit log (dns add-txt with the DNS token, pve snapshot with the PVE token secret)', async () => {
    const env = { ...lab.current.env };
    const dnsToken = lab.current.sims.get('dns')?.credentials.values.DNS_TOKEN ?? '';
    const pveSecret = lab.current.sims.get('pve')?.credentials.values.PVE_TOKEN_SECRET ?? '';
    expect(dnsToken.length).toBeGreaterThan(8);
    expect(pveSecret.length).toBeGreaterThan(8);

    expect((await runCli(['dns', 'add-txt', 'leak', dnsToken], env)).code).toBe(0);
    const snap = await runCli(['pve', 'snapshot', '201', 'leaktest', '--description', `rotated ${pveSecret} today`, '--no-wait'], env);
    expect(snap.stderr).not.toContain(pveSecret);

    const store = AuditStore.open(env.HOMELAB_DATA_HOME);
    const rows = store.list({ limit: 100 });
    store.close();
    expect(rows.map((r) => [r.operation, r.input.text ?? r.input.description])).toEqual([
      ['dns.add-txt', '***'],
      ['pve.snapshot', 'rotated *** today'],
    ]);
    const bytes = databaseBytes();
    expect(bytes).toContain('dns.add-txt');
    expect(bytes).not.toContain(dnsToken);
    expect(bytes).not.toContain(pveSecret);
  });

  it('nor do the login tokens cached in the data folder, nor the MCP token (an NPM JWT, the generated bearer token)', async () => {
    const env = { ...lab.current.env };
    expect((await runCli(['proxy', 'list'], env)).code).toBe(0);
    const jwt = (JSON.parse(readFileSync(join(env.HOMELAB_DATA_HOME, 'npm', 'token.json'), 'utf8')) as { token: string }).token;
    const bearer = 'mcp-bearer-token-0123456789abcdef';
    mkdirSync(join(env.HOMELAB_DATA_HOME, 'mcp'), { recursive: true, mode: 0o700 });
    writeFileSync(join(env.HOMELAB_DATA_HOME, 'mcp', 'token'), `${bearer}\n`, { mode: 0o600 });
    for (const [name, secret] of [['jwt1', jwt], ['mcp1', bearer]] as const) {
      const run = await runCli(['dns', 'add-txt', name, secret, '--yes'], env);
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
    const store = AuditStore.open(env.HOMELAB_DATA_HOME);
    const rows = store.list({ limit: 100 }).filter((r) => ['jwt1', 'mcp1'].includes(String(r.input.name)));
    store.close();
    expect(rows.map((r) => r.input.text)).toEqual(['***', '***']);
    const bytes = databaseBytes();
    expect(bytes).not.toContain(jwt);
    expect(bytes).not.toContain(bearer);
  });

  it('are looked for in the credentials file of every service there is', () => {
    expect([...credentialDirs].sort()).toEqual([...new Set(serviceSpecs.map((s) => s.credentialsDir))].sort());
  });
});
