/**
 * plan, apply and export on MCP and Telegram, against the lab's simulators over real
 * sockets. Both read the hub's own lab.yaml ($HOMELAB_CONFIG_HOME/homelab/lab.yaml): a path
 * from an agent or a chat is refused, and export never writes a file there. MCP: plan and
 * export are read tools, apply a change tool; an apply whose plan deletes needs a server
 * started with --allow danger (refused before anything changes otherwise), while its dry run
 * may be read anywhere. Telegram: /plan replies with the plan; /apply shows the whole plan
 * with Confirm/Cancel (the deletes marked destructive), runs nothing before the tap.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../../src/lab/lab.js';
import type { DnsSim } from '../../../src/services/dns/sim/server.js';
import type { KumaSim } from '../../../src/services/kuma/sim/index.js';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import { connect, startServer, textOf } from '../../surfaces/mcp/helpers.js';
import { OWNER, startHarness, type Harness } from '../../surfaces/telegram/harness.js';
import { useLab } from '../../helpers/lab.js';

const SERVICES = ['pve', 'dns', 'proxy', 'kuma'];
const WITH_APP = 'apps:\n  pad:\n    target: 10.5.0.12:3000\nrecords:\n  - { name: nas2, type: A, value: 10.5.0.31 }\n';
const WITHOUT_APP = 'records:\n  - { name: nas2, type: A, value: 10.5.0.31 }\n';

/** Writes the hub's lab.yaml. */
function writeLab(lab: RunningLab, text: string): void {
  writeFileSync(join(lab.env.HOMELAB_CONFIG_HOME, 'homelab', 'lab.yaml'), text);
}

const sims = (lab: RunningLab): { dns: DnsSim; proxy: ProxySim; kuma: KumaSim } => ({
  dns: lab.sims.get('dns') as DnsSim, proxy: lab.sims.get('proxy') as ProxySim, kuma: lab.sims.get('kuma') as KumaSim,
});
const padObjects = (lab: RunningLab): string[] => {
  const { dns, proxy, kuma } = sims(lab);
  return [
    ...dns.store.records.filter((r) => r.name === 'pad.home.lan').map((r) => `dns ${r.type} ${String(r.comments)}`),
    ...proxy.db.proxyHosts.live().filter((h) => (h.domain_names as string[]).includes('pad.home.lan')).map((h) => `proxy ${String(h.advanced_config)}`),
    ...[...kuma.state.monitors.values()].filter((m) => m.name === 'pad').map((m) => `kuma ${String(m.description)}`),
  ];
};
const PAD = ['dns CNAME managed-by: homelab app=pad', 'proxy # managed-by: homelab app=pad', 'kuma managed-by: homelab app=pad'];

type Structured = { plan: { steps: { op: string; state: string }[] }; changes?: number; risk?: string; dryRun?: boolean; outcome?: { ok: boolean } | null; yaml?: string };

describe('plan, apply and export on MCP', () => {
  const lab = useLab({ services: SERVICES });

  it('lists plan and export as read tools and apply as a change tool', async () => {
    const tools: Record<string, string[]> = {};
    for (const allow of ['read', 'change'] as const) {
      const server = await startServer(lab.current, allow);
      const client = await connect(server);
      try {
        const list = (await client.listTools()).tools;
        tools[allow] = list.map((t) => t.name).filter((n) => ['plan', 'apply', 'export'].includes(n)).sort();
        if (allow === 'change') expect(list.find((t) => t.name === 'plan')?.annotations).toMatchObject({ readOnlyHint: true });
      } finally {
        await client.close();
        await server.close();
      }
    }
    expect(tools).toEqual({ read: ['export', 'plan'], change: ['apply', 'export', 'plan'] });
  });

  it('lets an agent read the plan, apply it, and needs --allow danger for an apply that deletes', async () => {
    writeLab(lab.current, WITH_APP);
    const change = await startServer(lab.current, 'change');
    const agent = await connect(change);
    try {
      const planned = await agent.callTool({ name: 'plan', arguments: {} });
      expect(planned.isError, textOf(planned)).toBeFalsy();
      const plan = planned.structuredContent as Structured;
      expect(plan.risk).toBe('change');
      expect(plan.plan.steps.map((s) => `${s.op}:${s.state}`)).toEqual(['dns.add:create', 'dns.add-cname:create', 'proxy.add:create', 'kuma.add.http:create']);
      expect(textOf(planned)).toContain('4 to create; homelab apply makes these changes');
      expect(padObjects(lab.current)).toEqual([]);

      const applied = await agent.callTool({ name: 'apply', arguments: {} });
      expect(applied.isError, textOf(applied)).toBeFalsy();
      expect((applied.structuredContent as Structured).outcome?.ok).toBe(true);
      expect(padObjects(lab.current)).toEqual(PAD);
      expect(((await agent.callTool({ name: 'plan', arguments: {} })).structuredContent as Structured).changes).toBe(0);

      writeLab(lab.current, WITHOUT_APP);
      const dry = await agent.callTool({ name: 'apply', arguments: { dryRun: true } });
      expect(dry.isError, textOf(dry)).toBeFalsy();
      expect((dry.structuredContent as Structured).plan.steps.filter((s) => s.state !== 'unchanged').map((s) => s.op)).toEqual(['kuma.delete', 'proxy.delete', 'dns.delete']);
      const refused = await agent.callTool({ name: 'apply', arguments: {} });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain('this apply deletes 3 objects homelab made (the objects of pad): a danger run, and mcp allows change operations only here; nothing was changed');
      expect(textOf(refused)).toContain('--allow danger');
      expect(padObjects(lab.current)).toEqual(PAD);

      const byPath = await agent.callTool({ name: 'plan', arguments: { file: '/etc/passwd' } });
      expect(byPath.isError).toBe(true);
      expect(textOf(byPath)).toContain('a lab file path is read only on the command line');
    } finally {
      await agent.close();
      await change.close();
    }

    const danger = await startServer(lab.current, 'danger');
    const trusted = await connect(danger);
    try {
      const applied = await trusted.callTool({ name: 'apply', arguments: {} });
      expect(applied.isError, textOf(applied)).toBeFalsy();
      expect(padObjects(lab.current)).toEqual([]);
    } finally {
      await trusted.close();
      await danger.close();
    }
  });

  it('answers a plan with objects in the way as the plan (its findings), not as a tool error', async () => {
    writeLab(lab.current, 'records:\n  - { name: forgejo, type: A, value: 10.5.0.99 }\n');
    const server = await startServer(lab.current, 'read');
    const agent = await connect(server);
    try {
      const res = await agent.callTool({ name: 'plan', arguments: {} });
      expect(res.isError, textOf(res)).toBeFalsy();
      const texts = (res.content as { text: string }[]).map((c) => c.text);
      expect(texts.at(-1)).toBe('plan: 1 object in the way that homelab did not create: nothing can be applied\n'
        + 'homelab never touches what it did not create: change lab.yaml, or adopt or remove them yourself');
      expect((res.structuredContent as { conflicts: string[] }).conflicts).toEqual([
        "cannot create DNS A forgejo.home.lan → 10.5.0.99: DNS A forgejo.home.lan → 10.5.0.12 is not homelab's: left alone",
      ]);
    } finally {
      await agent.close();
      await server.close();
      writeLab(lab.current, WITHOUT_APP);
    }
  });

  it('answers export with the lab.yaml text and never writes a file for an agent', async () => {
    const server = await startServer(lab.current, 'read');
    const agent = await connect(server);
    try {
      const res = await agent.callTool({ name: 'export', arguments: {} });
      expect(res.isError, textOf(res)).toBeFalsy();
      expect(textOf(res)).toContain('records:\n  - name: nas2\n    type: A\n    value: 10.5.0.31\n');
      const toFile = await agent.callTool({ name: 'export', arguments: { file: join(lab.current.dir, 'agent.yaml') } });
      expect(toFile.isError).toBe(true);
      expect(textOf(toFile)).toContain('export writes a file on the command line only');
    } finally {
      await agent.close();
      await server.close();
    }
  });
});

describe('plan and apply on Telegram', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: SERVICES }); });
  afterAll(async () => { await h?.stop(); });

  it('/plan replies with the plan; /apply shows it with Confirm/Cancel, runs on the tap, and marks deletes destructive', async () => {
    const owner = h.sim.user({ userId: OWNER });
    writeLab(h.lab, WITH_APP);
    let before = owner.messages().length;
    await owner.send('/plan');
    const plan = await owner.waitForMessage((m) => m.plain.includes('/apply makes these changes'), 'the plan', before, 20_000);
    expect(plan.plain).toMatch(/create\s+DNS CNAME pad\.home\.lan → proxy\.home\.lan/);
    expect(padObjects(h.lab)).toEqual([]);

    before = owner.messages().length;
    await owner.send('/apply');
    const q = await owner.waitForMessage((m) => Boolean(m.buttons), 'the plan to confirm', before, 20_000);
    expect(q.plain).toMatch(/1 app, 1 record \(4 to create\)/);
    expect(q.plain).toMatch(/4\. create\s+Kuma HTTP monitor pad → https:\/\/pad\.home\.lan/);
    expect(padObjects(h.lab)).toEqual([]);
    await owner.tap(q, '✅ Confirm');
    await owner.waitForMessage((m) => /4 done, 0 unchanged/.test(m.plain), 'the outcome', before, 30_000);
    expect(padObjects(h.lab)).toEqual(PAD);

    writeLab(h.lab, WITHOUT_APP);
    before = owner.messages().length;
    await owner.send('/apply');
    const danger = await owner.waitForMessage((m) => Boolean(m.buttons), 'the deletes to confirm', before, 20_000);
    expect(danger.plain).toContain('destructive, deletes 3 objects homelab made');
    expect(danger.plain).toMatch(/1\. delete\s+Kuma monitor pad \(id \d+, https:\/\/pad\.home\.lan\)\s+\[destructive\]/);
    expect(padObjects(h.lab)).toEqual(PAD);
    await owner.tap(danger, '✅ Confirm');
    await owner.waitForMessage((m) => /3 done, 1 unchanged/.test(m.plain), 'the outcome', before, 30_000);
    expect(padObjects(h.lab)).toEqual([]);
  });
});
