/**
 * `cert: auto` (expose's default, and lab.yaml's) on a proxy host that already has a
 * certificate, as a user meets it: the built binary against the lab's simulators over real
 * sockets. A valid certificate that covers the name is kept (a second run changes nothing); one
 * that has expired, or covers other names only, is replaced, as an update step saying why: by
 * the certificate that covers the name (the lab's wildcard), else by a new one from Let's
 * Encrypt, which is deleted again when the host's update fails (the host keeps its old one).
 */
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { env, proxy, hostFor } = useHubLab();

type Step = { key: string; op: string; state?: string; status?: string; describe: string };
type PlanResult = { plan: { steps: Step[] }; outcome: { ok: boolean; steps: Step[] } | null };

/** The id of the seeded certificate that lists `name`. */
function certId(name: string): number {
  const cert = proxy().db.certificates.live().find((c) => (c.domain_names as string[]).includes(name));
  expect(cert, name).toBeDefined();
  return Number(cert?.id);
}

/** Puts certificate `id` on the proxy host of `domain`, as a user would by hand. */
async function putCert(domain: string, id: number): Promise<void> {
  const r = await runCli(['proxy', 'update', domain, '--cert', String(id), '--yes'], env());
  expect(r.code, r.stderr).toBe(0);
}

const proxyStep = (r: PlanResult): Step | undefined => r.plan.steps.find((s) => s.key === 'proxy');

describe('expose --cert auto on a host that has a certificate', () => {
  it('replaces one that covers other names or has expired with the covering one (an update saying why), then changes nothing', async () => {
    const wildcard = certId('*.home.lan');
    expect((await runCli(['expose', 'ca1', '10.5.0.71:80', '--yes'], env())).code).toBe(0);
    expect(hostFor('ca1.home.lan')?.certificate_id).toBe(wildcard);

    for (const [name, why] of [['git.home.lan', 'covers git.home.lan, not ca1.home.lan'], ['paperless.home.lan', 'has expired']] as const) {
      const id = certId(name);
      await putCert('ca1.home.lan', id);
      const dry = await runCliJson<PlanResult>(['expose', 'ca1', '10.5.0.71:80', '--dry-run'], env());
      expect(proxyStep(dry)?.state).toBe('update');
      expect(proxyStep(dry)?.describe).toMatch(new RegExp(`; changes: certificate #${id} → #${wildcard} \\(#${id} ${why.replace(/\./g, '\\.')}\\)$`));
      const run = await runCliJson<PlanResult>(['expose', 'ca1', '10.5.0.71:80', '--yes'], env());
      expect(run.outcome?.ok).toBe(true);
      expect(hostFor('ca1.home.lan')?.certificate_id).toBe(wildcard);
      const again = await runCliJson<PlanResult>(['expose', 'ca1', '10.5.0.71:80', '--dry-run'], env());
      expect(again.plan.steps.map((s) => s.state)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    }
  });

  it('keeps a valid certificate that covers the name, though another covering one expires later', async () => {
    const issued = await runCliJson<{ id: number }>(['proxy', 'cert-request', 'ca1.home.lan', '--yes'], env());
    await putCert('ca1.home.lan', issued.id);
    const dry = await runCliJson<PlanResult>(['expose', 'ca1', '10.5.0.71:80', '--dry-run'], env());
    expect(proxyStep(dry)?.state).toBe('unchanged');
    expect(proxyStep(dry)?.describe).toContain(`certificate #${issued.id} ca1.home.lan`);
  });

  it('with no certificate covering the name, requests one; a failed host update deletes it again and the host keeps its own', async () => {
    const git = certId('git.home.lan');
    expect((await runCli(['expose', 'ca2', '10.5.0.72:80', '--yes'], env())).code).toBe(0);
    expect((await runCli(['proxy', 'cert-delete', String(certId('*.home.lan')), '--yes'], env())).code).toBe(0);
    await putCert('ca2.home.lan', git);
    const before = proxy().db.certificates.live().map((c) => Number(c.id));

    const dry = await runCliJson<PlanResult>(['expose', 'ca2', '10.5.0.72:80', '--dry-run'], env());
    expect(dry.plan.steps.find((s) => s.key === 'cert')?.describe)
      .toBe(`Let's Encrypt certificate for ca2.home.lan (requested through NPM: the proxy host's certificate #${git} covers git.home.lan, not ca2.home.lan)`);
    expect(proxyStep(dry)?.describe).toMatch(new RegExp(`; changes: certificate #${git} → a new one \\(#${git} covers git\\.home\\.lan, not ca2\\.home\\.lan\\)`));

    proxy().faults.failNext = { count: 1, status: 500 };
    proxy().faults.only = { method: 'PUT', path: /\/proxy-hosts\/\d+$/ };
    try {
      const failed = await runCli(['expose', 'ca2', '10.5.0.72:80', '--yes', '--json'], env());
      expect(failed.code).toBe(1);
      const steps = (JSON.parse(failed.stdout) as PlanResult).outcome?.steps ?? [];
      expect(steps.find((s) => s.key === 'cert')?.status).toBe('undone');
    } finally {
      proxy().faults.failNext = undefined;
      proxy().faults.only = undefined;
    }
    expect(hostFor('ca2.home.lan')?.certificate_id).toBe(git);
    expect(proxy().db.certificates.live().map((c) => Number(c.id))).toEqual(before);

    const run = await runCliJson<PlanResult>(['expose', 'ca2', '10.5.0.72:80', '--yes'], env());
    expect(run.outcome?.ok).toBe(true);
    const issued = Number(hostFor('ca2.home.lan')?.certificate_id);
    expect(before).not.toContain(issued);
    const again = await runCliJson<PlanResult>(['expose', 'ca2', '10.5.0.72:80', '--dry-run'], env());
    expect(again.plan.steps.map((s) => s.state)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });
});
