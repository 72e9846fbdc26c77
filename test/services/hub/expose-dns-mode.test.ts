/**
 * `homelab expose` on an app it already manages, as a user runs it: the built binary against
 * the lab's simulators over real sockets. Changing the app's DNS mode (CNAME to A and back)
 * replaces its own record, as `apply` does, and a failed create puts the old record back;
 * an object the app's plan cannot use is never called something homelab "did not create";
 * an IPv6 target is written in brackets; with no Kuma configured, the refusal says how to
 * go without a monitor.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { lab, env, dns, hostFor } = useHubLab();

type Step = { key: string; op: string; state?: string; status?: string; describe: string; undo?: { op: string } };
type PlanResult = { plan: { title: string; steps: Step[] }; outcome: { ok: boolean; steps: Step[] } | null };

/** The records at `name`, as `type value marker`. */
const at = (name: string): string[] => dns().store.records.filter((r) => r.name === name)
  .map((r) => `${r.type} ${String(Object.values(r.rData)[0])} ${r.comments ?? ''}`.trim());

describe('expose changes the DNS mode of an app it manages', () => {
  it('plans a delete of its own record and a create, rolls back when the create fails, and converges', async () => {
    const first = await runCli(['expose', 'app2', 'forgejo:3000', '--yes'], env());
    expect(first.code, first.stderr).toBe(0);
    expect(at('app2.home.lan')).toEqual(['CNAME proxy.home.lan managed-by: homelab app=app2']);

    const dry = await runCli(['expose', 'app2', 'forgejo:3000', '--dns', 'a', '--dry-run', '--json'], env());
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).not.toContain('did not create');
    const plan = JSON.parse(dry.stdout) as PlanResult;
    expect(plan.plan.steps.map((s) => `${s.key}:${s.op}:${s.state ?? 'create'}:${s.undo?.op ?? '-'}`)).toEqual([
      'dns-remove:dns.delete:delete:dns.add-cname', 'dns:dns.add:create:dns.delete', 'proxy:proxy.update:unchanged:-', 'monitor:kuma.edit:unchanged:-',
    ]);
    expect(plan.plan.steps[0]?.describe).toBe('DNS CNAME app2.home.lan → proxy.home.lan');

    // The DNS server refuses the new record: the old one is re-created, marked as before.
    dns().faults.answerNext = { count: 1, status: 200, body: JSON.stringify({ status: 'error', errorMessage: 'zone is read-only' }) };
    dns().faults.only = { method: 'POST', path: /\/records\/add$/ };
    try {
      const failed = await runCli(['expose', 'app2', 'forgejo:3000', '--dns', 'a', '--yes', '--json'], env());
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('zone is read-only');
      const outcome = (JSON.parse(failed.stdout) as PlanResult).outcome;
      expect(outcome?.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['dns-remove:undone', 'dns:failed', 'proxy:not-run', 'monitor:not-run']);
    } finally {
      dns().faults.answerNext = undefined;
      dns().faults.only = undefined;
    }
    expect(at('app2.home.lan')).toEqual(['CNAME proxy.home.lan managed-by: homelab app=app2']);

    const run = await runCliJson<PlanResult>(['expose', 'app2', 'forgejo:3000', '--dns', 'a', '--yes'], env());
    expect(run.outcome?.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['dns-remove:done', 'dns:done', 'proxy:unchanged', 'monitor:unchanged']);
    expect(at('app2.home.lan')).toEqual(['A 127.0.0.1 managed-by: homelab app=app2']);
    const again = await runCliJson<PlanResult>(['expose', 'app2', 'forgejo:3000', '--dns', 'a', '--yes'], env());
    expect(again.outcome?.steps.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    // And back to the default (a CNAME to the proxy's name).
    const back = await runCliJson<PlanResult>(['expose', 'app2', 'forgejo:3000', '--yes'], env());
    expect(back.outcome?.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['dns-remove:done', 'dns:done', 'proxy:unchanged', 'monitor:unchanged']);
    expect(at('app2.home.lan')).toEqual(['CNAME proxy.home.lan managed-by: homelab app=app2']);
    expect(hostFor('app2.home.lan')).toMatchObject({ forward_port: 3000 });
  });

  it("a record someone else made at the name is still a conflict, left alone; the app's own leftover is not called a stranger's", async () => {
    const added = await runCli(['dns', 'add', 'app3', '10.5.0.99'], env());
    expect(added.code, added.stderr).toBe(0);
    const res = await runCli(['expose', 'app3', 'forgejo:3000', '--dns', 'a', '--dry-run'], env());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('cannot expose app3.home.lan: something homelab did not create for app3 holds its names');
    expect(res.stderr).toContain('DNS A app3.home.lan → 10.5.0.99 is not created by homelab: left alone');

    // A second monitor homelab marked for app2 already checks the URL app2's own monitor is to check: in the way, and app2's own.
    const extra = await runCli(['kuma', 'add', 'http', 'app2-health', 'https://app2.home.lan/health', '--app', 'app2'], env());
    expect(extra.code, extra.stderr).toBe(0);
    const own = await runCli(['expose', 'app2', 'forgejo:3000', '--monitor-url', 'https://app2.home.lan/health', '--dry-run'], env());
    expect(own.code).toBe(1);
    expect(own.stderr.split('\n')[0]).toBe('homelab: cannot expose app2.home.lan: something homelab made for app2 but this plan does not use holds its names');
    expect(own.stderr).toContain("is homelab's for app app2: left alone");
    expect(own.stderr).not.toContain('did not create');
    expect(own.stderr).toContain('homelab unexpose app2 removes what homelab made for it');
  });
});

describe('expose: IPv6 targets and a lab without Kuma', () => {
  it('writes an IPv6 target in brackets in the title and in exposed', async () => {
    const dry = await runCliJson<PlanResult>(['expose', 'v6', '[fd00::5]:3000', '--no-monitor', '--dry-run'], env());
    expect(dry.plan.title).toBe('Expose v6.home.lan → http://[fd00::5]:3000');
    const made = await runCli(['expose', 'v6', '[fd00::5]:3000', '--no-monitor', '--yes'], env());
    expect(made.code, made.stderr).toBe(0);
    const listed = await runCliJson<{ apps: { app: string; proxy: { forward: string } }[] }>(['exposed'], env());
    expect(listed.apps.find((a) => a.app === 'v6')?.proxy.forward).toBe('http://[fd00::5]:3000');
    const table = await runCli(['exposed'], env());
    expect(table.stdout).toContain('http://[fd00::5]:3000');
  });

  it('with no services.kuma, names --no-monitor in the hint (exit 3), and works with it', async () => {
    const file = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { services: Record<string, unknown> };
    delete config.services.kuma;
    writeFileSync(file, stringify(config));
    try {
      const res = await runCli(['expose', 'nokuma', 'forgejo:3000', '--dry-run'], env());
      expect(res.code).toBe(3);
      expect(res.stderr).toContain('expose makes an Uptime Kuma monitor, but kuma is not configured');
      expect(res.stderr).toContain('or pass --no-monitor');
      const without = await runCli(['expose', 'nokuma', 'forgejo:3000', '--no-monitor', '--dry-run'], env());
      expect(without.code, without.stderr).toBe(0);
    } finally {
      lab.current.writeConfig();
    }
  });
});
