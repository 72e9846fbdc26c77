/**
 * What expose, plan, check and unexpose must not let pass, as a user meets it: the built
 * binary (and an MCP agent) against the lab's PVE, DNS, NPM and Kuma simulators over real
 * sockets. A disabled proxy host or a paused monitor of an exposed app is drift (planned as
 * an enable / resume, found by check); a CNAME to its own name is refused everywhere; a
 * service unexpose cannot look at is named; a guest name two guests share is refused with
 * the guests listed; a VMID no guest has is a usage error, as in every pve command.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { connect, startServer, textOf } from '../../surfaces/mcp/helpers.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { lab, env, dns, hostFor, monitorNamed, mutations } = useHubLab();

type PlanResult = { plan: { steps: { key: string; op: string; state?: string; describe: string; undo?: { op: string } }[] }; outcome: { steps: { key: string; status: string }[] } | null };
type Finding = { kind: string; severity: string; subject: string; fix: string };

/** Writes a lab file in the lab's folder and returns its path. */
function labFile(name: string, text: string): string {
  const path = join(lab.current.dir, name);
  writeFileSync(path, text);
  return path;
}

describe('a disabled proxy host or a paused monitor of an exposed app', () => {
  it('is drift: expose and plan enable / resume it, check warns with the fix, and a run brings it back', async () => {
    await runCliJson(['expose', 'chat', '10.5.0.41:3000', '--yes'], env());
    const file = labFile('chat.yaml', 'apps:\n  chat:\n    target: 10.5.0.41:3000\n');
    expect((await runCli(['plan', file, '--detailed-exitcode'], env())).code).toBe(0);
    for (const args of [['proxy', 'disable', 'chat.home.lan'], ['kuma', 'pause', 'chat']]) {
      const res = await runCli(args, env());
      expect(res.code, res.stderr).toBe(0);
    }

    const dry = await runCliJson<PlanResult>(['expose', 'chat', '10.5.0.41:3000', '--dry-run'], env());
    expect(dry.plan.steps.map((s) => `${s.key}:${s.op}:${s.state ?? 'create'}:${s.undo?.op ?? '-'}`)).toEqual([
      'dns:dns.add-cname:unchanged:dns.delete', 'proxy:proxy.update:unchanged:-', 'proxy-enable:proxy.enable:update:proxy.disable',
      'monitor:kuma.edit:unchanged:-', 'monitor-resume:kuma.resume:update:kuma.pause',
    ]);
    expect(dry.plan.steps.map((s) => s.describe)).toContain('enable NPM proxy host chat.home.lan (it is disabled)');
    const plan = await runCli(['plan', file, '--detailed-exitcode'], env());
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/update\s+resume Kuma monitor chat \(it is paused\)/);

    const check = await runCli(['check', '--json'], env(), { timeoutMs: 60_000 });
    const all = (JSON.parse(check.stdout) as { findings: Finding[] }).findings;
    expect(all.filter((f) => f.subject === 'chat.home.lan' && f.kind === 'monitor-without-proxy')).toEqual([]);
    const findings = all.filter((f) => f.kind.startsWith('managed-'));
    expect(findings.map((f) => `${f.severity} ${f.kind} ${f.subject}`)).toEqual(['warning managed-host-disabled chat.home.lan', 'warning managed-monitor-paused chat']);
    expect(findings[0]?.fix).toMatch(/^homelab proxy enable chat\.home\.lan \(or homelab apply/);
    expect(findings[1]?.fix).toMatch(/^homelab kuma resume \d+ \(or homelab apply/);

    const run = await runCliJson<PlanResult>(['expose', 'chat', '10.5.0.41:3000', '--yes'], env());
    expect(run.outcome?.steps.filter((s) => s.status === 'done').map((s) => s.key)).toEqual(['proxy-enable', 'monitor-resume']);
    expect(hostFor('chat.home.lan')?.enabled).toBe(true);
    expect(monitorNamed('chat')?.active).toBe(true);
    expect((await runCli(['plan', file, '--detailed-exitcode'], env())).code).toBe(0);
  });
});

describe('a CNAME to its own name', () => {
  it('is refused in one line by expose (exit 2), in lab.yaml (exit 3, with the line) and by dns add-cname (exit 2), nothing sent', async () => {
    const before = mutations().length;
    const exposed = await runCli(['expose', 'self', 'forgejo:3000', '--dns', 'self.home.lan', '--dry-run'], env());
    expect(exposed.code).toBe(2);
    expect(exposed.stderr.split('\n')[0]).toBe('homelab: a CNAME cannot point to its own name: self.home.lan → self.home.lan would be a loop');
    const app = await runCli(['plan', labFile('self-app.yaml', 'apps:\n  pad:\n    target: 10.5.0.12:3000\n    dns: pad.home.lan\n')], env());
    expect(app.code).toBe(3);
    expect(app.stderr).toContain('self-app.yaml:4: apps.pad.dns: a CNAME cannot point to its own name: pad.home.lan → pad.home.lan would be a loop');
    const record = await runCli(['plan', labFile('self-record.yaml', 'records:\n  - { name: a1, type: CNAME, value: a1 }\n')], env());
    expect(record.code).toBe(3);
    expect(record.stderr).toContain('self-record.yaml:2: records[0].value: a CNAME cannot point to its own name: a1.home.lan → a1.home.lan would be a loop');
    const added = await runCli(['dns', 'add-cname', 'loop', 'loop.home.lan'], env());
    expect(added.code).toBe(2);
    expect(added.stderr.split('\n')[0]).toBe('homelab: a CNAME cannot point to its own name: loop.home.lan → loop.home.lan would be a loop');
    expect((await runCli(['dns', 'add-cname', 'loop', 'loop'], env())).code).toBe(2);
    expect(mutations().length).toBe(before);
    expect(dns().store.records.filter((r) => r.name === 'loop.home.lan')).toEqual([]);
  });
});

describe('unexpose with a service that is not configured', () => {
  it('names the service as not checked, removes what it can reach, exits 0, and leaves the monitor it cannot see', async () => {
    await runCliJson(['expose', 'tg5', '10.5.0.41:3000', '--yes'], env());
    const path = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const config = parse(readFileSync(path, 'utf8')) as { services: Record<string, unknown> };
    delete config.services.kuma;
    writeFileSync(path, stringify(config));
    try {
      const res = await runCli(['unexpose', 'tg5', '--yes'], env());
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('Unexpose tg5 (tg5.home.lan); not checked, not configured: kuma');
      expect(res.stdout).toMatch(/unchanged\s+not checked \(not configured\): Uptime Kuma monitors; one homelab made for tg5 may remain \(configure services\.kuma, then run unexpose tg5 again\)/);
      expect(hostFor('tg5.home.lan')).toBeUndefined();
      expect(monitorNamed('tg5')).toBeDefined();
      const again = await runCli(['unexpose', 'tg5'], env());
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('nothing to remove, homelab manages nothing for app tg5 in the services checked (not checked, not configured: kuma)');
    } finally {
      lab.current.writeConfig();
    }
    expect((await runCli(['unexpose', 'tg5', '--yes'], env())).code).toBe(0);
    expect(monitorNamed('tg5')).toBeUndefined();
  });
});

describe('an MCP agent without a lab file', () => {
  it('is told how to get one in its own terms: the export tool gives the text, the owner saves it', async () => {
    const server = await startServer(lab.current, 'read');
    const agent = await connect(server);
    try {
      const res = await agent.callTool({ name: 'plan', arguments: {} });
      expect(res.isError).toBe(true);
      expect(textOf(res)).toContain('gives a starting one from the live lab; the hub\'s owner saves it as');
      expect(textOf(res)).not.toContain('writes a starting one');
    } finally {
      await agent.close();
      await server.close();
    }
    const cli = await runCli(['plan'], env());
    expect(cli.stderr).toMatch(/homelab export \S+lab\.yaml writes a starting one from the live lab/);
  });
});

describe('the guest a target names', () => {
  it('a VMID no guest has is a usage error (exit 2), as in every pve command', async () => {
    const res = await runCli(['expose', 'x', '9999:80', '--dry-run'], env());
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toBe('homelab: no guest with VMID 9999 in the cluster');
  });

  it('a name two guests share is refused (exit 2; exit 3 in lab.yaml), listing them, never settled by picking one', async () => {
    const clone = await runCliJson<{ newid: number }>(['pve', 'clone', '9000', '--name', 'forgejo', '--yes'], env());
    const twice = `2 guests are named forgejo: 107 (container on pve2), ${clone.newid} (VM on pve1); which one is meant cannot be told`;
    const res = await runCli(['expose', 'pad', 'forgejo:3000', '--dry-run'], env());
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toBe(`homelab: ${twice}`);
    expect(res.stderr).toContain('give the VMID instead of the name, e.g. 107:<port>');
    const file = await runCli(['plan', labFile('twice.yaml', 'apps:\n  pad:\n    target: forgejo:3000\n')], env());
    expect(file.code).toBe(3);
    expect(file.stderr).toContain(`twice.yaml:3: apps.pad.target: ${twice}`);
    expect(file.stderr).toContain('write the VMID instead: target: 107:3000');
    expect((await runCli(['expose', 'pad', '107:3000', '--dry-run'], env())).code).toBe(0);
  });
});
