/**
 * Certificates as NPM really handles them, through the built CLI against the simulator:
 * a failed `proxy add --new-cert` leaves the new host (NPM stores it before certbot runs),
 * which homelab removes when it carries its marker and otherwise names with the command
 * that removes it; `proxy certs` and `cert-delete` count redirection hosts, 404 hosts and
 * streams; deleting a certificate leaves the hosts that use it as they were (NPM only
 * soft-deletes it, and revokes a Let's Encrypt one); a wildcard is refused before an
 * HTTP-01 request is sent. Also the certificate timeline's words for one expired today.
 */
import { describe, expect, it } from 'vitest';
import { certificateTimeline } from '../../../src/services/proxy/cert-timeline.js';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import type { Row } from '../../../src/services/proxy/sim/store.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['proxy'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): ProxySim => lab.current.sims.get('proxy') as ProxySim;
const liveHost = (domain: string): Row | undefined => sim().db.proxyHosts.live().find((h) => (h.domain_names as string[]).includes(domain));

async function withCertbotFailing<T>(run: () => Promise<T>): Promise<T> {
  sim().certbot.letsEncrypt = 'fail';
  try {
    return await run();
  } finally {
    sim().certbot.letsEncrypt = 'ok';
  }
}

describe('proxy add --new-cert when certbot fails', () => {
  it("removes the host NPM kept when it carries homelab's marker, so the same add works once certbot does", async () => {
    const res = await withCertbotFailing(() => runCli(['proxy', 'add', 'le1.home.lan', '10.5.0.44:80', '--new-cert', '--app', 'le1'], env()));
    expect(res.code, res.stderr).toBe(1);
    expect(res.stderr).toMatch(/Let's Encrypt did not issue a certificate \(NPM answered 500\); NPM had already created proxy host #\d+ for le1\.home\.lan, and homelab removed it: nothing is left/);
    expect(liveHost('le1.home.lan')).toBeUndefined();
    const again = await runCliJson<{ domains: string[]; certificate: { provider: string } | null }>(['proxy', 'add', 'le1.home.lan', '10.5.0.44:80', '--new-cert', '--app', 'le1'], env());
    expect(again).toMatchObject({ domains: ['le1.home.lan'], certificate: { provider: 'letsencrypt' } });
  });

  it('without a marker says which host NPM kept and the command that removes it, and leaves it', async () => {
    const res = await withCertbotFailing(() => runCli(['proxy', 'add', 'le2.home.lan', '10.5.0.45:80', '--new-cert', '--force-ssl'], env()));
    expect(res.code, res.stderr).toBe(1);
    const kept = liveHost('le2.home.lan');
    expect(kept).toMatchObject({ certificate_id: 0, ssl_forced: false });
    expect(res.stderr).toContain(`NPM kept the new proxy host #${kept?.id} for le2.home.lan without a certificate`);
    expect(res.stderr).not.toContain('nothing was changed');
    expect(res.stderr).toContain(`remove it before trying again: homelab proxy delete ${kept?.id} --yes`);
    expect((await runCli(['proxy', 'delete', String(kept?.id), '--yes'], env())).code).toBe(0);
    expect(liveHost('le2.home.lan')).toBeUndefined();
  });

  it('says nothing was changed when NPM kept nothing (a failed update, where NPM asks certbot before writing)', async () => {
    const before = structuredClone(liveHost('media.home.lan'));
    const res = await withCertbotFailing(() => runCli(['proxy', 'update', 'media.home.lan', '--new-cert'], env()));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("Let's Encrypt did not issue a certificate (NPM answered 500; nothing was changed)");
    expect(liveHost('media.home.lan')).toEqual(before);
  });
});

describe('certificates used by redirection hosts, 404 hosts and streams', () => {
  it('counts them in proxy certs, names them before and after cert-delete, and leaves every host as it was', async () => {
    const db = sim().db;
    const wildcard = db.certificates.live().find((c) => (c.domain_names as string[]).includes('*.home.lan'));
    const id = Number(wildcard?.id);
    const redirect = db.redirectionHosts.insert({ owner_user_id: 1, domain_names: ['old.home.lan'], forward_scheme: 'https', forward_http_code: 301, forward_domain_name: 'new.home.lan', certificate_id: id, ssl_forced: true, enabled: true, meta: {} });
    const dead = db.deadHosts.insert({ owner_user_id: 1, domain_names: ['gone.home.lan'], certificate_id: id, ssl_forced: true, enabled: true, meta: {} });
    const stream = db.streams.insert({ owner_user_id: 1, incoming_port: 8443, forwarding_host: '10.5.0.9', forwarding_port: 443, tcp_forwarding: true, certificate_id: id, enabled: true, meta: {} });

    const certs = await runCliJson<{ id: number; usedBy: string[]; otherUses: string[] }[]>(['proxy', 'certs'], env());
    const uses = ['redirection host old.home.lan', '404 host gone.home.lan', 'stream 8443'];
    expect(certs.find((c) => c.id === id)).toMatchObject({ usedBy: [], otherUses: uses });
    const table = await runCli(['proxy', 'certs'], env());
    expect(table.stdout).toMatch(/home\.lan wildcard \(internal CA\).*redirection host old\.home\.lan, 404 host gone\.home\.lan, stream 8443/);

    const asked = await runCli(['proxy', 'cert-delete', String(id)], env());
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain(`still used by ${uses.join(', ')}: NPM leaves them as they are`);
    expect(db.certificates.get(id)).toBeDefined();

    const deleted = await runCli(['proxy', 'cert-delete', String(id), '--yes', '--json'], env());
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(JSON.parse(deleted.stdout)).toEqual({ id, name: 'home.lan wildcard (internal CA)', provider: 'other', usedBy: [], otherUses: uses, revoked: false, deleted: true });
    expect(db.certificates.get(id)).toBeUndefined();
    for (const row of [redirect, dead, stream]) expect(row).toMatchObject({ certificate_id: id });
    expect([redirect, dead].map((r) => r.ssl_forced)).toEqual([true, true]);
  });

  it("says NPM revokes a Let's Encrypt certificate, and leaves the proxy host that uses it untouched", async () => {
    const git = liveHost('git.home.lan');
    const before = structuredClone(git);
    const certId = Number(git?.certificate_id);
    const asked = await runCli(['proxy', 'cert-delete', String(certId)], env());
    expect(asked.stderr).toContain(`Delete certificate #${certId} (git.home.lan); NPM also revokes it with Let's Encrypt`);
    const deleted = await runCli(['proxy', 'cert-delete', String(certId), '--yes'], env());
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`deleted certificate #${certId} (git.home.lan); NPM asked Let's Encrypt to revoke it`);
    expect(deleted.stdout).toContain('still named by git.home.lan: NPM leaves them as they are, still naming the deleted certificate; give them another certificate (homelab proxy update <host> --cert <id>)');
    const after = liveHost('git.home.lan');
    expect({ ...after, modified_on: before?.modified_on }).toEqual(before);
  });
});

describe("wildcards and Let's Encrypt over HTTP-01", () => {
  it('refuses a wildcard before anything is sent (exit 2), in cert-request, add and update', async () => {
    const before = sim().requests.length;
    for (const args of [['proxy', 'cert-request', '*.lab.home.lan', '--yes'], ['proxy', 'add', '*.x.home.lan', '10.5.0.1:80', '--new-cert']]) {
      const res = await runCli(args, env());
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toContain("Let's Encrypt issues *.");
    }
    expect(sim().requests.slice(before).filter((r) => r.method !== 'GET' && r.path !== '/api/tokens')).toEqual([]);
    expect((await runCli(['proxy', 'add', '*.w.home.lan', '10.5.0.1:80'], env())).code).toBe(0);
    const update = await runCli(['proxy', 'update', '*.w.home.lan', '--new-cert'], env());
    expect(update.code).toBe(2);
    expect(update.stderr).toContain("Let's Encrypt issues *.w.home.lan only through a DNS challenge");
  });

  it('the simulator fails a wildcard over HTTP-01 as certbot does (500, nothing stored), and issues it over DNS-01', async () => {
    const login = await fetch(`${sim().url}/api/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: sim().users.automation.email, secret: sim().users.automation.password }) });
    const { token } = (await login.json()) as { token: string };
    const request = (meta: Record<string, unknown>): Promise<Response> => fetch(`${sim().url}/api/nginx/certificates`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ provider: 'letsencrypt', domain_names: ['*.lab.home.lan'], meta }),
    });
    const has = (): boolean => sim().db.certificates.live().some((c) => (c.domain_names as string[]).includes('*.lab.home.lan'));
    expect((await request({ dns_challenge: false })).status).toBe(500);
    expect(has()).toBe(false);
    expect((await request({ dns_challenge: true, dns_provider: 'cloudflare', dns_provider_credentials: 'dns_cloudflare_api_token = x' })).status).toBe(201);
    expect(has()).toBe(true);
  });
});

describe('certificate timeline', () => {
  it('says "expired today" for a certificate that expired hours ago (daysLeft -0), as the table says expired', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const expiresOn = new Date(now - 3 * 3_600_000).toISOString();
    const daysLeft = Math.ceil((Date.parse(expiresOn) - now) / 86_400_000);
    expect(Object.is(daysLeft, -0)).toBe(true);
    const [chart] = certificateTimeline([{ name: 'a', expiresOn, daysLeft }], now);
    expect(chart && 'items' in chart ? chart.items.map((i) => i.note) : []).toEqual(['expired today']);
  });
});
