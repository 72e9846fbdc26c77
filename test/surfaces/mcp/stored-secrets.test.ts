/**
 * Another service's stored credential never shows over MCP, even when no client of that
 * service has loaded it: DNS TXT records whose values are the PVE token secret, the Kuma
 * API key and the NPM password (from the lab's credentials files) come back as `***` in
 * `dns_records`, text and structured content alike, and a zone named after one is refused
 * without it. A fresh server (its own test file, so nothing earlier in this process
 * registered them), over Streamable HTTP on loopback. A credentials file written or changed
 * while the server runs counts from the next request on: a tool call, an inbox tool and a
 * resource read each show its new value as `***`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendInbox } from '../../../src/services/telegram/inbox.js';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import type { McpHttpServer } from '../../../src/surfaces/mcp/http.js';
import { useLab } from '../../helpers/lab.js';
import { seedStoredSecretRecords } from '../../helpers/stored-secrets.js';
import { connect, startServer, textOf } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns', 'kuma', 'proxy'] });
const secrets: Record<string, string> = {};
let server: McpHttpServer;

beforeAll(async () => {
  Object.assign(secrets, seedStoredSecretRecords(lab.current));
  server = await startServer(lab.current, 'read');
});
afterAll(async () => {
  await server?.close();
});

/**
 * Writes a new value into a credentials file of a service the lab does not use (PBS: no client
 * will ever load it), as an owner would while the server runs; returns the value.
 */
function storeFreshSecret(): string {
  const value = `fresh-${randomBytes(12).toString('hex')}`;
  const dir = join(lab.current.env.HOMELAB_CONFIG_HOME as string, 'pbs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'credentials'), `PBS_TOKEN_SECRET=${value}\n`, { mode: 0o600 });
  return value;
}

/** Text that shows none of the stored secrets, whole or in part. */
function expectNoSecret(text: string): void {
  for (const [name, secret] of Object.entries(secrets)) {
    expect(secret.length, name).toBeGreaterThan(8);
    expect(text, name).not.toContain(secret.slice(0, 8));
    expect(text, name).not.toContain(secret.slice(-8));
  }
}

describe('MCP: other services\' stored secrets', () => {
  it('dns_records shows a TXT record holding another service\'s secret as ***, in text and structured content', async () => {
    const client = await connect(server);
    try {
      const result = await client.callTool({ name: 'dns_records', arguments: {} });
      expect(result.isError).toBeFalsy();
      const text = textOf(result);
      expect(text).toContain('leak-pve');
      expect(text).toContain('***');
      expectNoSecret(text);
      const structured = JSON.stringify(result.structuredContent);
      expect(structured).toContain('leak-kuma');
      expectNoSecret(structured);
    } finally {
      await client.close();
    }
  });

  it('an error that echoes an argument holding a secret shows ***', async () => {
    const client = await connect(server);
    try {
      const result = await client.callTool({ name: 'dns_records', arguments: { zone: `${secrets.pve}.lan` } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('***.lan');
      expectNoSecret(JSON.stringify(result));
    } finally {
      await client.close();
    }
  });

  it('a credentials file written after the server started: its value is *** in a tool call, an inbox tool and a resource', async () => {
    const client = await connect(server);
    try {
      // Each request is made right after a new value is stored: only that request can have registered it.
      const forRecord = storeFreshSecret();
      const dns = lab.current.sims.get('dns') as DnsSim;
      dns.store.add(dns.store.zone('home.lan'), { name: 'leak-fresh.home.lan', type: 'TXT', ttl: 3600, disabled: false, expiryTtl: 0, rData: { text: forRecord, splitText: false } });
      const records = await client.callTool({ name: 'dns_records', arguments: {} });
      expect(textOf(records)).toContain('leak-fresh');
      expect(JSON.stringify(records)).not.toContain(forRecord);

      const dataDir = lab.current.env.HOMELAB_DATA_HOME as string;
      const forTool = storeFreshSecret();
      await appendInbox(dataDir, { time: new Date().toISOString(), user: { id: 1, name: 'owner' }, text: `the token is ${forTool}` });
      const listed = await client.callTool({ name: 'inbox_list', arguments: {} });
      expect(textOf(listed)).toContain('the token is ***');
      expect(JSON.stringify(listed)).not.toContain(forTool);

      const forResource = storeFreshSecret();
      await appendInbox(dataDir, { time: new Date().toISOString(), user: { id: 1, name: 'owner' }, text: `and now it is ${forResource}` });
      const read = await client.readResource({ uri: 'homelab://telegram/inbox' });
      const text = JSON.stringify(read);
      expect(text).toContain('and now it is ***');
      expect(text).not.toContain(forResource);
    } finally {
      await client.close();
    }
  });
});
