/**
 * `homelab plan`, `apply` and `export` as a user runs them: the built binary against the
 * lab's PVE, DNS, NPM and Kuma simulators over real sockets. What is checked is what the
 * services hold afterwards and what their request logs show: apply creates what lab.yaml
 * declares (marked), a second plan is empty, export then plan shows no changes, removing an
 * app deletes only its marked objects and only after the danger confirmation, unmarked
 * objects are never touched, `--detailed-exitcode` gives 0, 2 and 1, and a bad lab.yaml is
 * one line with exit 3.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { LabSim } from '../../../src/lab/lab.js';
import type { DnsSim } from '../../../src/services/dns/sim/server.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import { createContext } from '../../../src/core/context.js';
import type { HomelabError } from '../../../src/core/errors.js';
import { runParsed } from '../../../src/core/invoke.js';
import { confirmationOf } from '../../../src/core/confirmation.js';
import { getRegistry } from '../../../src/services/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns', 'proxy', 'kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const dns = (): DnsSim => lab.current.sims.get('dns') as DnsSim;
const proxy = (): ProxySim => lab.current.sims.get('proxy') as ProxySim;
const kuma = (): KumaSim => lab.current.sims.get('kuma') as KumaSim;
const pve = (): LabSim => lab.current.sims.get('pve') as LabSim;

type Step = { key: string; op: string; state?: string; risk: string; describe: string };
type PlanJson = { file: string; plan: { steps: Step[] }; changes: number; deletes: number; risk: string; conflicts: string[]; removedApps: string[] };
type ApplyJson = { plan: { steps: Step[] }; dryRun: boolean; outcome: { ok: boolean; steps: { key: string; status: string; state: string }[] } | null };

const records = (name: string) => dns().store.records.filter((r) => r.name === name);
const hostFor = (domain: string) => proxy().db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes(domain));
const monitorNamed = (name: string) => [...kuma().state.monitors.values()].find((m) => m.name === name);

/** Every request that changes something, per simulator (HTTP requests, and Kuma's changing events). */
function mutationsBy(): Record<string, string[]> {
  const http = (s: DnsSim | ProxySim | LabSim): string[] => s.requests
    .filter((r) => (r.method !== 'GET' && !/\/(user\/login|tokens|access)/.test(r.path)) && !r.path.endsWith('/records/get') && !r.path.endsWith('/zones/list'))
    .map((r) => `${r.method} ${r.path.replace(/\d+$/, 'N')}${r.path.startsWith('/api/zones/') ? ` ${new URLSearchParams(r.body).get('domain') ?? ''}` : ''}`);
  const events = kuma().events.filter((e) => ['add', 'editMonitor', 'deleteMonitor', 'pauseMonitor', 'resumeMonitor'].includes(e.event)).map((e) => `kuma ${e.event}`);
  return { dns: http(dns()), proxy: http(proxy()), pve: http(pve()), kuma: events };
}

/** All mutations so far. */
function mutations(): string[] {
  return Object.values(mutationsBy()).flat();
}

/** The mutations since `mark()` was taken, simulator by simulator. */
function mark(): () => string[] {
  const before = mutationsBy();
  return () => Object.entries(mutationsBy()).flatMap(([sim, list]) => list.slice(before[sim]?.length ?? 0));
}

/** Writes a lab file under the lab's directory and returns its path. */
function labFile(name: string, text: string): string {
  const dir = join(lab.current.dir, 'labs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const LAB = `apps:
  pad:
    target: forgejo:3000
    websockets: true
records:
  - { name: nas2, type: A, value: 10.5.0.31, ttl: 300 }
  - { name: files, type: CNAME, value: nas2 }
  - { name: _lab, type: TXT, value: "owner=lab" }
`;

describe('lab.yaml', () => {
  it('refuses a bad lab file in one line naming the line and the key, exit 3 (1 with --detailed-exitcode), sending nothing', async () => {
    const before = mutations().length;
    const cases: [string, RegExp][] = [
      ['apps:\n  pad:\n    target: forgejo\n', /bad1\.yaml:3: apps\.pad\.target: must be <guest>:<port>/],
      ['apps:\n  pad:\n    target: forgejo:3000\n    colour: blue\n', /bad2\.yaml:4: apps\.pad\.colour: unknown key: an app has target, dns, scheme/],
      ['records:\n  - name: nas\n    type: A\n    value: not-an-ip\n', /bad3\.yaml:4: records\[0\]\.value: an A record needs an IPv4 address/],
      ['records:\n  - { name: nas, type: MX, value: mail }\n', /bad4\.yaml:2: records\[0\]\.type: must be A, AAAA, CNAME or TXT/],
      ['apps: [unclosed\n', /bad5\.yaml:\d+: not valid YAML: /],
      ['records:\n  - { name: nas.example.org, type: A, value: 10.5.0.9 }\n', /bad6\.yaml:2: records\[0\]\.name: nas\.example\.org is not in the zone home\.lan/],
      ['apps:\n  Bad_App:\n    target: forgejo:3000\n', /bad7\.yaml:2: apps\.Bad_App: an app name is one DNS label/],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      const path = labFile(`bad${i + 1}.yaml`, text);
      const res = await runCli(['plan', path], env());
      expect(res.code, text).toBe(3);
      expect(res.stderr.trim().split('\n'), res.stderr).toHaveLength(1);
      expect(res.stderr).toMatch(message);
      expect(res.stdout).toBe('');
      const detailed = await runCli(['plan', path, '--detailed-exitcode'], env());
      expect(detailed.code, text).toBe(1);
      expect(detailed.stderr).toMatch(message);
      expect((await runCli(['apply', path, '--yes'], env())).code).toBe(3);
    }
    const missing = await runCli(['plan'], env());
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`no lab file at ${join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'lab.yaml')}`);
    expect(missing.stderr).toContain('homelab export');
    expect(mutations().length).toBe(before);
  });

  it('plan: exit 0 without --detailed-exitcode; with it 0 when nothing would change and 2 when changes are pending, printing the plan', async () => {
    const empty = labFile('empty.yaml', 'apps: {}\nrecords: []\n');
    const none = await runCli(['plan', empty, '--detailed-exitcode'], env());
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toContain('no changes: the lab matches the file');

    const path = labFile('lab.yaml', LAB);
    const before = mutations().length;
    const plain = await runCli(['plan', path], env());
    expect(plain.code, plain.stderr).toBe(0);
    const pending = await runCli(['plan', path, '--detailed-exitcode', '--json'], env());
    expect(pending.code, pending.stderr).toBe(2);
    expect(pending.stderr).toContain('plan: 6 changes pending (--detailed-exitcode: exit 2)');
    const plan = JSON.parse(pending.stdout) as PlanJson;
    expect(plan.changes).toBe(6);
    expect(plan.risk).toBe('change');
    expect(plan.plan.steps.map((s) => `${s.op}:${s.state}`)).toEqual([
      'dns.add:create', 'dns.add-cname:create', 'dns.add-txt:create', 'dns.add-cname:create', 'proxy.add:create', 'kuma.add.http:create',
    ]);
    expect(plan.plan.steps.map((s) => s.describe)).toEqual([
      'DNS A nas2.home.lan → 10.5.0.31 (ttl 300)', 'DNS CNAME files.home.lan → nas2.home.lan', 'DNS TXT _lab.home.lan → owner=lab',
      'DNS CNAME pad.home.lan → proxy.home.lan', expect.stringMatching(/^NPM proxy host pad\.home\.lan → http:\/\/10\.5\.0\.12:3000 \(certificate #\d+ .*, websockets, block exploits\)$/),
      'Kuma HTTP monitor pad → https://pad.home.lan',
    ]);
    const table = await runCli(['plan', path, '--detailed-exitcode'], env());
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/1\s+create\s+DNS A nas2\.home\.lan → 10\.5\.0\.31 \(ttl 300\)\s+dns add/);
    expect(table.stdout).toContain('6 to create; homelab apply makes these changes');
    expect(mutations().length).toBe(before);
  });

  it('plan --detailed-exitcode: every error exits 1, a usage error and an unknown context included; 2 is only drift', async () => {
    const path = labFile('lab.yaml', LAB);
    const pending = await runCli(['plan', path, '--detailed-exitcode'], env());
    expect(pending.code, pending.stderr).toBe(2);
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['plan', path, '--detailed-exitcode', '--context', 'nope'], {}, /unknown context "nope"/],
      [['--context=nope', 'plan', path, '--detailed-exitcode'], {}, /unknown context "nope"/],
      [['plan', path, '--detailed-exitcode'], { HOMELAB_CONTEXT: 'nope' }, /nope/],
      [['plan', path, '--detailed-exitcode', '--bogus'], {}, /unknown option --bogus for plan/],
      [['plan', path, 'extra', '--detailed-exitcode'], {}, /extra/],
      [['plan', path, '--detailed-exitcode=maybe'], {}, /--detailed-exitcode is a switch/],
      // On and off together contradict each other: a usage error, 1 whichever spelling comes last.
      [['plan', path, '--detailed-exitcode', '--detailed-exitcode=false'], {}, /contradict each other/],
      [['plan', path, '--no-detailed-exitcode', '--detailed-exitcode'], {}, /contradict each other/],
      [['plan', path, '--detailed-exitcode=true', '--detailed-exitcode=no'], {}, /contradict each other/],
      [['plan', join(lab.current.dir, 'labs', 'missing.yaml'), '--detailed-exitcode'], {}, /no lab file at/],
    ];
    for (const [args, extra, message] of cases) {
      const res = await runCli(args, { ...env(), ...extra });
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(1);
      expect(res.stderr).toMatch(message);
      expect(res.stdout).toBe('');
    }
    // Without the switch the codes are the usual ones.
    expect((await runCli(['plan', path, '--context', 'nope'], env())).code).toBe(3);
    expect((await runCli(['plan', path, '--bogus'], env())).code).toBe(2);
    expect((await runCli(['plan', path, '--detailed-exitcode=false', '--bogus'], env())).code).toBe(2);
    // The rule is plan's: another command given the switch keeps its usual codes.
    for (const [args, code, message] of [
      [['pve', 'list', '--detailed-exitcode'], 2, /unknown option --detailed-exitcode/],
      [['--context=nope', 'pve', 'list', '--detailed-exitcode'], 3, /unknown context "nope"/],
      [['pve', 'list', '--', '--detailed-exitcode'], 2, /unexpected argument "--detailed-exitcode"/],
      // A typo of plan with the switch: an error (1), never drift (2).
      [['paln', path, '--detailed-exitcode'], 1, /paln/],
    ] as const) {
      const res = await runCli([...args], env());
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(code);
      expect(res.stderr).toMatch(message);
    }
  });

  it('plan: an object in the way that homelab did not create is a conflict, left alone (exit 1, also with --detailed-exitcode)', async () => {
    const before = mutations().length;
    const path = labFile('conflict.yaml', 'records:\n  - { name: forgejo, type: A, value: 10.5.0.12 }\napps:\n  wiki:\n    target: forgejo:3000\n');
    for (const args of [['plan', path], ['plan', path, '--detailed-exitcode'], ['apply', path, '--yes']]) {
      const res = await runCli(args, env());
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stdout + res.stderr).toContain("DNS A forgejo.home.lan → 10.5.0.12 exists without homelab's marker: left alone (to adopt it, write its comment as \"107: Forgejo git forge · managed-by: homelab record\")");
      expect(res.stdout + res.stderr).toContain('app wiki: NPM 404 host #1 (wiki.home.lan) holds wiki.home.lan, not created by homelab: left alone');
    }
    expect(mutations().length).toBe(before);
  });

  it('plan: a record whose comment holds the marker in a form that no longer counts is left alone, and the conflict gives the comment to write', async () => {
    await runCliJson(['dns', 'add', 'oldnas', '10.5.0.78', '--comment', 'NAS; managed-by: homelab record'], env());
    onTestFinished(async () => {
      await runCliJson(['dns', 'delete', 'oldnas', '--yes'], env());
    });
    const before = mutations().length;
    const path = labFile('old-marker.yaml', 'records:\n  - { name: oldnas, type: A, value: 10.5.0.79 }\n');
    const res = await runCli(['plan', path], env());
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain('cannot create DNS A oldnas.home.lan → 10.5.0.79: DNS A oldnas.home.lan → 10.5.0.78 is not homelab\'s: left alone '
      + '(marker in an unrecognised form: write the comment as "NAS · managed-by: homelab record")');
    expect(res.stdout + res.stderr).not.toContain('to adopt it');
    expect(mutations().length).toBe(before);
    // Written as the conflict says, the record is homelab's: the plan moves it.
    await runCliJson(['dns', 'delete', 'oldnas', '--yes'], env());
    await runCliJson(['dns', 'add', 'oldnas', '10.5.0.78', '--comment', 'NAS · managed-by: homelab record'], env());
    const adopted = await runCli(['plan', path], env());
    expect(adopted.code, adopted.stderr).toBe(0);
    expect(adopted.stdout).toContain('DNS A oldnas.home.lan → 10.5.0.79');
  });

  it('plan: a hand-made address record at a record\'s name and a monitor of an app\'s URL are in the way (exit 1), as with expose; a certificate that does not cover the name is a lab-file error (exit 3)', async () => {
    const check = await runCliJson<{ id: number }>(['kuma', 'add', 'http', 'pad3-check', 'https://PAD3.home.lan/'], env());
    const gitCert = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).join() === 'git.home.lan');
    try {
      const before = mutations().length;
      const path = labFile('in-the-way.yaml', 'records:\n  - { name: forgejo, type: A, value: 10.5.0.99 }\napps:\n  pad3:\n    target: forgejo:3000\n');
      for (const args of [['plan', path], ['plan', path, '--detailed-exitcode'], ['apply', path, '--yes']]) {
        const res = await runCli(args, env());
        expect(res.code, args.join(' ')).toBe(1);
        expect(res.stdout + res.stderr).toContain("cannot create DNS A forgejo.home.lan → 10.5.0.99: DNS A forgejo.home.lan → 10.5.0.12 is not homelab's: left alone");
        expect(res.stdout + res.stderr).toContain(`app pad3: Kuma monitor pad3-check (id ${check.id}, checks https://PAD3.home.lan/) is not created by homelab: left alone`);
      }
      const exposed = await runCli(['expose', 'pad3', 'forgejo:3000', '--dry-run'], env());
      expect(exposed.code).toBe(1);
      expect(exposed.stderr).toContain(`Kuma monitor pad3-check (id ${check.id}, checks https://PAD3.home.lan/) is not created by homelab: left alone`);
      // Without the monitor the app plans; a monitor: false app does not look for one.
      expect((await runCli(['plan', labFile('no-monitor.yaml', 'apps:\n  pad3: { target: "forgejo:3000", monitor: false }\n')], env())).code).toBe(0);

      const cert = labFile('cert.yaml', `apps:\n  c1:\n    target: forgejo:3000\n    cert: ${gitCert?.id}\n`);
      // A certificate that does not cover the name is the file's to fix: a lab-file error naming the line and the key (exit 3).
      const refused = await runCli(['plan', cert], env());
      expect(refused.code).toBe(3);
      expect(refused.stderr.split('\n')[0]).toBe(`homelab: ${cert}:4: apps.c1.cert: certificate #${gitCert?.id} covers git.home.lan, not c1.home.lan`);
      expect(mutations().length).toBe(before);
    } finally {
      await runCliJson(['kuma', 'delete', 'pad3-check', '--yes'], env());
    }
  });

  it('apply: shows the whole plan and needs confirmation, creates what the file declares (marked), and a second plan is empty', async () => {
    const path = labFile('lab.yaml', LAB);
    const unconfirmed = await runCli(['apply', path], env());
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('(6 to create): this needs confirmation; add --yes');
    expect(unconfirmed.stderr).toMatch(/1\. create\s+DNS A nas2\.home\.lan → 10\.5\.0\.31 \(ttl 300\)\n[^]*6\. create\s+Kuma HTTP monitor pad → https:\/\/pad\.home\.lan/);
    expect(records('nas2.home.lan')).toEqual([]);

    const dry = await runCliJson<ApplyJson>(['apply', path, '--dry-run'], env());
    expect(dry.dryRun).toBe(true);
    expect(dry.outcome).toBeNull();
    expect(records('nas2.home.lan')).toEqual([]);

    const res = await runCliJson<ApplyJson>(['apply', path, '--yes'], env());
    expect(res.outcome?.ok).toBe(true);
    expect(res.outcome?.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    expect(records('nas2.home.lan')).toEqual([expect.objectContaining({ type: 'A', ttl: 300, rData: { ipAddress: '10.5.0.31' }, comments: 'managed-by: homelab record' })]);
    expect(records('files.home.lan')).toEqual([expect.objectContaining({ type: 'CNAME', rData: { cname: 'nas2.home.lan' }, comments: 'managed-by: homelab record' })]);
    expect(records('_lab.home.lan')).toEqual([expect.objectContaining({ type: 'TXT', comments: 'managed-by: homelab record' })]);
    expect(records('pad.home.lan')).toEqual([expect.objectContaining({ type: 'CNAME', comments: 'managed-by: homelab app=pad' })]);
    expect(hostFor('pad.home.lan')).toMatchObject({ forward_host: '10.5.0.12', forward_port: 3000, allow_websocket_upgrade: true, advanced_config: '# managed-by: homelab app=pad' });
    expect(monitorNamed('pad')).toMatchObject({ url: 'https://pad.home.lan', description: 'managed-by: homelab app=pad' });

    const before = mutations().length;
    const again = await runCli(['plan', path, '--detailed-exitcode'], env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('no changes: the lab matches the file (6 steps unchanged)');
    // In sync: a re-run asks nothing, so no --yes is needed without a terminal (a cron job).
    const reapply = await runCliJson<ApplyJson>(['apply', path], env());
    expect(reapply.outcome?.steps.map((s) => s.status)).toEqual(Array(6).fill('unchanged'));
    expect(mutations().length).toBe(before);
  });

  it('export writes the live lab, and plan on the exported file shows no changes', async () => {
    const out = join(lab.current.dir, 'labs', 'exported.yaml');
    const res = await runCli(['export', out], env());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^wrote .*exported\.yaml: 1 app, 3 records homelab manages; \d+ apps and \d+ records it could adopt, commented out/);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('apps:\n  pad:\n    target: 10.5.0.12:3000\n    dns: cname\n    scheme: http\n    websockets: true\n    cert: auto\n    monitor: true\n');
    expect(text).toContain('  - name: nas2\n    type: A\n    value: 10.5.0.31\n    ttl: 300\n');
    // What homelab could adopt is there, commented out: a proxy host of the lab and a guest's record.
    expect(text).toMatch(/^# {3}git:\n# {5}target: 10\.5\.0\.12:3000$/m);
    expect(text).toMatch(/^# {3}- name: pve1\n# {5}type: A\n# {5}value: 10\.5\.0\.1$/m);
    const stdout = await runCli(['export', '-'], env());
    expect(stdout.stdout).toBe(text);

    const plan = await runCli(['plan', out, '--detailed-exitcode'], env());
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('no changes');

    const again = await runCli(['export', out], env());
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('exists; nothing was written');
    expect((await runCli(['export', out, '--force'], env())).code).toBe(0);
  });

  it('updates a marked record whose value and TTL changed', async () => {
    const path = labFile('moved.yaml', LAB.replace('value: 10.5.0.31, ttl: 300', 'value: 10.5.0.32, ttl: 600'));
    const res = await runCliJson<ApplyJson>(['apply', path, '--yes'], env());
    expect(res.plan.steps.filter((s) => s.state !== 'unchanged').map((s) => `${s.op}: ${s.describe}`)).toEqual(['dns.update: DNS A nas2.home.lan → 10.5.0.32 (was 10.5.0.31, ttl 300 → 600)']);
    expect(records('nas2.home.lan')).toEqual([expect.objectContaining({ ttl: 600, rData: { ipAddress: '10.5.0.32' }, comments: 'managed-by: homelab record' })]);
  });

  it('removing an app and a record deletes only their marked objects, after the danger confirmation; unmarked objects are untouched', async () => {
    // Something at the app's name that homelab did not create, and a copy of every other record of the zone.
    const sample = records('pad.home.lan')[0];
    if (!sample) throw new Error('pad.home.lan has no record');
    dns().store.records.push({ ...structuredClone(sample), type: 'TXT', rData: { text: 'owner=ops', splitText: false }, comments: 'not ours' });
    const others = dns().store.records.filter((r) => r.type !== 'SOA' && !r.comments?.includes('managed-by: homelab')).map((r) => structuredClone(r));
    const otherHosts = proxy().db.proxyHosts.live().filter((h) => !String(h.advanced_config ?? '').includes('managed-by')).map((h) => h.id);
    const otherMonitors = [...kuma().state.monitors.values()].filter((m) => !String(m.description ?? '').includes('managed-by')).map((m) => m.id);
    const path = labFile('smaller.yaml', 'records:\n  - { name: nas2, type: A, value: 10.5.0.32, ttl: 600 }\n  - { name: _lab, type: TXT, value: "owner=lab" }\n');

    const changes = mark();
    const plan = await runCli(['plan', path, '--json'], env());
    const planned = JSON.parse(plan.stdout) as PlanJson;
    expect(planned.risk).toBe('danger');
    expect(planned.removedApps).toEqual(['pad']);
    expect(planned.plan.steps.filter((s) => s.state !== 'unchanged').map((s) => `${s.op}:${s.state}:${s.risk}`)).toEqual([
      'kuma.delete:delete:danger', 'proxy.delete:delete:danger', 'dns.delete:delete:danger', 'dns.delete:delete:danger',
    ]);
    const unconfirmed = await runCli(['apply', path], env());
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('(4 to delete, 2 unchanged): destructive, deletes 4 objects homelab made: this needs confirmation; add --yes');
    expect(unconfirmed.stderr).toMatch(/1\. delete\s+Kuma monitor pad \(id \d+, https:\/\/pad\.home\.lan\)\s+\[destructive\]/);
    expect(unconfirmed.stderr).toMatch(/4\. delete\s+DNS CNAME files\.home\.lan → nas2\.home\.lan\s+\[destructive\]/);
    expect(changes()).toEqual([]);

    const res = await runCliJson<ApplyJson>(['apply', path, '--yes'], env());
    expect(res.outcome?.ok).toBe(true);
    expect(changes()).toEqual([
      'POST /api/zones/records/delete pad.home.lan', 'POST /api/zones/records/delete files.home.lan', 'DELETE /api/nginx/proxy-hosts/N', 'kuma deleteMonitor',
    ]);
    expect(records('pad.home.lan')).toEqual([expect.objectContaining({ type: 'TXT', comments: 'not ours' })]);
    expect(records('files.home.lan')).toEqual([]);
    expect(hostFor('pad.home.lan')).toBeUndefined();
    expect(monitorNamed('pad')).toBeUndefined();
    for (const r of others) expect(dns().store.records, `${r.name} ${r.type}`).toContainEqual(r);
    expect(proxy().db.proxyHosts.live().map((h) => h.id)).toEqual(expect.arrayContaining(otherHosts));
    expect([...kuma().state.monitors.keys()]).toEqual(expect.arrayContaining(otherMonitors));
    const after = await runCli(['plan', path, '--detailed-exitcode'], env());
    expect(after.code).toBe(0);
  });

  it('rolls back what the apply did when Kuma refuses the monitor', async () => {
    const path = labFile('rollback.yaml', 'records:\n  - { name: nas2, type: A, value: 10.5.0.32, ttl: 600 }\n  - { name: _lab, type: TXT, value: "owner=lab" }\napps:\n  board:\n    target: 10.5.0.11:5001\n');
    kuma().kumaFaults.refuse = { event: 'add', count: 1, msg: 'SQLITE_FULL: database or disk is full' };
    const changes = mark();
    const res = await runCli(['apply', path, '--yes', '--json'], env());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('step 5 of 5 (Kuma HTTP monitor board → https://board.home.lan) failed: kuma: add refused: SQLITE_FULL: database or disk is full; 2 steps undone');
    const result = JSON.parse(res.stdout) as ApplyJson;
    expect(result.outcome?.steps.map((s) => `${s.key}:${s.status}`)).toEqual([
      'record-1:unchanged', 'record-2:unchanged', 'board/dns:undone', 'board/proxy:undone', 'board/monitor:failed',
    ]);
    expect(changes()).toEqual([
      'POST /api/zones/records/add board.home.lan', 'POST /api/zones/records/delete board.home.lan', 'POST /api/nginx/proxy-hosts', 'DELETE /api/nginx/proxy-hosts/N',
      'kuma add', // refused
    ]);
    expect(records('board.home.lan')).toEqual([]);
    expect(monitorNamed('board')).toBeUndefined();
    expect(hostFor('board.home.lan')).toBeUndefined();
  });

  it('apply runs no more than was confirmed: a change the shown plan did not list stops it before any step', async () => {
    const path = labFile('ceiling.yaml', 'records:\n  - { name: ceil1, type: A, value: 10.5.0.41 }\n');
    const registry = getRegistry();
    const apply = registry.get('apply')!;
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: env(), operations: { find: (id) => registry.get(id) } });
    // As the surfaces do: the confirmed input object is the one run.
    const input = { file: path, dryRun: false };
    expect((await confirmationOf(apply, input, ctx)).lines.join('\n')).toContain('create  DNS A ceil1.home.lan');
    writeFileSync(path, 'records:\n  - { name: ceil1, type: A, value: 10.5.0.41 }\n  - { name: ceil2, type: A, value: 10.5.0.42 }\n');
    const err = (await runParsed(apply, input, ctx).catch((e: unknown) => e)) as HomelabError;
    expect(err.message).toBe('the lab changed since the plan was shown: create DNS A ceil2.home.lan → 10.5.0.42 was not in it; nothing was changed');
    expect([records('ceil1.home.lan'), records('ceil2.home.lan')]).toEqual([[], []]);
    // Shown again, it runs what it showed.
    await confirmationOf(apply, input, ctx);
    expect(((await runParsed(apply, input, ctx)) as ApplyJson).outcome?.ok).toBe(true);
    expect(records('ceil2.home.lan')).toHaveLength(1);
  });

  it('export then plan round-trips objects marked by hand (a record straight at the guest, proxy options as they are, a monitor of another URL); adoptable apps are written as they are', async () => {
    const wildcard = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).includes('*.home.lan'));
    await runCliJson(['dns', 'add', 'beszel2', '10.5.0.4', '--app', 'beszel2'], env());
    await runCliJson(['proxy', 'add', 'beszel2.home.lan', '10.5.0.4:8090', '--app', 'beszel2'], env());
    await runCliJson(['dns', 'add-cname', 'hand2', 'proxy', '--app', 'hand2'], env());
    await runCliJson(['proxy', 'add', 'hand2.home.lan', '10.5.0.40:80', '--cert', String(wildcard?.id), '--block-exploits', '--app', 'hand2'], env());
    await runCliJson(['kuma', 'add', 'http', 'hand2-up', 'http://10.5.0.40/health', '--app', 'hand2'], env());
    mkdirSync(join(lab.current.dir, 'labs'), { recursive: true });
    const out = join(lab.current.dir, 'labs', 'by-hand.yaml');
    const res = await runCli(['export', out], env());
    expect(res.code, res.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('  beszel2:\n    target: 10.5.0.4:8090\n    dns: 10.5.0.4\n    scheme: http\n    websockets: false\n    cert: none\n    monitor: false\n    block_exploits: false\n');
    expect(text).toContain('  hand2:\n    target: 10.5.0.40:80\n    dns: cname\n    scheme: http\n    websockets: false\n    cert: auto\n    monitor: true\n    force_ssl: false\n    monitor_url: http://10.5.0.40/health\n');
    const changes = mark();
    const plan = await runCli(['plan', out, '--detailed-exitcode'], env());
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('no changes: the lab matches the file');

    // What homelab could adopt is written as it is, and says what adopting it changes: beszel's record points straight at the guest.
    expect(text).toContain('# beszel: NPM proxy host #');
    expect(text).toMatch(/^# beszel: NPM proxy host #\d+, DNS A → 10\.5\.0\.4, not the proxy, Kuma monitor beszel; adopted as written, nothing changes$/m);
    const commentedApps = /^# apps:\n((?:# {3}.*\n)+)/m.exec(text)?.[1] ?? '';
    const adoptable = parse(`apps:\n${commentedApps.replace(/^# /gm, '')}`) as { apps: Record<string, { dns: string }> };
    expect(adoptable.apps.beszel?.dns).toBe('10.5.0.4');
    // Adopted (the marker added to its record, proxy host and monitor), the entry as written plans no change.
    const [record] = records('beszel.home.lan');
    const host = hostFor('beszel.home.lan');
    const monitor = monitorNamed('beszel');
    if (!record || !host || !monitor) throw new Error('the lab has no beszel app');
    const saved = { comments: record.comments, advanced: host.advanced_config, description: monitor.description };
    try {
      record.comments = 'managed-by: homelab app=beszel';
      host.advanced_config = '# managed-by: homelab app=beszel';
      monitor.description = 'managed-by: homelab app=beszel';
      // The exported file with the beszel entry moved into apps:, as the comment says to adopt it.
      const exported = parse(text) as { apps: Record<string, unknown>; records: unknown[] };
      const adopted = labFile('adopted.yaml', stringify({ ...exported, apps: { ...exported.apps, beszel: adoptable.apps.beszel } }));
      const afterAdoption = await runCli(['plan', adopted, '--detailed-exitcode', '--json'], env());
      expect(afterAdoption.code, afterAdoption.stderr).toBe(0);
      const planned = JSON.parse(afterAdoption.stdout) as PlanJson;
      expect(planned.plan.steps.filter((s) => s.key.startsWith('beszel/')).map((s) => `${s.key}:${s.state}`)).toEqual(['beszel/dns:unchanged', 'beszel/proxy:unchanged', 'beszel/monitor:unchanged']);
    } finally {
      record.comments = saved.comments;
      host.advanced_config = saved.advanced;
      monitor.description = saved.description;
    }
    expect(changes()).toEqual([]);
  });
});
