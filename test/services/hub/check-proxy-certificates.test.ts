/**
 * `homelab check` on certificates as `proxy certs` counts their uses, through the built CLI
 * against the simulators: a certificate only a stream uses is in use (never "used by no host",
 * never a cert-delete fix), and a proxy host still naming a certificate NPM deleted is found
 * (an error with HTTPS forced), its fix gives it a certificate, and its monitor proposal is https.
 */
import { describe, expect, it } from 'vitest';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import { npmTimestamp } from '../../../src/services/proxy/sim/store.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['proxy', 'dns', 'kuma'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): ProxySim => lab.current.sims.get('proxy') as ProxySim;

type Finding = { kind: string; severity: string; subject: string; message: string; evidence: { service: string; says: string }[]; fix: string };

async function findings(...args: string[]): Promise<Finding[]> {
  const res = await runCli(['check', '--json', ...args], env(), { timeoutMs: 60_000 });
  return (JSON.parse(res.stdout) as { findings: Finding[] }).findings;
}

/** The command of a fix (before its first parenthesis), as argv without `homelab`. */
function argvOf(fix: string): string[] {
  const words = (fix.split(' (')[0] ?? '').split(' ');
  expect(words[0]).toBe('homelab');
  return words.slice(1);
}

describe('check counts the uses proxy certs counts', () => {
  it('a certificate only a stream uses is in use; one a proxy host and a stream use is renewed in NPM, never deleted', async () => {
    const db = sim().db;
    const wildcard = db.certificates.live().find((c) => (c.domain_names as string[]).includes('*.home.lan'));
    const id = Number(wildcard?.id);
    const stream = db.streams.insert({ owner_user_id: 1, incoming_port: 8443, forwarding_host: '10.5.0.9', forwarding_port: 443, tcp_forwarding: true, certificate_id: id, enabled: true, meta: {} });
    const certs = await runCliJson<{ id: number; otherUses: string[] }[]>(['proxy', 'certs'], env());
    expect(certs.find((c) => c.id === id)?.otherUses).toEqual(['stream 8443']);

    const wide = (await findings('--cert-warn-days', '365', '--cert-error-days', '14')).find((f) => f.kind === 'certificate-expiring' && f.message.includes('wildcard'));
    expect(wide?.message).not.toContain('no host uses it');
    expect(wide?.evidence[0]?.says).toMatch(/used by stream 8443$/);
    expect(wide?.fix).not.toContain('cert-delete');

    // The same stream on the Let's Encrypt certificate of git.home.lan, five days left.
    const git = db.certificates.live().find((c) => (c.domain_names as string[]).includes('git.home.lan'));
    db.certificates.update(git!, { expires_on: npmTimestamp(new Date(db.now().getTime() + 5 * 86_400_000)) });
    db.streams.update(stream, { certificate_id: Number(git?.id) });
    const renew = (await findings()).find((f) => f.kind === 'certificate-expiring' && f.subject === 'git.home.lan');
    expect(renew?.evidence[0]?.says).toMatch(/used by git\.home\.lan, stream 8443$/);
    expect(renew?.fix).not.toContain('cert-delete');
    expect(renew?.fix).toMatch(/^renew it in Nginx Proxy Manager: SSL Certificates, Renew Now \(git\.home\.lan, stream 8443 use it;/);
    db.streams.update(stream, { certificate_id: 0 });
  });
});

describe('host types the NPM account may not list', () => {
  it('make a certificate no visible host uses "none seen", never unused: check offers no cert-delete', async () => {
    const certs = await runCliJson<{ id: number; name: string; usedBy: string[]; otherUses: string[] }[]>(['proxy', 'certs'], env());
    const idle = certs.find((c) => c.usedBy.length === 0 && c.otherUses.length === 0);
    if (!idle) throw new Error('the lab has a certificate no host uses');
    const hideStreams = (): void => { sim().faults.failNext = { count: 20, status: 403 }; sim().faults.only = { method: 'GET', path: /\/api\/nginx\/streams/ }; };
    const reset = (): void => { sim().faults.failNext = undefined; sim().faults.only = undefined; };
    try {
      hideStreams();
      const seen = await runCliJson<{ id: number; unknownUses: string[] }[]>(['proxy', 'certs'], env());
      expect(seen.find((c) => c.id === idle.id)?.unknownUses).toEqual(['streams']);
      hideStreams();
      const table = await runCli(['proxy', 'certs'], env());
      expect(table.stdout).toMatch(new RegExp(`^ *${idle.id} .*none seen \\(streams not readable\\)`, 'm'));
      hideStreams();
      const found = (await findings('--cert-warn-days', '365', '--cert-error-days', '14')).find((f) => f.kind === 'certificate-expiring' && f.subject === idle.name);
      expect(found?.message).not.toContain('no host uses it');
      expect(found?.evidence[0]?.says).toContain('used by no host homelab can see (its NPM account may not list streams)');
      expect(found?.fix).not.toContain('cert-delete');
    } finally {
      reset();
    }
  });
});

describe('a proxy host still naming a deleted certificate', () => {
  it('is an error with HTTPS forced, its fix gives it a covering certificate, and its monitor proposal is https', async () => {
    const made = await runCliJson<{ id: number }>(['proxy', 'cert-request', 'dz.home.lan', '--yes'], env());
    expect((await runCli(['proxy', 'add', 'dz.home.lan', '10.5.0.11:5001', '--cert', String(made.id), '--force-ssl'], env())).code).toBe(0);
    expect((await runCli(['proxy', 'cert-delete', String(made.id), '--yes'], env())).code).toBe(0);

    const all = await findings();
    const found = all.find((f) => f.kind === 'proxy-certificate-deleted' && f.subject === 'dz.home.lan');
    expect(found).toMatchObject({ severity: 'error', message: `dz.home.lan still names certificate #${made.id}, which was deleted in NPM, with HTTPS forced` });
    const wildcard = sim().db.certificates.live().find((c) => (c.domain_names as string[]).includes('*.home.lan'));
    expect(found?.fix).toMatch(new RegExp(`^homelab proxy update dz\\.home\\.lan --cert ${Number(wildcard?.id)} \\(certificate #${Number(wildcard?.id)}, `));
    const monitor = all.find((f) => f.kind === 'proxy-without-monitor' && f.subject === 'dz.home.lan');
    expect(monitor?.fix).toBe('homelab kuma add http dz https://dz.home.lan');

    const fixed = await runCli(argvOf(found?.fix ?? ''), env());
    expect(fixed.code, fixed.stderr).toBe(0);
    expect((await findings()).filter((f) => f.kind === 'proxy-certificate-deleted')).toEqual([]);
  });

  it('is a warning without HTTPS forced; a disabled host is left alone', async () => {
    const made = await runCliJson<{ id: number }>(['proxy', 'cert-request', 'dy.home.lan', '--yes'], env());
    expect((await runCli(['proxy', 'add', 'dy.home.lan', '10.5.0.11:5002', '--cert', String(made.id)], env())).code).toBe(0);
    expect((await runCli(['proxy', 'cert-delete', String(made.id), '--yes'], env())).code).toBe(0);
    const of = async (): Promise<Finding[]> => (await findings()).filter((f) => f.kind === 'proxy-certificate-deleted');
    expect((await of()).map((f) => `${f.severity} ${f.subject}`)).toEqual(['warning dy.home.lan']);
    expect((await runCli(['proxy', 'disable', 'dy.home.lan', '--yes'], env())).code).toBe(0);
    expect(await of()).toEqual([]);
  });
});
