/**
 * Another service's stored credential never shows on the dashboard, even when no client of
 * that service has loaded it yet: DNS TXT records whose values are the PVE token secret,
 * the Kuma API key and the NPM password (from the lab's credentials files) are `***` in
 * the DNS records section, asked for first thing after the start (before the overview has
 * loaded every service's client). Its own test file, so nothing earlier in this process
 * registered them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { seedStoredSecretRecords } from '../../helpers/stored-secrets.js';
import { startDashboard, WebClient } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns', 'kuma', 'proxy'] });
const secrets: Record<string, string> = {};
let server: WebServer;

beforeAll(async () => {
  Object.assign(secrets, seedStoredSecretRecords(lab.current));
  server = await startDashboard(lab.current, 'read');
});
afterAll(async () => {
  await server?.close();
});

describe('the dashboard: other services\' stored secrets', () => {
  it('the DNS records section shows a TXT record holding another service\'s secret as ***', async () => {
    const page = await new WebClient(server.url).get('/fragment/op/dns.records');
    expect(page.status).toBe(200);
    expect(page.text).toContain('leak-pve');
    expect(page.text).toContain('***');
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect(page.text, name).not.toContain(secret.slice(0, 8));
      expect(page.text, name).not.toContain(secret.slice(-8));
    }
  });
});
