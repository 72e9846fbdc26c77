/**
 * Markers as a user meets them, over real sockets against the lab's DNS, NPM and Kuma
 * simulators: `--app` writes `managed-by: homelab app=<app>` where each service keeps it
 * (record comment, advanced-config comment line, monitor description), the listings show
 * the app, and the deletes with `--app` touch only marked objects. Also the certificate
 * operations the expose plan uses: cert-for (wildcards), cert-request, cert-delete.
 */
import { describe, expect, it } from 'vitest';
import type { KumaSim } from '../../src/services/kuma/sim/index.js';
import type { ProxySim } from '../../src/services/proxy/sim/index.js';
import { configMarkedApp, hasMarker, markedApp, markerStandsApart, markerText, mentionsMarker, ownText } from '../../src/core/marker.js';
import { RECORD_MARKER, isLabRecord, labRecordComment } from '../../src/services/hub/desired-records.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['dns', 'proxy', 'kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const proxy = (): ProxySim => lab.current.sims.get('proxy') as ProxySim;
const kuma = (): KumaSim => lab.current.sims.get('kuma') as KumaSim;

describe('marker text', () => {
  it('reads back the app it names where homelab writes it, and nothing from other text', () => {
    expect(markerText('Wiki')).toBe('managed-by: homelab app=wiki');
    expect(markedApp('managed-by: homelab app=wiki')).toBe('wiki');
    expect(markedApp('old wiki · managed-by: homelab app=wiki')).toBe('wiki');
    expect(markedApp('managed-by: homelab app=wiki · edited by hand')).toBe('wiki');
    expect(configMarkedApp('client_max_body_size 0;\n# managed-by: homelab app=git-mirror\n')).toBe('git-mirror');
    expect(configMarkedApp('  #managed-by: homelab app=wiki  \r\nproxy_read_timeout 90;')).toBe('wiki');
    expect(markedApp('managed-by: someone-else app=wiki')).toBeNull();
    expect(markedApp('managed-by: homelab app=')).toBeNull();
    expect(markedApp(null)).toBeNull();
  });

  it("finds a comment's own text in time linear in its length, on a server's pathological comment too", () => {
    // 400k characters: a quadratic scan (1.7 s at 40k) would take minutes and meet the test's timeout.
    const run = 400_000;
    expect(ownText(`${' '.repeat(run)}x`, RECORD_MARKER)).toBe('x');
    expect(ownText(`${'-'.repeat(run)}x${'-'.repeat(run)}`, RECORD_MARKER)).toBe('x');
    const long = `${'; '.repeat(run / 2)}NAS${' -'.repeat(run / 2)} ${RECORD_MARKER} (${' '.repeat(run)}x)`;
    expect(mentionsMarker(long, RECORD_MARKER)).toBe(true);
    expect(markerStandsApart(long, RECORD_MARKER)).toBe(true);
    expect(labRecordComment(long)).toBe(`NAS · ( x) · ${RECORD_MARKER}`);
    expect(ownText(`${RECORD_MARKER.repeat(2)}${' '.repeat(run)}${RECORD_MARKER}`, RECORD_MARKER)).toBe(RECORD_MARKER.repeat(2));
    expect(markerStandsApart(`${'x '.repeat(run)}${RECORD_MARKER}`, RECORD_MARKER)).toBe(false);
  });

  it('does not take a text that merely mentions the marker for the marker', () => {
    for (const spoof of [
      'NOT managed-by: homelab app=spoof (hand-made)', 'managed-by: homelab app=spoof (hand-made)', 'see managed-by: homelab app=spoof',
      'x·managed-by: homelab app=spoof', 'proxy_set_header X-Note "# managed-by: homelab app=spoof";', 'add_header X # managed-by: homelab app=spoof;',
    ]) expect(markedApp(spoof), spoof).toBeNull();
    // Each place has its own form: a comment line is not a comment's marker, the ` · ` form is not a config's.
    expect(markedApp('note\n# managed-by: homelab app=spoof')).toBeNull();
    for (const spoof of [
      'return 200 "a · managed-by: homelab app=spoof · b";', 'managed-by: homelab app=spoof', 'x · managed-by: homelab app=spoof',
      'add_header X-Note "# managed-by: homelab app=spoof";', 'location / { # managed-by: homelab app=spoof\n}',
    ]) expect(configMarkedApp(spoof), spoof).toBeNull();
    expect(isLabRecord('managed-by: homelab record')).toBe(true);
    expect(isLabRecord('nas · managed-by: homelab record')).toBe(true);
    expect(isLabRecord('NOT managed-by: homelab record')).toBe(false);
    expect(isLabRecord('managed-by: homelab records of mine')).toBe(false);
    expect(hasMarker('a.b · managed-by: homelab record', 'managed-by: homelab record')).toBe(true);
    // An old or hand-written form is noticed (to say so), but never counts.
    for (const old of ['NAS; managed-by: homelab record', 'managed-by: homelab record (nas)', 'Managed-By:homelab  record', '# managed-by: homelab record']) {
      expect(isLabRecord(old), old).toBe(false);
      expect(mentionsMarker(old, 'managed-by: homelab record'), old).toBe(true);
    }
    expect(mentionsMarker('nas · managed-by: homelab record', 'managed-by: homelab record')).toBe(false);
    expect(mentionsMarker('managed-by: homelab records of mine', 'managed-by: homelab record')).toBe(false);
    expect(mentionsMarker('NAS', 'managed-by: homelab record')).toBe(false);
  });
});

describe('markers on DNS records', () => {
  it('writes the marker into the comment and shows the app in the listing', async () => {
    const added = await runCliJson<{ record: { comments: string; app: string } }>(['dns', 'add-cname', 'pad', 'proxy', '--app', 'pad', '--comment', 'team pad'], env());
    expect(added.record).toMatchObject({ comments: 'team pad · managed-by: homelab app=pad', app: 'pad' });
    const listed = await runCliJson<{ records: { name: string; app: string | null }[] }>(['dns', 'records'], env());
    expect(listed.records.find((r) => r.name === 'pad.home.lan')?.app).toBe('pad');
    expect(listed.records.find((r) => r.name === 'git.home.lan')?.app).toBeNull();
  });

  it('a comment that only mentions the marker is not homelab\'s: exposed does not list it, unexpose leaves it alone', async () => {
    await runCliJson(['dns', 'add', 'spoof', '10.5.0.77', '--comment', 'NOT managed-by: homelab app=spoof (hand-made)'], env());
    const listed = await runCliJson<{ records: { name: string; app: string | null }[] }>(['dns', 'records'], env());
    expect(listed.records.find((r) => r.name === 'spoof.home.lan')?.app).toBeNull();
    const exposed = await runCliJson<{ apps: { app: string }[] }>(['exposed'], env());
    expect(exposed.apps.map((a) => a.app)).not.toContain('spoof');
    const unexpose = await runCli(['unexpose', 'spoof', '--dry-run', '--json'], env());
    expect(unexpose.code).toBe(0);
    const plan = (JSON.parse(unexpose.stdout) as { plan: { title: string; steps: { state: string }[] } }).plan;
    expect(plan.title).toContain("nothing to remove, homelab manages nothing for app spoof; what is at spoof.home.lan is not homelab's, left alone");
    expect(plan.steps.map((s) => s.state)).toEqual(['unchanged']);
    expect((await runCliJson<{ records: { name: string }[] }>(['dns', 'records'], env())).records.some((r) => r.name === 'spoof.home.lan')).toBe(true);
  });

  it('deletes only marked records with --app and lists the others as left alone', async () => {
    await runCliJson(['dns', 'add', 'board', '10.5.0.70', '--app', 'board'], env());
    await runCliJson(['dns', 'add', 'board', '10.5.0.71'], env());
    const res = await runCliJson<{ deleted: { value: string }[]; leftAlone: { value: string }[] }>(['dns', 'delete', 'board', '--app', 'board', '--yes'], env());
    expect(res.deleted.map((r) => r.value)).toEqual(['10.5.0.70']);
    expect(res.leftAlone.map((r) => r.value)).toEqual(['10.5.0.71']);
    const again = await runCli(['dns', 'delete', 'board', '--app', 'board', '--yes'], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no records at board.home.lan marked for app board (1 other left alone)');
  });
});

describe('markers on proxy hosts', () => {
  it('writes a comment line into the advanced config, which nginx accepts, and lists the app', async () => {
    const created = await runCliJson<{ id: number; app: string; online: boolean; advancedConfig: string }>(['proxy', 'add', 'pad.home.lan', '10.5.0.12:3000', '--app', 'pad', '--block-exploits'], env());
    expect(created).toMatchObject({ app: 'pad', online: true, advancedConfig: '# managed-by: homelab app=pad' });
    const row = proxy().db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes('pad.home.lan'));
    expect(row?.advanced_config).toBe('# managed-by: homelab app=pad');
    const table = await runCli(['proxy', 'list'], env());
    expect(table.stdout).toMatch(/pad\.home\.lan\s+http:\/\/10\.5\.0\.12:3000\s+-\s+-\s+none\s+online\s+pad/);
  });

  it('refuses to delete an unmarked host with --app (exit 1, nothing deleted), deletes a marked one', async () => {
    const before = proxy().requests.length;
    const refused = await runCli(['proxy', 'delete', 'git.home.lan', '--app', 'git', '--yes'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("does not carry homelab's marker for app git: left alone");
    expect(proxy().requests.slice(before).some((r) => r.method === 'DELETE')).toBe(false);
    const deleted = await runCliJson<{ deleted: boolean }>(['proxy', 'delete', 'pad.home.lan', '--app', 'pad', '--yes'], env());
    expect(deleted.deleted).toBe(true);
    expect(proxy().requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/api/nginx/proxy-hosts/')).length).toBe(1);
  });

  it("an advanced config that only holds the marker inside a directive is not homelab's: not listed for the app, not deleted", async () => {
    const row = proxy().db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes('git.home.lan'));
    if (!row) throw new Error('the seed has no git.home.lan host');
    proxy().db.proxyHosts.update(row, { advanced_config: 'return 200 "a · managed-by: homelab app=spoof · b";' });
    const listed = await runCliJson<{ domains: string[]; app: string | null }[]>(['proxy', 'list'], env());
    expect(listed.find((h) => h.domains.includes('git.home.lan'))?.app).toBeNull();
    const before = proxy().requests.length;
    const refused = await runCli(['proxy', 'delete', 'git.home.lan', '--app', 'spoof', '--yes'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("does not carry homelab's marker for app spoof: left alone");
    expect(proxy().requests.slice(before).some((r) => r.method === 'DELETE')).toBe(false);
  });
});

describe('markers on Kuma monitors', () => {
  it('writes the marker into the description and lists the app', async () => {
    const added = await runCliJson<{ id: number; description: string }>(['kuma', 'add', 'http', 'pad', 'https://pad.home.lan', '--app', 'pad'], env());
    expect(added.description).toBe('managed-by: homelab app=pad');
    expect(kuma().state.monitors.get(added.id)?.description).toBe('managed-by: homelab app=pad');
    const list = await runCliJson<{ name: string; app: string | null; description: string | null }[]>(['kuma', 'list'], env());
    expect(list.find((m) => m.name === 'pad')?.app).toBe('pad');
    expect(list.find((m) => m.name === 'forgejo')).toMatchObject({ app: null, description: 'Forgejo git forge' });
  });

  it('deletes with --app only a monitor marked for that app', async () => {
    const refused = await runCli(['kuma', 'delete', 'forgejo', '--app', 'forgejo', '--yes'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("does not carry homelab's marker for app forgejo");
    expect(kuma().events.some((e) => e.event === 'deleteMonitor')).toBe(false);
    await runCliJson(['kuma', 'delete', 'pad', '--app', 'pad', '--yes'], env());
    expect(kuma().events.filter((e) => e.event === 'deleteMonitor').length).toBe(1);
  });
});

describe('certificates by what they cover', () => {
  it('finds the wildcard for a one-label name, not for the apex or a deeper name', async () => {
    const wiki = await runCliJson<{ certificate: { name: string; provider: string } | null }>(['proxy', 'cert-for', 'wiki.home.lan'], env());
    expect(wiki.certificate).toMatchObject({ name: 'home.lan wildcard (internal CA)', provider: 'other' });
    const deep = await runCliJson<{ certificate: unknown }>(['proxy', 'cert-for', 'a.b.home.lan'], env());
    expect(deep.certificate).toBeNull();
    const shown = await runCli(['proxy', 'cert-for', 'a.b.home.lan'], env());
    expect(shown.stdout).toContain('no certificate covers a.b.home.lan');
  });

  it("requests a Let's Encrypt certificate, finds it by name, and deletes it", async () => {
    const cert = await runCliJson<{ id: number; name: string; provider: string; daysLeft: number }>(['proxy', 'cert-request', 'a.b.home.lan'], env());
    expect(cert).toMatchObject({ name: 'a.b.home.lan', provider: 'letsencrypt', daysLeft: 90 });
    const post = proxy().requests.find((r) => r.method === 'POST' && r.path === '/api/nginx/certificates');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ provider: 'letsencrypt', domain_names: ['a.b.home.lan'], meta: { dns_challenge: false } });
    const found = await runCliJson<{ certificate: { id: number } | null }>(['proxy', 'cert-for', 'a.b.home.lan'], env());
    expect(found.certificate?.id).toBe(cert.id);
    await runCliJson(['proxy', 'cert-delete', String(cert.id), '--yes'], env());
    expect(proxy().db.certificates.get(cert.id)).toBeUndefined();
  });

  it('refuses bad names with exit 2 before sending anything', async () => {
    const before = proxy().requests.length;
    for (const args of [['proxy', 'cert-for', '*.home.lan'], ['proxy', 'cert-request', 'not a name'], ['proxy', 'add', 'x.home.lan', '10.5.0.1:80', '--app', 'Bad_Name']]) {
      const res = await runCli(args, env());
      expect(res.code, args.join(' ')).toBe(2);
    }
    expect(proxy().requests.length).toBe(before);
  });
});
