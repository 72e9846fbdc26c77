/**
 * The dns commands as a user runs them: the built binary against the Technitium
 * simulator over real sockets, checking output, --json shapes, exit codes, and the
 * simulator's state afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): DnsSim => lab.current.sims.get('dns') as DnsSim;
const stored = (name: string, type = 'A') => sim().store.records.filter((r) => r.name === name && r.type === type);

type Rec = { name: string; type: string; ttl: number; value: string; disabled: boolean; comments: string | null; rData: Record<string, unknown> };

describe('homelab dns (CLI)', () => {
  it('lists zones with type and record count, internal zones only with --all', async () => {
    const table = await runCli(['dns', 'zones'], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ZONE\s+TYPE\s+RECORDS\s+SERIAL\s+STATE/m);
    expect(table.stdout).toMatch(/home\.lan\s+Primary\s+\d+/);
    const zones = await runCliJson<{ name: string; type: string; records: number | null; internal: boolean; disabled: boolean }[]>(['dns', 'zones'], env());
    expect(zones.map((z) => z.name).sort()).toEqual(['0.5.10.in-addr.arpa', 'home.lan']);
    const home = zones.find((z) => z.name === 'home.lan');
    expect(home?.records).toBe(sim().store.zoneRecords(sim().store.zone('home.lan')).length);
    const all = await runCliJson<{ name: string; internal: boolean }[]>(['dns', 'zones', '--all'], env());
    expect(all.some((z) => z.name === 'localhost' && z.internal)).toBe(true);
  });

  it('lists the default zone from config, filtered by type', async () => {
    const table = await runCli(['dns', 'records'], env());
    expect(table.stdout).toMatch(/^forgejo\s+A\s+3600\s+10\.5\.0\.12\s+107: Forgejo git forge$/m);
    expect(table.stdout).toMatch(/^nas\s+A\s+3600\s+10\.5\.0\.30 \(disabled\)/m);
    const res = await runCliJson<{ zone: string; records: Rec[] }>(['dns', 'records', '--type', 'cname'], env());
    expect(res.zone).toBe('home.lan');
    expect(res.records.length).toBeGreaterThan(2);
    expect(res.records.every((r) => r.type === 'CNAME')).toBe(true);
    expect(res.records.find((r) => r.name === 'git.home.lan')).toMatchObject({ value: 'proxy.home.lan', rData: { cname: 'proxy.home.lan' }, disabled: false });
    const reverse = await runCliJson<{ records: Rec[] }>(['dns', 'records', '0.5.10.in-addr.arpa', '--type', 'PTR'], env());
    expect(reverse.records.find((r) => r.name === '12.0.5.10.in-addr.arpa')?.value).toBe('forgejo.home.lan');
  });

  it('adds an A record relative to the zone, with its PTR', async () => {
    const res = await runCliJson<{ zone: string; ptr: boolean; record: Rec }>(['dns', 'add', 'myhost', '10.5.0.50', '--ptr', '--ttl', '600', '--comment', 'test box'], env());
    expect(res).toMatchObject({ zone: 'home.lan', ptr: true, record: { name: 'myhost.home.lan', type: 'A', ttl: 600, value: '10.5.0.50', comments: 'test box' } });
    expect(stored('myhost.home.lan')).toHaveLength(1);
    expect(stored('50.0.5.10.in-addr.arpa', 'PTR')[0]?.rData.ptrName).toBe('myhost.home.lan');
    const again = await runCli(['dns', 'add', 'myhost', '10.5.0.50'], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('myhost.home.lan already has A 10.5.0.50');
    const v6 = await runCliJson<{ record: Rec }>(['dns', 'add', 'myhost.home.lan.', 'fd00::50'], env());
    expect(v6.record).toMatchObject({ name: 'myhost.home.lan', type: 'AAAA', value: 'fd00::50' });
  });

  it('adds CNAME and TXT records, refusing a CNAME next to other records', async () => {
    const cname = await runCliJson<{ record: Rec }>(['dns', 'add-cname', 'wiki', 'proxy'], env());
    expect(cname.record).toMatchObject({ name: 'wiki.home.lan', type: 'CNAME', value: 'proxy.home.lan' });
    const clash = await runCli(['dns', 'add-cname', 'forgejo', 'proxy'], env());
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('a CNAME cannot share its name');
    const onCname = await runCli(['dns', 'add', 'wiki', '10.5.0.70'], env());
    expect(onCname.code).toBe(1);
    expect(onCname.stderr).toContain('wiki.home.lan is a CNAME to proxy.home.lan');
    const txt = await runCliJson<{ record: Rec }>(['dns', 'add-txt', '_acme-challenge', 'token with spaces'], env());
    expect(txt.record).toMatchObject({ name: '_acme-challenge.home.lan', type: 'TXT', value: 'token with spaces' });
  });

  it('updates an address keeping TTL, comment and disabled state (which the API would reset)', async () => {
    const mgmt = await runCliJson<{ from: string; to: string; changed: boolean; record: Rec }>(['dns', 'update', 'mgmt', '10.5.0.8'], env());
    expect(mgmt).toMatchObject({ from: '10.5.0.7', to: '10.5.0.8', changed: true, record: { ttl: 300, comments: '102: Management host: homelab runs here', disabled: false } });
    expect(stored('mgmt.home.lan')[0]).toMatchObject({ ttl: 300, disabled: false, comments: '102: Management host: homelab runs here', rData: { ipAddress: '10.5.0.8' } });
    await runCliJson(['dns', 'update', 'nas', '10.5.0.31'], env());
    expect(stored('nas.home.lan')[0]).toMatchObject({ disabled: true, comments: 'old NAS, decommissioned', ttl: 3600, rData: { ipAddress: '10.5.0.31' } });
    const same = await runCliJson<{ changed: boolean }>(['dns', 'update', 'nas', '10.5.0.31'], env());
    expect(same.changed).toBe(false);
    const none = await runCli(['dns', 'update', 'nosuchhost', '10.5.0.9'], env());
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nosuchhost.home.lan has no A record');
  });

  it('an update to the TTL and comment a record already has is no change: nothing is sent, changed is false', async () => {
    const before = sim().requests.filter((r) => r.path.endsWith('/records/update')).length;
    const same = await runCliJson<{ changed: boolean }>(['dns', 'update', 'mgmt', '10.5.0.8', '--ttl', '300', '--comment', '102: Management host: homelab runs here'], env());
    expect(same.changed).toBe(false);
    expect(sim().requests.filter((r) => r.path.endsWith('/records/update')).length).toBe(before);
    const ttl = await runCliJson<{ changed: boolean; record: Rec }>(['dns', 'update', 'mgmt', '10.5.0.8', '--ttl', '600'], env());
    expect(ttl).toMatchObject({ changed: true, record: { ttl: 600 } });
    await runCliJson(['dns', 'update', 'mgmt', '10.5.0.8', '--ttl', '300'], env());
  });

  it('asks before deleting, then deletes by type and value (and the PTR with the A record)', async () => {
    await runCliJson(['dns', 'add', 'gone', '10.5.0.90', '--ptr'], env());
    const refused = await runCli(['dns', 'delete', 'gone'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Delete all records of gone');
    expect(stored('gone.home.lan')).toHaveLength(1);
    const res = await runCliJson<{ name: string; deleted: Rec[] }>(['dns', 'delete', 'gone', '--type', 'A', '--value', '10.5.0.90', '--yes'], env());
    expect(res).toMatchObject({ name: 'gone.home.lan', deleted: [{ type: 'A', value: '10.5.0.90' }] });
    expect(stored('gone.home.lan')).toHaveLength(0);
    expect(stored('90.0.5.10.in-addr.arpa', 'PTR')).toHaveLength(0);
    const missing = await runCli(['dns', 'delete', 'gone', '--yes'], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no records at gone.home.lan');
  });

  it('shows dashboard counters and flushes the cache', async () => {
    const stats = await runCliJson<{ period: string; totalQueries: number; totalBlocked: number; cachedEntries: number; topClients: { address: string }[] }>(['dns', 'stats', '--period', 'day'], env());
    expect(stats.period).toBe('day');
    expect(stats.totalQueries).toBeGreaterThan(stats.totalBlocked);
    expect(stats.topClients[0]?.address).toMatch(/^10\.5\.0\./);
    expect(await runCliJson(['dns', 'flush-cache'], env())).toEqual({ flushed: true });
    expect((await runCliJson<{ cachedEntries: number }>(['dns', 'stats'], env())).cachedEntries).toBe(0);
  });

  it('refuses bad names, addresses and TTLs with exit 2, sending nothing', async () => {
    const before = sim().requests.length;
    for (const args of [
      ['dns', 'add', 'bad_name', '10.5.0.1'], ['dns', 'add', 'x', '10.5.0.999'], ['dns', 'add', '-lead', '10.5.0.1'],
      ['dns', 'add', 'x', '10.5.0.1', '--ttl', '-5'], ['dns', 'update', 'x', 'not-an-ip'], ['dns', 'add-cname', 'x', 'bad..target'],
      ['dns', 'records', 'bad_zone!'], ['dns', 'stats', '--period', 'decade'], ['dns', 'delete', 'a b', '--yes'],
    ]) {
      const result = await runCli(args, env());
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^homelab: /);
    }
    expect(sim().requests.length).toBe(before);
  });

  it('reports the server error of a 200-with-error answer with exit 1', async () => {
    const res = await runCli(['dns', 'records', 'nosuch.zone'], env());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('homelab: dns: No such zone was found: nosuch.zone');
  });

  it('reports a refused token with exit 5 and never prints it', async () => {
    const file = join(lab.current.env.HOMELAB_CONFIG_HOME, 'dns', 'credentials');
    const original = readFileSync(file, 'utf8');
    const bad = 'b'.repeat(64);
    writeFileSync(file, `DNS_TOKEN=${bad}\n`, { mode: 0o600 });
    try {
      const res = await runCli(['dns', 'zones'], env());
      expect(res.code).toBe(5);
      expect(res.stderr).toContain('token refused');
      expect(res.stderr).not.toContain(bad);
    } finally {
      writeFileSync(file, original, { mode: 0o600 });
    }
  });
});
