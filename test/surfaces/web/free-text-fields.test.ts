/**
 * Which form fields are free text, sent as typed, and which are trimmed: only the fields an
 * operation marks as free text (`core/free-text`: a TXT record's text, comments, descriptions,
 * keywords, a message, backup notes, SSH keys) keep their spaces, and those written in lines
 * are text areas; a long value that is an address or an id (`dns delete`'s value, `pve
 * restore`'s volid) is trimmed like a name, so one pasted with a trailing space still finds
 * its record or backup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { getRegistry } from '../../../src/services/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { fieldsOf } from '../../../src/surfaces/web/form-fields.js';
import type { WebServer } from '../../../src/surfaces/web/server.js';
import { useLab } from '../../helpers/lab.js';
import { WebClient, csrfOf, readEvents, startDashboard } from './helpers.js';

const lab = useLab({ services: ['pve', 'dns'] });
let danger: WebServer;
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;
const dns = (): DnsSim => lab.current.sims.get('dns') as DnsSim;

beforeAll(async () => {
  danger = await startDashboard(lab.current, 'danger');
});
afterAll(async () => {
  await danger?.close();
});

/** Posts `form` to a change or danger operation's page: the answer (a confirmation, or the form refused). */
async function review(client: WebClient, path: string, form: Record<string, string>): Promise<{ status: number; text: string }> {
  const page = await client.get(path);
  return client.post(path, { _csrf: csrfOf(page.text), _form: '1', ...form });
}

/** Confirms a confirmation page and waits for the run to end; its last event's data. */
async function confirm(client: WebClient, page: string): Promise<string> {
  const action = /action="(\/confirm\/[^"/]+)"/.exec(page)?.[1] as string;
  const started = await client.post(action, { _csrf: csrfOf(page) });
  expect(started.status).toBe(303);
  const events = await readEvents(client, `${started.headers.get('location') as string}/events`, (e) => e.event === 'done');
  return events.at(-1)?.data ?? '';
}

describe('free text on the dashboard', () => {
  it('is what the operations mark, no more: no address, id or name among it', () => {
    const marked = getRegistry().all().flatMap((op) => fieldsOf(op).filter((f) => f.freeText).map((f) => `${op.id} ${f.key}${f.multiline ? ' (lines)' : ''}`));
    expect(marked.sort()).toEqual([
      'dns.add comment (lines)', 'dns.add-cname comment (lines)', 'dns.add-txt comment (lines)', 'dns.add-txt text (lines)', 'dns.update comment (lines)',
      'kuma.add.http description (lines)', 'kuma.add.keyword keyword', 'kuma.edit keyword',
      'pve.backup notes (lines)', 'pve.clone sshKey (lines)', 'pve.create.ct sshKey (lines)', 'pve.set description (lines)', 'pve.snapshot description (lines)',
      'telegram.send text (lines)',
    ]);
  });

  it("trims dns delete's value: an address pasted with a trailing space deletes its record", async () => {
    const record = dns().store.records.find((r) => r.type === 'A' && /^[a-z]+\.home\.lan$/.test(r.name) && typeof r.rData.ipAddress === 'string');
    expect(record).toBeDefined();
    const name = (record?.name ?? '').split('.')[0] as string;
    const address = String(record?.rData.ipAddress);
    const client = new WebClient(danger.url);
    const form = await client.get('/op/dns.delete');
    expect(form.text).toMatch(/<input type="text" id="f-dns-delete-value" name="value"/);
    const asked = await review(client, '/op/dns.delete', { name, type: 'A', value: `${address} ` });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain(`with value ${address}</`);
    await confirm(client, asked.text);
    expect(dns().store.records.filter((r) => r.type === 'A' && r.rData.ipAddress === address && r.name === record?.name)).toEqual([]);
  });

  it("trims pve restore's volid: a backup id pasted with a trailing space is asked, not refused", async () => {
    const backup = pve().state.volumes.find((v) => v.content === 'backup');
    expect(backup).toBeDefined();
    const asked = await review(new WebClient(danger.url), '/op/pve.restore', { volid: ` ${String(backup?.volid)} `, vmid: '150' });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain(`Restore ${String(backup?.volid)} to new guest 150`);
  });

  it("keeps a backup's notes as typed, in a text area, their lines and spaces", async () => {
    const client = new WebClient(danger.url);
    const form = await client.get('/op/pve.backup');
    expect(form.text).toMatch(/<textarea id="f-pve-backup-notes" name="notes"/);
    const vmid = [...pve().state.guests.values()].find((g) => !g.template && g.status === 'running' && g.type === 'lxc')?.vmid as number;
    const asked = await review(client, '/op/pve.backup', { vmid: String(vmid), notes: '  before\r\nthe upgrade', wait: 'true' });
    expect(asked.status).toBe(200);
    expect(await confirm(client, asked.text)).toContain('OK');
    const notes = pve().state.volumes.filter((v) => v.content === 'backup' && v.vmid === vmid).map((v) => v.notes);
    expect(notes).toContain('  before\nthe upgrade');
  });

  it('takes SSH public keys one per line, in a text area', async () => {
    const client = new WebClient(danger.url);
    const form = await client.get('/op/pve.create.ct');
    expect(form.text).toMatch(/<textarea id="f-pve-create-ct-sshKey" name="sshKey"/);
    const key = (n: number): string => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${'A'.repeat(42)}${n} user${n}@laptop`;
    const template = pve().state.volumes.find((v) => v.content === 'vztmpl')?.volid as string;
    const asked = await review(client, '/op/pve.create.ct', { template, hostname: 'keys', sshKey: `${key(1)}\r\n${key(2)}\r\n` });
    expect(asked.text).not.toContain('the SSH key');
    expect(asked.status).toBe(200);
  });
});
