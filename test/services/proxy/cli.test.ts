/**
 * The proxy commands as a user runs them: the built binary against the NPM simulator
 * over real sockets, checking output, --json shapes, exit codes, the token cache
 * between runs, and the simulator's state afterwards.
 */
import { describe, expect, it } from 'vitest';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['proxy'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): ProxySim => lab.current.sims.get('proxy') as ProxySim;
const liveHost = (domain: string) => sim().db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes(domain));

type Host = {
  id: number; domains: string[]; forward: string; forwardHost: string; forwardPort: number; enabled: boolean; online: boolean | null; nginxError: string | null;
  certificate: { id: number; name: string; daysLeft: number; expiresOn: string } | null; sslForced: boolean; websockets: boolean; accessList: { name: string } | null;
};

describe('homelab proxy (CLI)', () => {
  it('lists proxy hosts with TLS days left and nginx state, and reuses its cached token', async () => {
    const table = await runCli(['proxy', 'list'], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+DOMAINS\s+FORWARD\s+CERT\s+EXPIRES\s+SSL\s+STATE/m);
    expect(table.stdout).toMatch(/git\.home\.lan\s+http:\/\/10\.5\.0\.12:3000\s+#\d+ Let's Encrypt\s+5d\s+forced\s+online/);
    expect(table.stdout).toMatch(/dns\.home\.lan\s+http:\/\/10\.5\.0\.2:5380\s+-\s+-\s+none\s+online/);
    const before = sim().requests.length;
    const hosts = await runCliJson<Host[]>(['proxy', 'list'], env());
    expect(sim().requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/nginx/proxy-hosts']);
    // One per app, the one a destroyed guest left behind (trouble.destroyedGuest), and the one made by hand (trouble.handMadeApp).
    expect(hosts.length).toBe(11);
    expect(hosts.find((h) => h.domains[0] === 'git.home.lan')).toMatchObject({ forwardHost: '10.5.0.12', forwardPort: 3000, enabled: true, online: true, nginxError: null, sslForced: true, certificate: { name: 'git.home.lan', daysLeft: 5 } });
    expect(hosts.find((h) => h.domains[0] === 'dns.home.lan')?.certificate).toBeNull();
    expect(hosts.find((h) => h.domains[0] === 'pbs.home.lan')?.accessList?.name).toBe('LAN only');
  });

  it("shows one host by domain or id, with nginx's error when it rejected the config", async () => {
    const git = await runCliJson<Host & { advancedConfig: string }>(['proxy', 'show', 'git.home.lan'], env());
    expect(await runCliJson(['proxy', 'show', String(git.id)], env())).toEqual(git);
    const media = liveHost('media.home.lan');
    if (!media) throw new Error('seed has no media host');
    media.meta = { nginx_online: false, nginx_err: 'nginx: [emerg] unknown directive "proxy_bufering" in /data/nginx/proxy_host/9.conf:21' };
    const shown = await runCli(['proxy', 'show', 'media.home.lan'], env());
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/state\s+offline/);
    expect(shown.stdout).toContain('nginx rejected the config: nginx: [emerg] unknown directive "proxy_bufering"');
    media.meta = { nginx_online: true, nginx_err: null };
    const missing = await runCli(['proxy', 'show', 'nope.home.lan'], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no proxy host for nope.home.lan');
  });

  it('adds a host, then refuses a domain already in use by any host type', async () => {
    const created = await runCliJson<Host>(['proxy', 'add', 'docs.home.lan,www.docs.home.lan', '10.5.0.40:3000', '--websockets', '--block-exploits'], env());
    expect(created).toMatchObject({ domains: ['docs.home.lan', 'www.docs.home.lan'], forward: 'http://10.5.0.40:3000', websockets: true, online: true, certificate: null });
    const row = liveHost('docs.home.lan');
    expect(row).toMatchObject({ forward_host: '10.5.0.40', forward_port: 3000, allow_websocket_upgrade: true, block_exploits: true });
    const dup = await runCli(['proxy', 'add', 'docs.home.lan', '10.5.0.41:80'], env());
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('docs.home.lan is already in use by another host');
    const dead = await runCli(['proxy', 'add', 'wiki.home.lan', '10.5.0.41:80'], env());
    expect(dead.code).toBe(1);
    expect(dead.stderr).toContain('wiki.home.lan is already in use');
  });

  it("requests a Let's Encrypt certificate with --new-cert", async () => {
    const host = await runCliJson<Host>(['proxy', 'add', 'le.home.lan', '10.5.0.44:80', '--new-cert', '--force-ssl', '--http2'], env());
    expect(host.sslForced).toBe(true);
    expect(host.certificate).toMatchObject({ name: 'le.home.lan', daysLeft: 90 });
  });

  it('updates only what is given', async () => {
    const before = sim().requests.length;
    const res = await runCliJson<Host>(['proxy', 'update', 'docs.home.lan', '--target', '10.5.0.45:8080', '--no-websockets'], env());
    expect(res).toMatchObject({ forwardHost: '10.5.0.45', forwardPort: 8080, websockets: false });
    const put = sim().requests.slice(before).find((r) => r.method === 'PUT');
    expect(JSON.parse(put?.body ?? '')).toEqual({ forward_host: '10.5.0.45', forward_port: 8080, allow_websocket_upgrade: false });
    expect(liveHost('docs.home.lan')?.block_exploits).toBe(true);
    const nothing = await runCli(['proxy', 'update', 'docs.home.lan'], env());
    expect(nothing.code).toBe(2);
  });

  it('enables and disables (a no-op is reported, not sent), and deletes after confirmation', async () => {
    expect(await runCliJson(['proxy', 'disable', 'docs.home.lan'], env())).toMatchObject({ enabled: false, changed: true });
    expect(liveHost('docs.home.lan')?.enabled).toBe(false);
    const before = sim().requests.length;
    expect(await runCliJson(['proxy', 'disable', 'docs.home.lan'], env())).toMatchObject({ enabled: false, changed: false });
    expect(sim().requests.slice(before).some((r) => r.method === 'POST')).toBe(false);
    expect(await runCliJson(['proxy', 'enable', 'docs.home.lan'], env())).toMatchObject({ enabled: true, changed: true });
    const refused = await runCli(['proxy', 'delete', 'docs.home.lan'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Delete proxy host docs.home.lan');
    const id = liveHost('docs.home.lan')?.id;
    expect(await runCliJson(['npm-api', 'delete', 'docs.home.lan', '--yes'], env())).toEqual({ id, domains: ['docs.home.lan', 'www.docs.home.lan'], deleted: true });
    expect(liveHost('docs.home.lan')).toBeUndefined();
    expect(sim().db.proxyHosts.rows.find((r) => r.id === id)?.is_deleted).toBe(true);
  });

  it('lists certificates soonest first and never prints meta or private keys', async () => {
    const table = await runCli(['proxy', 'certs'], env());
    expect(table.stdout).not.toMatch(/PRIVATE KEY|certificate_key|meta/);
    const certs = await runCliJson<{ name: string; provider: string; daysLeft: number; usedBy: string[] }[]>(['proxy', 'certs'], env());
    // The uploaded certificate of the hand-made app expired (trouble.handMadeApp), then git's expires soonest.
    expect(certs.slice(0, 2)).toMatchObject([
      { name: 'paperless.home.lan (uploaded)', provider: 'other', daysLeft: -9, usedBy: ['paperless.home.lan'] },
      { name: 'git.home.lan', daysLeft: 5, usedBy: ['git.home.lan'] },
    ]);
    expect(certs.map((c) => c.daysLeft)).toEqual([...certs.map((c) => c.daysLeft)].sort((a, b) => a - b));
    expect(certs.find((c) => c.name.includes('wildcard'))?.usedBy).toEqual([]);
    expect(JSON.stringify(certs)).not.toMatch(/PRIVATE KEY|certificate_key/);
  });

  it('lists redirects, streams, 404 hosts, access lists and the audit log', async () => {
    expect(await runCliJson(['proxy', 'redirects'], env())).toEqual([expect.objectContaining({ domains: ['homeassistant.home.lan'], forwardDomain: 'ha.home.lan', httpCode: 301, preservePath: true })]);
    expect(await runCliJson(['proxy', 'streams'], env())).toEqual([expect.objectContaining({ incomingPort: 2222, forwardingHost: '10.5.0.12', forwardingPort: 22, tcp: true, udp: false })]);
    expect(await runCliJson(['proxy', 'dead-hosts'], env())).toEqual([expect.objectContaining({ domains: ['wiki.home.lan'], enabled: true })]);
    const lists = await runCliJson<{ name: string; users: string[]; clients: { address: string; directive: string }[] }[]>(['proxy', 'access-lists'], env());
    expect(lists[0]).toMatchObject({ name: 'LAN only', users: ['admin'], clients: [{ address: '10.5.0.0/24', directive: 'allow' }, { address: 'all', directive: 'deny' }] });
    expect(JSON.stringify(lists)).not.toMatch(/hint|password/);
    const audit = await runCliJson<{ id: number; action: string; objectType: string; subject: string | null }[]>(['proxy', 'audit', '--limit', '3'], env());
    expect(audit).toHaveLength(3);
    expect(audit[0]?.id).toBeGreaterThan(audit[1]?.id ?? Infinity);
    expect(audit.some((a) => a.action === 'deleted' && a.subject === 'docs.home.lan, www.docs.home.lan')).toBe(true);
  });

  it('refuses bad domains, targets and flag combinations with exit 2, sending nothing', async () => {
    const before = sim().requests.length;
    for (const args of [
      ['proxy', 'add', 'bad_domain.lan', '10.5.0.1:80'], ['proxy', 'add', 'nodot', '10.5.0.1:80'], ['proxy', 'add', 'a.home.lan', '10.5.0.1'],
      ['proxy', 'add', 'a.home.lan', '10.5.0.1:70000'], ['proxy', 'add', 'a.home.lan', '10.5.0.1:80', '--force-ssl'],
      ['proxy', 'add', 'a.home.lan', '10.5.0.1:80', '--cert', '3', '--new-cert'], ['proxy', 'add', 'a.home.lan', '10.5.0.1:80', '--scheme', 'ftp'],
      ['proxy', 'show', 'not a host'], ['proxy', 'audit', '--limit', '500'],
    ]) {
      const result = await runCli(args, env());
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^homelab: /);
    }
    expect(sim().requests.length).toBe(before);
  });
});
