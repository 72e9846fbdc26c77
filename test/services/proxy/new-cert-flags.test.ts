/**
 * TLS flags around certificates as NPM really handles them, through the built CLI against the
 * simulator. A create with `certificate_id: "new"` leaves `ssl_forced`, `http2_support` and
 * HSTS off (NPM stores the host before certbot runs, then sets only the certificate id):
 * `proxy add --new-cert --force-ssl --http2` sets them with one update afterwards, an update
 * with a new certificate keeps them by itself. A host still naming a certificate NPM deleted
 * is shown as such in `proxy list` and `proxy show`, and `--force-ssl` on it is refused.
 */
import { describe, expect, it } from 'vitest';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import type { Row } from '../../../src/services/proxy/sim/store.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['proxy'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): ProxySim => lab.current.sims.get('proxy') as ProxySim;
const liveHost = (domain: string): Row | undefined => sim().db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes(domain));
const writes = (from: number): { method: string; body: unknown }[] => sim().requests.slice(from)
  .filter((r) => r.method === 'POST' || r.method === 'PUT').filter((r) => r.path.startsWith('/api/nginx/'))
  .map((r) => ({ method: r.method, body: JSON.parse(r.body ?? 'null') as unknown }));

type Host = { id: number; sslForced: boolean; http2: boolean; hsts: boolean; certificate: { id: number; provider: string } | null; deletedCertificateId: number | null };

async function token(): Promise<string> {
  const res = await fetch(`${sim().url}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: sim().users.automation.email, secret: sim().users.automation.password }) });
  return ((await res.json()) as { token: string }).token;
}

describe('the simulator, as NPM, on a create with certificate_id "new"', () => {
  it('issues the certificate but leaves ssl_forced, http2_support and HSTS off; an update with "new" keeps them', async () => {
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${await token()}` };
    const flags = { ssl_forced: true, http2_support: true, hsts_enabled: true, hsts_subdomains: true };
    const res = await fetch(`${sim().url}/api/nginx/proxy-hosts`, {
      method: 'POST', headers: auth,
      body: JSON.stringify({ domain_names: ['raw.home.lan'], forward_scheme: 'http', forward_host: '10.5.0.50', forward_port: 80, certificate_id: 'new', ...flags }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created.certificate_id).toEqual(expect.any(Number));
    expect(created.certificate_id).toBeGreaterThan(0);
    expect(created).toMatchObject({ ssl_forced: false, http2_support: false, hsts_enabled: false, hsts_subdomains: false });

    const plain = await fetch(`${sim().url}/api/nginx/proxy-hosts`, { method: 'POST', headers: auth, body: JSON.stringify({ domain_names: ['raw2.home.lan'], forward_scheme: 'http', forward_host: '10.5.0.51', forward_port: 80 }) });
    const id = ((await plain.json()) as { id: number }).id;
    const updated = await fetch(`${sim().url}/api/nginx/proxy-hosts/${id}`, { method: 'PUT', headers: auth, body: JSON.stringify({ certificate_id: 'new', ...flags }) });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject(flags);
  });
});

describe('proxy add --new-cert with TLS flags', () => {
  it('ends with the flags asked for: NPM drops them on the create, homelab sets them with one update', async () => {
    const before = sim().requests.length;
    const host = await runCliJson<Host>(['proxy', 'add', 'flags.home.lan', '10.5.0.52:80', '--new-cert', '--force-ssl', '--http2'], env());
    expect(host).toMatchObject({ sslForced: true, http2: true, certificate: { provider: 'letsencrypt' } });
    expect(liveHost('flags.home.lan')).toMatchObject({ ssl_forced: true, http2_support: true, certificate_id: host.certificate?.id });
    const sent = writes(before);
    expect(sent.map((w) => w.method)).toEqual(['POST', 'PUT']);
    expect(sent[1]?.body).toEqual({ ssl_forced: true, http2_support: true });
  });

  it('sends no update when nothing was lost (no flags asked)', async () => {
    const before = sim().requests.length;
    const host = await runCliJson<Host>(['proxy', 'add', 'noflags.home.lan', '10.5.0.53:80', '--new-cert'], env());
    expect(host).toMatchObject({ sslForced: false, certificate: { provider: 'letsencrypt' } });
    expect(writes(before).map((w) => w.method)).toEqual(['POST']);
  });

  it('when the update fails, names the host NPM created and the command that sets the flags, with the exit code of the failure (4: unreachable)', async () => {
    Object.assign(sim().faults, { resetNext: 1, only: { method: 'PUT' } });
    try {
      const res = await runCli(['proxy', 'add', 'half.home.lan', '10.5.0.54:80', '--new-cert', '--force-ssl'], env());
      const kept = liveHost('half.home.lan');
      expect(kept).toMatchObject({ ssl_forced: false });
      expect(Number(kept?.certificate_id)).toBeGreaterThan(0);
      expect(res.code, res.stderr).toBe(4);
      expect(res.stderr).toContain(`NPM created proxy host #${kept?.id} for half.home.lan with its new certificate but without forced HTTPS`);
      expect(res.stderr).toContain(`homelab proxy update ${kept?.id} --force-ssl`);
      expect(res.stderr).not.toContain("Let's Encrypt did not issue");
      expect((await runCli(['proxy', 'update', String(kept?.id), '--force-ssl'], env())).code).toBe(0);
      expect(liveHost('half.home.lan')).toMatchObject({ ssl_forced: true });
    } finally {
      Object.assign(sim().faults, { resetNext: 0, only: undefined });
    }
  });

  it('proxy update --new-cert --force-ssl keeps the flags with its one update (NPM sets the certificate first)', async () => {
    expect((await runCli(['proxy', 'add', 'later.home.lan', '10.5.0.55:80'], env())).code).toBe(0);
    const before = sim().requests.length;
    const host = await runCliJson<Host>(['proxy', 'update', 'later.home.lan', '--new-cert', '--force-ssl', '--http2'], env());
    expect(host).toMatchObject({ sslForced: true, http2: true, certificate: { provider: 'letsencrypt' } });
    expect(writes(before).map((w) => w.method)).toEqual(['PUT']);
  });
});

describe('a host naming a certificate NPM deleted', () => {
  it('is shown with the deleted certificate, not as having none; --force-ssl on it needs a certificate', async () => {
    const git = liveHost('git.home.lan');
    const certId = Number(git?.certificate_id);
    expect((await runCli(['proxy', 'cert-delete', String(certId), '--yes'], env())).code).toBe(0);
    expect(liveHost('git.home.lan')).toMatchObject({ certificate_id: certId, ssl_forced: true });

    const listed = await runCliJson<(Host & { domains: string[] })[]>(['proxy', 'list'], env());
    expect(listed.find((h) => h.domains[0] === 'git.home.lan')).toMatchObject({ certificate: null, deletedCertificateId: certId, sslForced: true });
    expect(listed.find((h) => h.domains[0] === 'dns.home.lan')).toMatchObject({ certificate: null, deletedCertificateId: null });
    const table = await runCli(['proxy', 'list'], env());
    expect(table.stdout).toMatch(new RegExp(`git\\.home\\.lan\\s+http://10\\.5\\.0\\.12:3000\\s+#${certId} deleted\\s+-\\s+forced\\s+online`));
    expect(table.stdout).toMatch(/dns\.home\.lan\s+http:\/\/10\.5\.0\.2:5380\s+-\s+-\s+none\s+online/);

    const shown = await runCli(['proxy', 'show', 'git.home.lan'], env());
    expect(shown.stdout).toMatch(new RegExp(`certificate\\s+#${certId}, deleted in NPM`));
    expect(shown.stdout).toContain(`certificate #${certId} was deleted in NPM, but this host still names it (with HTTPS forced)`);
    expect(shown.stdout).toContain('homelab proxy update git.home.lan --cert <id> (or --new-cert), or none: --cert 0');

    const before = sim().requests.length;
    const forced = await runCli(['proxy', 'update', 'git.home.lan', '--http2'], env());
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain('--force-ssl and --http2 need a certificate');
    expect(sim().requests.slice(before).filter((r) => r.method === 'PUT')).toEqual([]);
    expect((await runCli(['proxy', 'update', 'git.home.lan', '--cert', '0'], env())).code).toBe(0);
    expect(liveHost('git.home.lan')).toMatchObject({ certificate_id: 0, ssl_forced: false });
    expect((await runCliJson<Host>(['proxy', 'show', 'git.home.lan'], env())).deletedCertificateId).toBeNull();
  });
});
