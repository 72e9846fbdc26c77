/**
 * `homelab expose`, `unexpose` and `exposed` as a user runs them: the built binary against
 * the lab's PVE, DNS, NPM and Kuma simulators over real sockets. What is checked is what
 * the services hold afterwards and what their request logs show: the objects and their
 * markers, "unchanged" on a re-run, the rollback when Kuma refuses the monitor, deletes of
 * marked objects only, and nothing sent for a dry run or bad input.
 */
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { env, dns, proxy, kuma, pve, hostFor, monitorNamed, mutations } = useHubLab();

type Outcome = { ok: boolean; steps: { key: string; status: string; state: string; describe: string; error: { message: string } | null }[] };
type PlanResult = { plan: { title: string; steps: { key: string; op: string; state?: string; describe: string; input: Record<string, unknown> }[] }; dryRun: boolean; outcome: Outcome | null };

const records = (name: string) => dns().store.records.filter((r) => r.name === name);

describe('homelab expose', () => {
  it('refuses bad input with exit 2 and sends nothing', async () => {
    const before = mutations().length;
    const reads = dns().requests.length + proxy().requests.length + pve().requests.length;
    for (const args of [
      ['expose', 'Bad_Name', 'forgejo:3000'], ['expose', 'pad', 'forgejo'], ['expose', 'pad', 'forgejo:99999'],
      ['expose', 'pad', 'forgejo:3000', '--cert', 'maybe'], ['expose', 'pad', 'forgejo:3000', '--dns', 'mx'],
      ['expose', 'pad', 'forgejo:3000', '--scheme', 'ftp'], ['unexpose', 'a b', '--yes'],
    ]) {
      const res = await runCli(args, env());
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
    expect(mutations().length).toBe(before);
    expect(dns().requests.length + proxy().requests.length + pve().requests.length).toBe(reads);
  });

  it('prints the plan with --dry-run and changes nothing', async () => {
    const before = mutations().length;
    const res = await runCliJson<PlanResult>(['expose', 'pad', 'forgejo:3000', '--dry-run'], env());
    expect(res.dryRun).toBe(true);
    expect(res.outcome).toBeNull();
    expect(res.plan.title).toBe('Expose pad.home.lan → http://10.5.0.12:3000 (guest 107 forgejo, from pve ip)');
    expect(res.plan.steps.map((s) => [s.key, s.op, s.state ?? 'create'])).toEqual([
      ['dns', 'dns.add-cname', 'create'], ['proxy', 'proxy.add', 'create'], ['monitor', 'kuma.add.http', 'create'],
    ]);
    expect(res.plan.steps[1]?.input).toMatchObject({ domains: 'pad.home.lan', target: '10.5.0.12:3000', blockExploits: true, forceSsl: true, app: 'pad' });
    const table = await runCli(['expose', 'pad', '107:3000', '--dry-run'], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/create\s+DNS CNAME pad\.home\.lan → proxy\.home\.lan/);
    expect(table.stdout).toMatch(/create\s+NPM proxy host pad\.home\.lan → http:\/\/10\.5\.0\.12:3000 \(certificate #\d+ home\.lan wildcard \(internal CA\), SSL forced, block exploits\)/);
    expect(table.stdout).toMatch(/create\s+Kuma HTTP monitor pad → https:\/\/pad\.home\.lan/);
    const unconfirmed = await runCli(['expose', 'pad', 'forgejo:3000'], env());
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('this needs confirmation; add --yes');
    expect(unconfirmed.stderr).toMatch(/1\. create\s+DNS CNAME pad\.home\.lan → proxy\.home\.lan\n\s+2\. create\s+NPM proxy host pad\.home\.lan[^\n]+\n\s+3\. create\s+Kuma HTTP monitor pad/);
    const byDns = await runCliJson<PlanResult>(['expose', 'router', 'gateway:80', '--dry-run'], env());
    expect(byDns.plan.title).toBe('Expose router.home.lan → http://10.5.0.254:80 (from DNS gateway.home.lan)');
    expect(mutations().length).toBe(before);
    expect(records('pad.home.lan')).toEqual([]);
  });

  it('refuses a certificate that does not cover the name, and a template as the target, in one line, changing nothing', async () => {
    const before = mutations().length;
    const gitCert = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).join() === 'git.home.lan');
    const wildcard = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).includes('*.home.lan'));
    if (!gitCert || !wildcard) throw new Error('the lab has no git.home.lan or wildcard certificate');
    const wrong = await runCli(['expose', 'c1', 'forgejo:3000', '--cert', String(gitCert.id), '--dry-run'], env());
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.split('\n')[0]).toBe(`homelab: certificate #${gitCert.id} covers git.home.lan, not c1.home.lan`);
    expect(wrong.stdout).toBe('');
    const right = await runCliJson<PlanResult>(['expose', 'c1', 'forgejo:3000', '--cert', String(wildcard.id), '--dry-run'], env());
    expect(right.plan.steps[1]?.describe).toContain(`certificate #${wildcard.id}`);
    for (const target of ['9000:80', 'debian-13-tmpl:80']) {
      const res = await runCli(['expose', 'm3', target, '--dry-run'], env());
      expect(res.code, target).toBe(1);
      expect(res.stderr.split('\n')[0]).toBe('homelab: guest 9000 (debian-13-tmpl) is a template: it does not run and cannot be exposed');
    }
    expect((await runCli(['expose', 'm3', '9999:80', '--dry-run'], env())).stderr).toContain('no guest with VMID 9999 in the cluster');
    expect(mutations().length).toBe(before);
  });

  it('refuses a name that something homelab did not create holds, listing it, and changes nothing', async () => {
    const before = mutations().length;
    const res = await runCli(['expose', 'wiki', 'forgejo:3000', '--yes'], env());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('cannot expose wiki.home.lan');
    expect(res.stderr).toContain('NPM 404 host #1 (wiki.home.lan) holds wiki.home.lan, not created by homelab: left alone');
    expect(mutations().length).toBe(before);
  });

  it('creates the record, the proxy host and the monitor, all marked; a second run is all unchanged', async () => {
    const res = await runCliJson<PlanResult>(['expose', 'pad', 'forgejo:3000', '--websockets', '--yes'], env());
    expect(res.outcome?.ok).toBe(true);
    expect(res.outcome?.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(records('pad.home.lan')).toEqual([expect.objectContaining({ type: 'CNAME', rData: { cname: 'proxy.home.lan' }, comments: 'managed-by: homelab app=pad' })]);
    const wildcard = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).includes('*.home.lan'));
    expect(hostFor('pad.home.lan')).toMatchObject({
      forward_scheme: 'http', forward_host: '10.5.0.12', forward_port: 3000, block_exploits: true, allow_websocket_upgrade: true,
      certificate_id: wildcard?.id, ssl_forced: true, advanced_config: '# managed-by: homelab app=pad',
    });
    expect(monitorNamed('pad')).toMatchObject({ type: 'http', url: 'https://pad.home.lan', description: 'managed-by: homelab app=pad' });

    const before = mutations().length;
    // No --yes, no terminal: a re-run that changes nothing asks nothing (a cron job can repeat it).
    const again = await runCliJson<PlanResult>(['expose', 'pad', 'forgejo:3000', '--websockets'], env());
    expect(again.outcome?.steps.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(mutations().length).toBe(before);
  });

  it('moves a marked proxy host to a new target as an update, leaving the rest unchanged', async () => {
    const res = await runCliJson<PlanResult>(['expose', 'pad', '10.5.0.40:8080', '--websockets', '--yes'], env());
    expect(res.outcome?.steps.map((s) => `${s.key}:${s.state}:${s.status}`)).toEqual(['dns:unchanged:unchanged', 'proxy:update:done', 'monitor:unchanged:unchanged']);
    expect(hostFor('pad.home.lan')).toMatchObject({ forward_host: '10.5.0.40', forward_port: 8080, advanced_config: '# managed-by: homelab app=pad' });
  });

  it('lists the exposed apps with the state of each part', async () => {
    const res = await runCliJson<{ zone: string; apps: { app: string; name: string; dns: unknown; proxy: unknown; monitor: unknown }[] }>(['exposed'], env());
    expect(res.zone).toBe('home.lan');
    expect(res.apps).toEqual([expect.objectContaining({
      app: 'pad', name: 'pad.home.lan',
      dns: { type: 'CNAME', value: 'proxy.home.lan', state: 'present' },
      proxy: expect.objectContaining({ forward: 'http://10.5.0.40:8080', state: 'online', sslForced: true, certificate: expect.objectContaining({ name: 'home.lan wildcard (internal CA)' }) }),
      monitor: expect.objectContaining({ name: 'pad', url: 'https://pad.home.lan' }),
    })]);
    const host = hostFor('pad.home.lan');
    if (!host) throw new Error('pad.home.lan has no proxy host');
    host.enabled = false;
    const table = await runCli(['exposed'], env());
    host.enabled = true;
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/pad\s+pad\.home\.lan\s+CNAME proxy\.home\.lan\s+http:\/\/10\.5\.0\.40:8080 disabled\s+#\d+ \d+d\s+\w+/);
  });

  it('unexposes only the marked objects, in reverse, and reports what else is at the name', async () => {
    dns().store.records.push({ ...structuredClone(records('pad.home.lan')[0]!), name: 'pad.home.lan', type: 'TXT', rData: { text: 'owner=ops', splitText: false }, comments: 'not ours' });
    const res = await runCliJson<PlanResult>(['unexpose', 'pad', '--yes'], env());
    expect(res.plan.steps.map((s) => `${s.op}:${s.state}`)).toEqual(['kuma.delete:delete', 'proxy.delete:delete', 'dns.delete:delete', 'dns.records:unchanged']);
    expect(res.plan.steps.map((s) => s.describe)).toEqual([
      expect.stringMatching(/^Kuma monitor pad \(id \d+, https:\/\/pad\.home\.lan\)$/), 'NPM proxy host pad.home.lan → http://10.5.0.40:8080',
      'DNS CNAME pad.home.lan → proxy.home.lan', "left alone (not homelab's for this app): DNS TXT pad.home.lan → owner=ops",
    ]);
    expect(res.outcome?.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'unchanged']);
    expect(records('pad.home.lan').map((r) => r.type)).toEqual(['TXT']);
    expect(hostFor('pad.home.lan')).toBeUndefined();
    expect(monitorNamed('pad')).toBeUndefined();
    // A second run is safe: nothing to remove, exit 0, and what else is at the name is still listed.
    const before = mutations().length;
    // Without --yes and without a terminal too: a plan that changes nothing has nothing to confirm.
    const again = await runCli(['unexpose', 'pad'], env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("nothing to remove, homelab manages nothing for app pad; what is at pad.home.lan is not homelab's, left alone");
    expect(again.stdout).toContain('DNS TXT pad.home.lan → owner=ops');
    expect(mutations().length).toBe(before);
    dns().store.records.splice(dns().store.records.findIndex((r) => r.name === 'pad.home.lan'), 1);
  });

  it('rolls back the DNS record and the proxy host when Kuma refuses the monitor', async () => {
    kuma().kumaFaults.refuse = { event: 'add', count: 1, msg: 'SQLITE_FULL: database or disk is full' };
    const dnsBefore = dns().requests.length;
    const proxyBefore = proxy().requests.length;
    const res = await runCli(['expose', 'board', 'dockge:5001', '--yes', '--json'], env());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('step 3 of 3 (Kuma HTTP monitor board → https://board.home.lan) failed');
    expect(res.stderr).toContain('SQLITE_FULL: database or disk is full');
    const result = JSON.parse(res.stdout) as PlanResult;
    expect(result.outcome?.steps.map((s) => s.status)).toEqual(['undone', 'undone', 'failed']);
    const dnsCalls = dns().requests.slice(dnsBefore).filter((r) => r.method === 'POST').map((r) => `${r.path} ${new URLSearchParams(r.body).get('domain')}`);
    expect(dnsCalls).toEqual(['/api/zones/records/add board.home.lan', '/api/zones/records/delete board.home.lan']);
    const proxyCalls = proxy().requests.slice(proxyBefore).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/\d+$/, 'N')}`);
    expect(proxyCalls).toEqual(['POST /api/nginx/proxy-hosts', 'DELETE /api/nginx/proxy-hosts/N']);
    expect(records('board.home.lan')).toEqual([]);
    expect(hostFor('board.home.lan')).toBeUndefined();
    expect(monitorNamed('board')).toBeUndefined();
  });

  it("requests a Let's Encrypt certificate when none covers the name, with an A record to the proxy URL's host", async () => {
    const wildcard = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).includes('*.home.lan'));
    if (!wildcard) throw new Error('the lab has no wildcard certificate');
    wildcard.is_deleted = true;
    try {
      const res = await runCliJson<PlanResult>(['expose', 'board', '10.5.0.11:5001', '--dns', 'a', '--no-monitor', '--yes'], env());
      expect(res.plan.steps.map((s) => s.op)).toEqual(['dns.add', 'proxy.cert-request', 'proxy.add']);
      expect(res.outcome?.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
      expect(records('board.home.lan')).toEqual([expect.objectContaining({ type: 'A', rData: { ipAddress: '127.0.0.1' }, comments: 'managed-by: homelab app=board' })]);
      const cert = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).includes('board.home.lan'));
      expect(cert).toMatchObject({ provider: 'letsencrypt' });
      expect(hostFor('board.home.lan')).toMatchObject({ certificate_id: cert?.id, ssl_forced: true });
      expect(monitorNamed('board')).toBeUndefined();
      const again = await runCliJson<PlanResult>(['expose', 'board', '10.5.0.11:5001', '--dns', 'a', '--no-monitor', '--yes'], env());
      expect(again.plan.steps.map((s) => `${s.op}:${s.state}`)).toEqual(['dns.add:unchanged', 'proxy.update:unchanged']);
    } finally {
      wildcard.is_deleted = false;
    }
  });
});
