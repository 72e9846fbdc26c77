/**
 * The dns commands that pick records by their data and rewrite comments, as a user runs
 * them (the built CLI against the Technitium simulator): a new comment keeps homelab's
 * marker, an IPv6 address matches in any written form, the duplicate check looks at the
 * type's own field only, a TXT text keeps its trailing dot and its case, and a CAA value
 * compares exactly (its tag in any case), as Technitium compares them.
 */
import { describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): DnsSim => lab.current.sims.get('dns') as DnsSim;
const stored = (name: string, type: string) => sim().store.records.filter((r) => r.name === name && r.type === type);

type Rec = { name: string; type: string; value: string; comments: string | null; app: string | null };

describe('dns: comments keep the marker, values compare by type', () => {
  it('update --comment keeps the app marker, so delete --app still finds the record', async () => {
    await runCliJson(['dns', 'add', 'mk', '10.5.0.91', '--app', 'mk', '--comment', 'hello'], env());
    const res = await runCliJson<{ record: Rec }>(['dns', 'update', 'mk', '10.5.0.92', '--comment', 'moved to new box'], env());
    expect(res.record).toMatchObject({ comments: 'moved to new box · managed-by: homelab app=mk', app: 'mk' });
    const cleared = await runCliJson<{ record: Rec }>(['dns', 'update', 'mk', '10.5.0.92', '--comment', ''], env());
    expect(cleared.record).toMatchObject({ comments: 'managed-by: homelab app=mk', app: 'mk' });
    const deleted = await runCliJson<{ deleted: Rec[] }>(['dns', 'delete', 'mk', '--app', 'mk', '--yes'], env());
    expect(deleted.deleted).toHaveLength(1);
    expect(stored('mk.home.lan', 'A')).toHaveLength(0);
  });

  it("update --comment keeps a lab.yaml record's marker; a comment with a marker of its own is written as given", async () => {
    await runCliJson(['dns', 'add', 'rec', '10.5.0.94', '--comment', 'NAS · managed-by: homelab record'], env());
    await runCliJson(['dns', 'update', 'rec', '10.5.0.95', '--comment', 'new NAS'], env());
    expect(stored('rec.home.lan', 'A')[0]?.comments).toBe('new NAS · managed-by: homelab record');
    await runCliJson(['dns', 'update', 'rec', '10.5.0.95', '--comment', 'adopted · managed-by: homelab app=nas'], env());
    expect(stored('rec.home.lan', 'A')[0]?.comments).toBe('adopted · managed-by: homelab app=nas');
    const plain = await runCliJson<{ record: Rec }>(['dns', 'add', 'plain', '10.5.0.96', '--comment', 'mine'], env());
    expect(plain.record.app).toBeNull();
    const updated = await runCliJson<{ record: Rec }>(['dns', 'update', 'plain', '10.5.0.97', '--comment', 'still mine'], env());
    expect(updated.record).toMatchObject({ comments: 'still mine', app: null });
  });

  it('finds an IPv6 address written another way: update --from, delete --value, and the duplicate check', async () => {
    await runCliJson(['dns', 'add', 'v6b', 'fd00::60'], env());
    const dup = await runCli(['dns', 'add', 'v6b', 'FD00:0::60'], env());
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('v6b.home.lan already has AAAA FD00:0::60');
    const moved = await runCliJson<{ from: string; to: string }>(['dns', 'update', 'v6b', 'fd00::61', '--from', 'fd00:0::60'], env());
    expect(moved).toMatchObject({ from: 'fd00::60', to: 'fd00::61' });
    const deleted = await runCliJson<{ deleted: Rec[] }>(['dns', 'delete', 'v6b', '--value', 'FD00:0::61', '--yes'], env());
    expect(deleted.deleted.map((r) => r.value)).toEqual(['fd00::61']);
    expect(stored('v6b.home.lan', 'AAAA')).toHaveLength(0);
  });

  it('adds the TXT text "false" (or "true") next to another TXT record; only the same text is a duplicate', async () => {
    await runCliJson(['dns', 'add-txt', '_t1', 'hello'], env());
    const added = await runCliJson<{ record: Rec }>(['dns', 'add-txt', '_t1', 'false'], env());
    expect(added.record).toMatchObject({ type: 'TXT', value: 'false' });
    await runCliJson(['dns', 'add-txt', '_t1', 'true'], env());
    expect(stored('_t1.home.lan', 'TXT').map((r) => r.rData.text).sort()).toEqual(['false', 'hello', 'true']);
    const dup = await runCli(['dns', 'add-txt', '_t1', 'false'], env());
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('_t1.home.lan already has TXT false');
  });

  it('delete --value picks a TXT record by its text, trailing dot included', async () => {
    await runCliJson(['dns', 'add-txt', '_t2', 'ends with dot.'], env());
    await runCliJson(['dns', 'add-txt', '_t2', 'ends with dot'], env());
    const res = await runCliJson<{ deleted: Rec[] }>(['dns', 'delete', '_t2', '--type', 'TXT', '--value', 'ends with dot.', '--yes'], env());
    expect(res.deleted.map((r) => r.value)).toEqual(['ends with dot.']);
    expect(stored('_t2.home.lan', 'TXT').map((r) => r.rData.text)).toEqual(['ends with dot']);
    const cname = await runCliJson<{ deleted: Rec[] }>(['dns', 'delete', 'git', '--type', 'CNAME', '--value', 'proxy.home.lan.', '--yes'], env());
    expect(cname.deleted.map((r) => r.value)).toEqual(['proxy.home.lan']);
  });

  it('a TXT text compares with its case: another case is no duplicate, and delete --value deletes only the exact text', async () => {
    await runCliJson(['dns', 'add-txt', '_c1', 'Key=ABC'], env());
    const added = await runCliJson<{ record: Rec }>(['dns', 'add-txt', '_c1', 'key=abc'], env());
    expect(added.record).toMatchObject({ type: 'TXT', value: 'key=abc' });
    expect(stored('_c1.home.lan', 'TXT').map((r) => r.rData.text).sort()).toEqual(['Key=ABC', 'key=abc']);
    const dup = await runCli(['dns', 'add-txt', '_c1', 'Key=ABC'], env());
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('_c1.home.lan already has TXT Key=ABC');
    const res = await runCliJson<{ deleted: Rec[] }>(['dns', 'delete', '_c1', '--type', 'TXT', '--value', 'key=abc', '--yes'], env());
    expect(res.deleted.map((r) => r.value)).toEqual(['key=abc']);
    expect(stored('_c1.home.lan', 'TXT').map((r) => r.rData.text)).toEqual(['Key=ABC']);
    const none = await runCli(['dns', 'delete', '_c1', '--type', 'TXT', '--value', 'KEY=ABC', '--yes'], env());
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no TXT records at _c1.home.lan with value KEY=ABC');
    expect(stored('_c1.home.lan', 'TXT')).toHaveLength(1);
  });

  it('delete --value picks a CAA record by its exact value, its tag in any case', async () => {
    const zone = sim().store.zone('home.lan');
    for (const value of ['letsencrypt.org', 'LetsEncrypt.org']) {
      sim().store.add(zone, { name: '_caa.home.lan', type: 'CAA', ttl: 3600, disabled: false, rData: { flags: 0, tag: 'issue', value }, expiryTtl: 0 });
    }
    const none = await runCli(['dns', 'delete', '_caa', '--type', 'CAA', '--value', '0 issue "LETSENCRYPT.ORG"', '--yes'], env());
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no CAA records at _caa.home.lan with value 0 issue "LETSENCRYPT.ORG"');
    expect(stored('_caa.home.lan', 'CAA')).toHaveLength(2);
    const res = await runCliJson<{ deleted: Rec[] }>(['dns', 'delete', '_caa', '--type', 'CAA', '--value', '0 ISSUE "LetsEncrypt.org"', '--yes'], env());
    expect(res.deleted.map((r) => r.value)).toEqual(['0 issue "LetsEncrypt.org"']);
    expect(stored('_caa.home.lan', 'CAA').map((r) => r.rData.value)).toEqual(['letsencrypt.org']);
  });
});
