/**
 * Another service's stored credential never shows in the bot, even when no client of that
 * service has loaded it: DNS TXT records whose values are the PVE token secret, the Kuma
 * API key and the NPM password (from the lab's credentials files) come back as `***` in
 * `/dns records`, and a command that carries one is confirmed and cancelled without it.
 * A fresh bot (its own test file, so nothing earlier in this process registered them).
 * A credentials file written while the bot runs counts from the next message on.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { OWNER, sendAsOwner, startHarness, until, type Harness } from './harness.js';
import { seedStoredSecretRecords } from '../../helpers/stored-secrets.js';

let h: Harness;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness({ services: ['pve', 'dns', 'kuma', 'proxy'] });
  Object.assign(secrets, seedStoredSecretRecords(h.lab));
});
afterAll(async () => { await h?.stop(); });

/** Text that shows none of the stored secrets, whole or in part. */
function expectNoSecret(text: string): void {
  for (const [name, secret] of Object.entries(secrets)) {
    expect(secret.length, name).toBeGreaterThan(8);
    expect(text, name).not.toContain(secret.slice(0, 8));
    expect(text, name).not.toContain(secret.slice(-8));
  }
}

describe('the bot: other services\' stored secrets', () => {
  it('/dns records shows a TXT record holding another service\'s secret as ***', async () => {
    const reply = await sendAsOwner(h, '/dns records', (m) => m.plain.includes('leak-pve'), 'dns records');
    expect(reply.plain).toContain('leak-kuma');
    expect(reply.plain).toContain('leak-npm');
    expect(reply.plain).toContain('***');
    expectNoSecret(reply.plain + (reply.text ?? ''));
  });

  it('the confirmation of a command carrying a secret, and its Cancelled edit, show ***', async () => {
    const q = await sendAsOwner(h, `/dns add-txt leakb ${secrets.pve}`, (m) => Boolean(m.buttons), 'confirmation');
    expect(q.plain).toContain('/dns add-txt leakb ***');
    expectNoSecret(q.plain + (q.text ?? ''));
    await h.sim.user({ userId: OWNER }).tap(q, '✖️ Cancel');
    await until(() => q.plain.startsWith('✖️ Cancelled'), 'cancelled edit');
    expect(q.plain).toContain('***');
    expectNoSecret(q.plain + (q.text ?? ''));
  });

  it('a credentials file written after the bot started: its new value is *** in the next message\'s reply', async () => {
    // PBS is not in this lab: no client ever loads this file, only the bot's registration reads it.
    const fresh = `fresh-${randomBytes(12).toString('hex')}`;
    const dir = join(h.lab.env.HOMELAB_CONFIG_HOME as string, 'pbs');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, 'credentials'), `PBS_TOKEN_SECRET=${fresh}\n`, { mode: 0o600 });
    const dns = h.lab.sims.get('dns') as DnsSim;
    dns.store.add(dns.store.zone('home.lan'), { name: 'leak-fresh.home.lan', type: 'TXT', ttl: 3600, disabled: false, expiryTtl: 0, rData: { text: fresh, splitText: false } });
    const reply = await sendAsOwner(h, '/dns records', (m) => m.plain.includes('leak-fresh'), 'dns records with the fresh one');
    expect(reply.plain + (reply.text ?? '')).not.toContain(fresh);
    expect(reply.plain).toContain('***');
  });
});
