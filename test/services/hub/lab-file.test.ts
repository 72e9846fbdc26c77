/**
 * lab.yaml parsing and the records planner as plain data: what a file means (names made
 * fully qualified, defaults), the cross-checks a schema alone cannot do (one line each,
 * naming the line and the key), and the steps for marked records (unchanged, re-pointed,
 * TTL changed, deleted) with what is in the way left alone.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { LiveRecord } from '../../../src/services/hub/expose-live.js';
import { RECORD_MARKER, planRecords } from '../../../src/services/hub/desired-records.js';
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
      + 'records:\n  - { name: nas, type: a, value: 10.5.0.30, ttl: 300 }\n  - { name: files, type: CNAME, value: nas }\n  - { name: "@", type: TXT, value: "v=spf1 -all" }\n', ZONE, 'lab.yaml');
    expect(lab.apps).toEqual([
      { name: 'pad', target: { where: '10.5.0.12', port: 80 }, scheme: 'http', websockets: false, cert: 'none', monitor: false },
      { name: 'wiki', target: { where: 'forgejo', port: 3000 }, dns: 'a', scheme: 'http', websockets: false, cert: 'auto', monitor: true },
    ]);
    expect(lab.records).toEqual([
      { name: 'nas', fqdn: 'nas.home.lan', type: 'A', value: '10.5.0.30', ttl: 300 },
      { name: 'files', fqdn: 'files.home.lan', type: 'CNAME', value: 'nas.home.lan' },
      { name: '@', fqdn: 'home.lan', type: 'TXT', value: 'v=spf1 -all' },
    ]);
    expect(parseLab('', ZONE, 'lab.yaml')).toEqual({ path: 'lab.yaml', apps: [], records: [] });
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
    expect(refusal('records:\n  - { name: a, type: A, value: 1 }\n  - { name: b, type: AAAA, value: 10.0.0.1 }\n'))
      .toBe('lab.yaml:2: records[0].value: must be a string (quote it) (and 1 more problem)');
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
      `DNS A pve1.home.lan → 10.5.0.1 exists without homelab's marker: left alone (to adopt it, add "${RECORD_MARKER}" to its comment)`,
      "cannot create DNS TXT wiki.home.lan → x: DNS CNAME wiki.home.lan → proxy.home.lan is homelab's for app wiki: left alone",
      "cannot create DNS CNAME web.home.lan → pve1.home.lan: DNS A web.home.lan → 10.5.0.9 is not homelab's: left alone",
    ]);
  });
});
