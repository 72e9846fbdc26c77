/**
 * lab.yaml parsing and the records planner as plain data: what a file means (names made
 * fully qualified, defaults), the cross-checks a schema alone cannot do (one line each,
 * naming the line and the key), and the steps for marked records (unchanged, re-pointed,
 * TTL changed, deleted) with what is in the way left alone; and how export writes an app as
 * its objects are (liveApp), with what lab.yaml cannot say listed.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { stringify } from 'yaml';
import type { LiveHost, LiveMonitor, LiveRecord } from '../../../src/services/hub/expose-live.js';
import type { ExposeSettings } from '../../../src/services/hub/expose-settings.js';
import { liveApp } from '../../../src/services/hub/lab-export-app.js';
import { RECORD_MARKER, labRecordComment, planRecords } from '../../../src/services/hub/desired-records.js';
import { labFileFor, labFilePath, parseLab, type LabRecord } from '../../../src/services/hub/lab-file.js';

const ZONE = 'home.lan';

function refusal(text: string): string {
  try {
    parseLab(text, ZONE, 'lab.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

const rec = (name: string, type: string, value: string, comments: string | null, ttl = 3600): LiveRecord =>
  ({ name, type, value, ttl, disabled: false, comments, app: /app=(\S+)/.exec(comments ?? '')?.[1] ?? null }) as LiveRecord;

describe('parseLab', () => {
  it('reads apps with the defaults of expose and records with names made fully qualified', () => {
    const lab = parseLab('apps:\n  wiki: { target: "forgejo:3000", dns: a }\n  pad: { target: "10.5.0.12:80", cert: none, monitor: false }\n'
      + '  beszel2: { target: "10.5.0.4:8090", dns: 10.5.0.4, block_exploits: false, force_ssl: false, monitor_url: "http://10.5.0.4:8090/" }\n'
      + '  ha: { target: "10.5.0.20:8123", dns: Proxy2.Home.Lan. }\n  off: { target: "10.5.0.20:80", dns: none }\n'
      + 'records:\n  - { name: nas, type: a, value: 10.5.0.30, ttl: 300 }\n  - { name: files, type: CNAME, value: nas }\n  - { name: "@", type: TXT, value: "v=spf1 -all" }\n', ZONE, 'lab.yaml');
    const defaults = { scheme: 'http', websockets: false, cert: 'auto', monitor: true, blockExploits: true, forceSsl: true };
    expect(lab.apps).toEqual([
      { ...defaults, name: 'beszel2', target: { where: '10.5.0.4', port: 8090 }, dns: '10.5.0.4', blockExploits: false, forceSsl: false, monitorUrl: 'http://10.5.0.4:8090/' },
      { ...defaults, name: 'ha', target: { where: '10.5.0.20', port: 8123 }, dns: 'proxy2.home.lan' },
      { ...defaults, name: 'off', target: { where: '10.5.0.20', port: 80 }, dns: 'none' },
      { ...defaults, name: 'pad', target: { where: '10.5.0.12', port: 80 }, cert: 'none', monitor: false },
      { ...defaults, name: 'wiki', target: { where: 'forgejo', port: 3000 }, dns: 'a' },
    ]);
    expect(lab.records).toEqual([
      { name: 'nas', fqdn: 'nas.home.lan', type: 'A', value: '10.5.0.30', ttl: 300 },
      { name: 'files', fqdn: 'files.home.lan', type: 'CNAME', value: 'nas.home.lan' },
      { name: '@', fqdn: 'home.lan', type: 'TXT', value: 'v=spf1 -all' },
    ]);
    expect(parseLab('apps:\n', ZONE, 'lab.yaml')).toEqual({ path: 'lab.yaml', apps: [], records: [], lines: {} });
  });

  it('refuses a file that says nothing (empty, only comments, or a map without apps: and records:): "delete everything" is apps: {}', () => {
    expect(refusal('')).toBe('lab.yaml: holds no lab (it is empty or only comments)');
    expect(refusal('# just a comment\n')).toBe('lab.yaml: holds no lab (it is empty or only comments)');
    expect(refusal('{}\n')).toBe('lab.yaml: has neither apps: nor records:');
    expect(parseLab('apps: {}\n', ZONE, 'lab.yaml')).toEqual({ path: 'lab.yaml', apps: [], records: [], lines: {} });
  });

  it('refuses what the services could not hold, in one line naming the line and the key', () => {
    expect(refusal('apps:\n  wiki: { target: "forgejo:3000" }\nrecords:\n  - { name: wiki, type: TXT, value: x }\n'))
      .toBe('lab.yaml:4: records[0].name: wiki is an app in apps: the app owns the records at its name');
    expect(refusal('records:\n  - { name: nas, type: A, value: 10.5.0.30 }\n  - { name: nas, type: A, value: 10.5.0.30 }\n'))
      .toBe('lab.yaml:3: records[1]: the same record as records[0]');
    expect(refusal('records:\n  - { name: nas, type: CNAME, value: x }\n  - { name: nas, type: TXT, value: y }\n'))
      .toBe('lab.yaml:3: records[1].name: nas has a CNAME (records[0]): a name with a CNAME can have no other record');
    expect(refusal('records:\n  - { name: _x, type: A, value: 10.5.0.1 }\n')).toMatch(/^lab\.yaml:2: records\[0\]\.name: A records need a host name/);
    expect(refusal('colour: blue\n')).toBe('lab.yaml:1: colour: unknown key: lab.yaml has apps: and records:');
    expect(refusal('apps:\n  wiki:\n    target: forgejo:3000\n    dns: mx\n')).toBe('lab.yaml:4: apps.wiki.dns: dns must be cname, a, none, an address or a fully qualified host name');
    expect(refusal('apps:\n  wiki:\n    target: forgejo:3000\n    monitor_url: ftp://x\n')).toBe('lab.yaml:4: apps.wiki.monitor_url: must be an http:// or https:// URL');
    expect(refusal('apps:\n  "2":\n    target: forgejo:3000\n')).toBe('lab.yaml:2: apps.2: an app name must not be only digits: its Kuma monitor is named after it, and a number is read as a monitor id (e.g. app2)');
    expect(refusal('apps:\n  wiki:\n    target: forgejo:3000\n    blockExploits: false\n'))
      .toBe('lab.yaml:4: apps.wiki.blockExploits: unknown key: an app has target, dns, scheme, websockets, cert, monitor, block_exploits, force_ssl and monitor_url');
    expect(refusal('records:\n  - { name: a, type: A, value: 1 }\n  - { name: b, type: AAAA, value: 10.0.0.1 }\n'))
      .toBe('lab.yaml:2: records[0].value: must be a string (quote it) (and 1 more problem)');
  });
});

describe('parseLab: one spelling per value, and what cannot go together', () => {
  it('refuses one IPv6 address written twice in two spellings, and stores the canonical one', () => {
    expect(refusal('records:\n  - { name: dup6, type: AAAA, value: "fd00::1" }\n  - { name: dup6, type: AAAA, value: "FD00:0::1" }\n'))
      .toBe('lab.yaml:3: records[1]: the same record as records[0]');
    expect(parseLab('records:\n  - { name: v6, type: AAAA, value: "FD00:0::1" }\n', ZONE, 'lab.yaml').records[0]?.value).toBe('fd00::1');
  });

  it('refuses an AAAA value with a zone id as a lab-file error (file, line, key), not a crash', () => {
    expect(refusal('apps: {}\nrecords:\n  - { name: z6, type: AAAA, value: "fe80::1%eth0" }\n'))
      .toBe('lab.yaml:3: records[0].value: an AAAA record needs an IPv6 address');
    expect(refusal('records:\n  - { name: z6, type: AAAA, value: "fe80::1%eth0" }\n  - { name: z6, type: AAAA, value: "FE80::1%eth0" }\n'))
      .toMatch(/^lab\.yaml:2: records\[0\]\.value: an AAAA record needs an IPv6 address/);
  });

  it('keeps an embedded IPv4 tail dotted, as written, and still sees two spellings as one', () => {
    expect(parseLab('records:\n  - { name: m6, type: AAAA, value: "::FFFF:1.2.3.4" }\n', ZONE, 'lab.yaml').records[0]?.value).toBe('::ffff:1.2.3.4');
    expect(refusal('records:\n  - { name: m6, type: AAAA, value: "::ffff:1.2.3.4" }\n  - { name: m6, type: AAAA, value: "::FFFF:102:304" }\n'))
      .toBe('lab.yaml:3: records[1]: the same record as records[0]');
  });

  it('says a TTL too large is too large (not "not whole")', () => {
    expect(refusal('records:\n  - { name: x, type: A, value: 10.0.0.1, ttl: 99999999999 }\n')).toBe('lab.yaml:2: records[0].ttl: must be at most 2147483647 seconds');
    expect(refusal('records:\n  - { name: x, type: A, value: 10.0.0.1, ttl: 1.5 }\n')).toBe('lab.yaml:2: records[0].ttl: must be a whole number of seconds');
  });

  it('refuses force_ssl: true with cert: none (SSL cannot be forced without a certificate); cert: none alone is fine', () => {
    expect(refusal('apps:\n  y:\n    target: "10.5.0.1:80"\n    force_ssl: true\n    cert: none\n'))
      .toBe('lab.yaml:4: apps.y.force_ssl: SSL cannot be forced without a certificate: force_ssl: true and cert: none cannot go together');
    expect(parseLab('apps:\n  y: { target: "10.5.0.1:80", cert: none }\n', ZONE, 'lab.yaml').apps[0]).toMatchObject({ cert: 'none', forceSsl: true });
  });
});

describe('labFilePath', () => {
  const env = { HOMELAB_CONFIG_HOME: '/cfg' };

  it("is the context's own lab.yaml unless the command line gives one; a path from a chat or an agent is refused", () => {
    expect(labFilePath(env)).toBe('/cfg/homelab/lab.yaml');
    expect(labFilePath(env, undefined, 'default')).toBe('/cfg/homelab/lab.yaml');
    expect(labFilePath(env, undefined, 'office')).toBe('/cfg/homelab/contexts/office/lab.yaml');
    expect(labFileFor('cli', env, '/tmp/x.yaml', 'office')).toBe('/tmp/x.yaml');
    expect(labFileFor('telegram', env, undefined, 'office')).toBe('/cfg/homelab/contexts/office/lab.yaml');
    expect(() => labFileFor('mcp', env, '/etc/passwd')).toThrow("a lab file path is read only on the command line; on mcp this reads the hub's lab.yaml (/cfg/homelab/lab.yaml)");
  });
});

describe('planRecords', () => {
  const want = (fqdn: string, type: LabRecord['type'], value: string, ttl?: number): LabRecord => ({ name: fqdn, fqdn, type, value, ...(ttl !== undefined ? { ttl } : {}) });

  it('leaves a marked record as it is, re-points a CNAME, rewrites a TXT whose TTL changed, and deletes the marked records no longer wanted', () => {
    const live = [
      rec('nas.home.lan', 'A', '10.5.0.30', RECORD_MARKER),
      rec('files.home.lan', 'CNAME', 'nas.home.lan', `mine · ${RECORD_MARKER}`),
      rec('_x.home.lan', 'TXT', 'hello', RECORD_MARKER),
      rec('old.home.lan', 'A', '10.5.0.99', RECORD_MARKER, 60),
      rec('pve1.home.lan', 'A', '10.5.0.1', null),
    ];
    const plan = planRecords([
      want('nas.home.lan', 'A', '10.5.0.30'), want('files.home.lan', 'CNAME', 'web.home.lan'), want('_x.home.lan', 'TXT', 'hello', 60),
    ], live, ZONE);
    expect(plan.conflicts).toEqual([]);
    expect(plan.steps.map((s) => [s.op, s.state, s.risk, s.describe])).toEqual([
      ['dns.delete', 'delete', 'danger', 'DNS A old.home.lan → 10.5.0.99'],
      ['dns.add', 'unchanged', 'change', 'DNS A nas.home.lan → 10.5.0.30 (ttl 3600)'],
      ['dns.add-cname', 'update', 'change', 'DNS CNAME files.home.lan → web.home.lan (was nas.home.lan)'],
      ['dns.delete', 'delete', 'danger', 'DNS TXT _x.home.lan → hello (ttl 3600 → 60: deleted, then added again)'],
      ['dns.add-txt', 'create', 'change', 'DNS TXT _x.home.lan → hello (ttl 3600 → 60: added again)'],
    ]);
    // The re-pointed CNAME keeps its comment (with the marker); its undo points it back.
    expect(plan.steps[2]?.input).toMatchObject({ target: 'web.home.lan', comment: `mine · ${RECORD_MARKER}`, replace: true, ttl: 3600 });
    expect(plan.steps[2]?.undo?.input).toMatchObject({ target: 'nas.home.lan', replace: true });
    // A delete's undo re-creates the record with its TTL and comment.
    expect(plan.steps[0]?.undo).toMatchObject({ op: 'dns.add', input: { name: 'old.home.lan', ip: '10.5.0.99', ttl: 60, comment: RECORD_MARKER } });
    expect(plan.removed.map((r) => r.name)).toEqual(['_x.home.lan', 'old.home.lan']);
  });

  it('never touches a record without the marker: a wanted record already there unmarked, or a name another record holds, is a conflict', () => {
    const live = [rec('pve1.home.lan', 'A', '10.5.0.1', null), rec('wiki.home.lan', 'CNAME', 'proxy.home.lan', 'managed-by: homelab app=wiki'), rec('web.home.lan', 'A', '10.5.0.9', 'hand-made')];
    const plan = planRecords([want('pve1.home.lan', 'A', '10.5.0.1'), want('wiki.home.lan', 'TXT', 'x'), want('web.home.lan', 'CNAME', 'pve1.home.lan')], live, ZONE);
    expect(plan.steps).toEqual([]);
    expect(plan.conflicts).toEqual([
      `DNS A pve1.home.lan → 10.5.0.1 exists without homelab's marker: left alone (to adopt it, write its comment as "${RECORD_MARKER}")`,
      "cannot create DNS TXT wiki.home.lan → x: DNS CNAME wiki.home.lan → proxy.home.lan is homelab's for app wiki: left alone",
      "cannot create DNS CNAME web.home.lan → pve1.home.lan: DNS A web.home.lan → 10.5.0.9 is not homelab's: left alone",
    ]);
  });

  it('says the exact comment to write, and names a marker written in a form that does not count instead of asking to add it', () => {
    const live = [
      rec('nas.home.lan', 'A', '10.5.0.30', 'NAS; managed-by: homelab record'),
      rec('files.home.lan', 'CNAME', 'nas.home.lan', 'managed-by: homelab record (files)'),
      rec('web.home.lan', 'A', '10.5.0.9', 'hand-made'),
      rec('spoof.home.lan', 'A', '10.5.0.7', 'NOT managed-by: homelab record'),
      rec('old.home.lan', 'A', '10.5.0.6', 'do not use: managed-by: homelab record'),
      rec('mid.home.lan', 'A', '10.5.0.5', 'NAS; managed-by: homelab record; backups'),
    ];
    const plan = planRecords([
      want('nas.home.lan', 'A', '10.5.0.30'), want('files.home.lan', 'CNAME', 'web.home.lan'), want('web.home.lan', 'A', '10.5.0.9'), want('spoof.home.lan', 'A', '10.5.0.8'),
      want('old.home.lan', 'A', '10.5.0.6'), want('mid.home.lan', 'A', '10.5.0.5'),
    ], live, ZONE);
    // None of them counts as homelab's: nothing is updated or deleted.
    expect(plan.steps).toEqual([]);
    expect(plan.removed).toEqual([]);
    expect(plan.conflicts).toEqual([
      `DNS A nas.home.lan → 10.5.0.30 exists without homelab's marker: left alone (marker in an unrecognised form: write the comment as "NAS · ${RECORD_MARKER}")`,
      `cannot create DNS CNAME files.home.lan → web.home.lan: DNS CNAME files.home.lan → nas.home.lan is not homelab's: left alone (marker in an unrecognised form: write the comment as "files · ${RECORD_MARKER}")`,
      `DNS A web.home.lan → 10.5.0.9 exists without homelab's marker: left alone (to adopt it, write its comment as "hand-made · ${RECORD_MARKER}")`,
      `cannot create DNS A spoof.home.lan → 10.5.0.8: DNS A spoof.home.lan → 10.5.0.7 is not homelab's: left alone (marker in an unrecognised form: write the comment as "<your note> · ${RECORD_MARKER}")`,
      `DNS A old.home.lan → 10.5.0.6 exists without homelab's marker: left alone (marker in an unrecognised form: write the comment as "<your note> · ${RECORD_MARKER}")`,
      `DNS A mid.home.lan → 10.5.0.5 exists without homelab's marker: left alone (marker in an unrecognised form: write the comment as "NAS · backups · ${RECORD_MARKER}")`,
    ]);
    // The comment the conflict gives is one homelab recognises.
    expect(planRecords([want('nas.home.lan', 'A', '10.5.0.30')], [rec('nas.home.lan', 'A', '10.5.0.30', labRecordComment('NAS; managed-by: homelab record'))], ZONE).steps.map((s) => s.state)).toEqual(['unchanged']);
  });
});

describe('liveApp (export)', () => {
  const settings: ExposeSettings = { zone: ZONE, dnsMode: 'cname', proxyName: 'proxy.home.lan', proxyAddress: '10.5.0.3' };
  const host = (over: Partial<LiveHost> = {}): LiveHost => ({
    id: 4, domains: ['wiki.home.lan'], forwardScheme: 'http', forwardHost: '10.5.0.60', forwardPort: 3000, enabled: true, online: true,
    sslForced: true, websockets: false, blockExploits: true, certificate: { id: 1, name: '*.home.lan', daysLeft: 90 }, app: null, ...over,
  });
  const monitor = (over: Partial<LiveMonitor> = {}): LiveMonitor => ({
    id: 9, name: 'wiki', type: 'http', target: 'https://wiki.home.lan', active: true, lastHeartbeat: null, app: null, ...over,
  });

  it('writes what expose makes with the defaults, and cname / a only for a record that points at the proxy', () => {
    const plain = liveApp('wiki.home.lan', { host: host(), records: [rec('wiki.home.lan', 'CNAME', 'proxy.home.lan.', null)], monitors: [monitor()] }, 1, settings);
    expect(plain).toEqual({
      entry: { target: '10.5.0.60:3000', dns: 'cname', scheme: 'http', websockets: false, cert: 'auto', monitor: true },
      shown: ['NPM proxy host #4', 'DNS CNAME', 'Kuma monitor wiki'], changes: [],
    });
    expect(liveApp('wiki.home.lan', { host: host(), records: [rec('wiki.home.lan', 'A', '10.5.0.3', null)], monitors: [] }, 1, settings).entry.dns).toBe('a');
    expect(liveApp('wiki.home.lan', { host: host(), records: [rec('wiki.home.lan', 'AAAA', 'FD00:0::60', null)], monitors: [] }, 1, settings).entry.dns).toBe('fd00::60');
    expect(liveApp('wiki.home.lan', { host: host(), records: [rec('wiki.home.lan', 'CNAME', 'edge.example.org', null)], monitors: [] }, 1, settings).entry.dns).toBe('edge.example.org');
    expect(liveApp('wiki.home.lan', { host: host(), records: [], monitors: [] }, 1, settings).entry.dns).toBe('none');
    // Without the proxy's settings every record is written as its value.
    expect(liveApp('wiki.home.lan', { host: host(), records: [rec('wiki.home.lan', 'A', '10.5.0.3', null)], monitors: [] }, 1, null).entry.dns).toBe('10.5.0.3');
  });

  it('writes the proxy options and the monitor URL as they are, and lists what lab.yaml cannot say', () => {
    const odd = liveApp('wiki.home.lan', {
      host: host({ blockExploits: false, sslForced: false, certificate: { id: 7, name: 'wiki.home.lan', daysLeft: 20 } }),
      records: [rec('wiki.home.lan', 'A', '10.5.0.60', null), rec('wiki.home.lan', 'AAAA', 'fd00::60', null)],
      monitors: [monitor({ target: 'http://10.5.0.60:3000/health' }), monitor({ id: 10, name: 'wiki-ping', type: 'ping', target: '10.5.0.60' })],
    }, 1, settings);
    expect(odd.entry).toEqual({
      target: '10.5.0.60:3000', dns: '10.5.0.60', scheme: 'http', websockets: false, cert: 7, monitor: true,
      block_exploits: false, force_ssl: false, monitor_url: 'http://10.5.0.60:3000/health',
    });
    expect(odd.shown).toEqual(['NPM proxy host #4', 'DNS A → 10.5.0.60, not the proxy', 'Kuma monitor wiki (http://10.5.0.60:3000/health)', 'exploits not blocked', 'SSL not forced']);
    expect(odd.changes).toEqual(['deletes DNS AAAA wiki.home.lan → fd00::60 (an app has one record)', "deletes Kuma monitor wiki-ping (ping: an app's monitor is an HTTP one)"]);
    const expired = liveApp('wiki.home.lan', { host: host({ forwardHost: 'wikihost', certificate: { id: 7, name: 'wiki.home.lan', daysLeft: -2 } }), records: [], monitors: [] }, null, settings);
    expect(expired.entry).toMatchObject({ target: 'wikihost:3000', cert: 'auto' });
    expect(expired.changes).toEqual(['forwards to wikihost, which lab.yaml reads as a guest name (the plan forwards to its address)', 'replaces certificate #7, which has expired (cert: auto)']);
    expect(liveApp('wiki.home.lan', { host: host({ certificate: null, sslForced: true }), records: [], monitors: [] }, null, settings).changes).toEqual(['stops forcing SSL (there is no certificate)']);
  });

  it('an entry it writes is one lab.yaml reads back as the same app', () => {
    const { entry } = liveApp('wiki.home.lan', { host: host({ blockExploits: false, sslForced: false }), records: [rec('wiki.home.lan', 'A', '10.5.0.60', null)], monitors: [monitor({ target: 'https://wiki.home.lan/login' })] }, 1, settings);
    expect(parseLab(stringify({ apps: { wiki: entry } }), ZONE, 'lab.yaml').apps).toEqual([{
      name: 'wiki', target: { where: '10.5.0.60', port: 3000 }, dns: '10.5.0.60', scheme: 'http', websockets: false, cert: 'auto', monitor: true,
      blockExploits: false, forceSsl: false, monitorUrl: 'https://wiki.home.lan/login',
    }]);
  });
});
