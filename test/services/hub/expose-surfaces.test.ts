/**
 * expose, unexpose and exposed on the other surfaces, against the lab's simulators over real
 * sockets: MCP lists exposed as read, expose as change, unexpose as danger (an agent reads
 * the plan with dryRun before asking to apply it), and Telegram's `/expose` shows the whole
 * plan with Confirm/Cancel, runs nothing before the tap, then reports the outcome.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/server.js';
import type { ProxySim } from '../../../src/services/proxy/sim/index.js';
import { connect, startServer, textOf } from '../../surfaces/mcp/helpers.js';
import { OWNER, startHarness, type Harness } from '../../surfaces/telegram/harness.js';
import { useLab } from '../../helpers/lab.js';

const SERVICES = ['pve', 'dns', 'proxy', 'kuma'];

describe('expose on MCP', () => {
  const lab = useLab({ services: SERVICES });

  it('lists exposed as read, expose as change and unexpose as danger', async () => {
    const tools: Record<string, string[]> = {};
    for (const allow of ['read', 'change', 'danger'] as const) {
      const server = await startServer(lab.current, allow);
      const client = await connect(server);
      try {
        tools[allow] = (await client.listTools()).tools.map((t) => t.name).filter((n) => ['expose', 'unexpose', 'exposed'].includes(n)).sort();
        if (allow === 'danger') {
          const list = (await client.listTools()).tools;
          expect(list.find((t) => t.name === 'exposed')?.annotations).toMatchObject({ readOnlyHint: true });
          expect(list.find((t) => t.name === 'unexpose')?.annotations).toMatchObject({ destructiveHint: true });
        }
      } finally {
        await client.close();
        await server.close();
      }
    }
    expect(tools).toEqual({ read: ['exposed'], change: ['expose', 'exposed'], danger: ['expose', 'exposed', 'unexpose'] });
  });

  it('gives an agent the plan with dryRun, changing nothing', async () => {
    const server = await startServer(lab.current, 'change');
    const client = await connect(server);
    try {
      const dns = lab.current.sims.get('dns') as DnsSim;
      const before = dns.requests.filter((r) => r.method === 'POST').length;
      const res = await client.callTool({ name: 'expose', arguments: { name: 'pad', target: 'forgejo:3000', dryRun: true } });
      expect(res.isError, textOf(res)).toBeFalsy();
      const plan = (res.structuredContent as { plan: { steps: { op: string }[] }; dryRun: boolean });
      expect(plan.dryRun).toBe(true);
      expect(plan.plan.steps.map((s) => s.op)).toEqual(['dns.add-cname', 'proxy.add', 'kuma.add.http']);
      expect(textOf(res)).toContain('DNS CNAME pad.home.lan → proxy.home.lan');
      expect(dns.requests.filter((r) => r.method === 'POST').length).toBe(before);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe('expose on Telegram', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ services: SERVICES }); });
  afterAll(async () => { await h?.stop(); });

  it('shows the plan with Confirm/Cancel, runs nothing before the tap, then reports the outcome', async () => {
    const owner = h.sim.user({ userId: OWNER });
    const proxy = h.lab.sims.get('proxy') as ProxySim;
    const dns = h.lab.sims.get('dns') as DnsSim;
    const before = owner.messages().length;
    await owner.send('/expose pad forgejo:3000');
    const q = await owner.waitForMessage((m) => Boolean(m.buttons), 'the plan to confirm', before, 20_000).catch((err: Error) => { throw new Error(`${err.message}: ${owner.messages().slice(before).map((m) => m.plain).join(' / ')}`); });
    expect(q.plain).toContain('Expose pad.home.lan → http://10.5.0.12:3000');
    expect(q.plain).toMatch(/1\. create\s+DNS CNAME pad\.home\.lan → proxy\.home\.lan/);
    expect(q.plain).toMatch(/2\. create\s+NPM proxy host pad\.home\.lan/);
    expect(q.plain).toMatch(/3\. create\s+Kuma HTTP monitor pad → https:\/\/pad\.home\.lan/);
    expect(q.buttons?.flat().map((b) => b.text)).toEqual(['✅ Confirm', '✖️ Cancel']);
    expect(proxy.requests.filter((r) => r.method === 'POST' && r.path === '/api/nginx/proxy-hosts')).toHaveLength(0);
    await owner.tap(q, '✅ Confirm');
    const done = await owner.waitForMessage((m) => /3 done, 0 unchanged/.test(m.plain), 'the outcome', before, 30_000);
    expect(done.plain).toMatch(/done\s+NPM proxy host pad\.home\.lan/);
    expect(dns.store.records.find((r) => r.name === 'pad.home.lan')?.comments).toBe('managed-by: homelab app=pad');
    expect(proxy.requests.filter((r) => r.method === 'POST' && r.path === '/api/nginx/proxy-hosts')).toHaveLength(1);
  });
});
