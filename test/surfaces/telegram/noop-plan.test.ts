/**
 * A plan that changes nothing (a re-run of `/expose`, of `/unexpose` with nothing left) is
 * not asked on the bot, as on the CLI: its plan is shown without buttons, it runs at once,
 * the outcome says `unchanged` for each step, and the run is audited. Against
 * telegram-test-api and the lab's PVE, DNS, NPM and Kuma simulators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import type { DnsSim } from '../../../src/services/dns/sim/server.js';
import type { ProxySim, Row } from '../../../src/services/proxy/sim/index.js';
import { OWNER, startHarness, until, type Harness } from './harness.js';

let h: Harness;
/** Runs when the bot logs that it skipped a confirmation: after the preview, before the run reads the lab. */
let meanwhile = (): void => undefined;
beforeAll(async () => {
  h = await startHarness({ services: ['pve', 'dns', 'proxy', 'kuma'], onLog: (line) => { if (line.includes('"confirmation skipped"')) meanwhile(); } });
});
afterAll(async () => { await h?.stop(); });

/** Requests that change something on the DNS and NPM simulators. */
const changes = (): number => ['dns', 'proxy'].map((s) => (h.lab.sims.get(s) as DnsSim | ProxySim).requests.filter((r) => r.method !== 'GET' && !/\/(tokens|records\/get|zones\/list)/.test(r.path)).length).reduce((a, b) => a + b, 0);

/** Sends `text`, taps Confirm on its question, and waits for the outcome. */
async function confirmed(text: string, outcome: RegExp): Promise<void> {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  const q = await owner.waitForMessage((m) => Boolean(m.buttons), `the question of ${text}`, before, 20_000);
  await owner.tap(q, '✅ Confirm');
  await owner.waitForMessage((m) => outcome.test(m.plain), `the outcome of ${text}`, before, 30_000);
}

/** Sends `text` (a re-run), and waits for the outcome reply; returns every message sent since. */
async function rerun(text: string, outcome: RegExp) {
  const owner = h.sim.user({ userId: OWNER });
  const before = owner.messages().length;
  await owner.send(text);
  await owner.waitForMessage((m) => outcome.test(m.plain), `the outcome of ${text}`, before, 15_000)
    .catch((err: Error) => { throw new Error(`${err.message}: ${owner.messages().slice(before).map((m) => m.plain).join(' / ')}`); });
  return owner.messages().slice(before);
}

const auditRows = (operation: string) => {
  const store = AuditStore.open(h.lab.env.HOMELAB_DATA_HOME);
  try {
    return store.list({ limit: 1000 }).filter((r) => r.operation === operation);
  } finally {
    store.close();
  }
};

describe('a plan that changes nothing, on the bot', () => {
  it('re-running /expose shows the plan without buttons and runs it at once: every step unchanged', async () => {
    await confirmed('/expose pad forgejo:3000', /3 done, 0 unchanged/);
    const before = changes();
    const rows = auditRows('expose').length;
    const sent = await rerun('/expose pad forgejo:3000', /0 done, 3 unchanged/);
    expect(sent.every((m) => m.buttons === undefined && m.edits.every((e) => e.buttons === undefined)), 'no message has buttons').toBe(true);
    const plan = sent.find((m) => m.plain.startsWith('ℹ️ Nothing to change: Expose pad.home.lan'));
    expect(plan?.plain ?? sent.map((m) => m.plain).join(' / ')).toContain('(3 unchanged)');
    // The plan was shown before it ran (the first version of the message), then the run edited it.
    expect((plan?.edits[0] ?? plan)?.plain).toMatch(/1\. unchanged\s+DNS CNAME pad\.home\.lan → proxy\.home\.lan/);
    const done = await until(() => h.sim.user({ userId: OWNER }).messages().find((m) => m.messageId === plan?.messageId && m.plain.includes('finished in')), 'the shown plan, finished');
    expect(done.plain).toMatch(/^ℹ️ Nothing to change: Expose pad\.home\.lan[^\n]*\n\/expose pad forgejo:3000\n/);
    expect(changes()).toBe(before);
    expect(auditRows('expose')).toHaveLength(rows + 1);
    expect(h.logs.some((l) => l.includes('confirmation skipped'))).toBe(true);
  });

  it('refuses a run whose plan changed since it was shown (nothing to change then, something now), and changes nothing', async () => {
    const proxy = h.lab.sims.get('proxy') as ProxySim;
    const hostOf = (domain: string) => proxy.db.proxyHosts.live().find((r) => (r.domain_names as string[]).includes(domain));
    await confirmed('/expose race forgejo:3000', /3 done, 0 unchanged/);
    const host = hostOf('race.home.lan');
    expect(host?.forward_port).toBe(3000);
    // Someone else's edit lands between the preview (nothing to change) and the run.
    meanwhile = () => {
      meanwhile = () => undefined;
      proxy.db.proxyHosts.update(host as Row, { forward_port: 3001 });
    };
    const before = changes();
    const sent = await rerun('/expose race forgejo:3000', /⚠️/);
    expect(sent.every((m) => m.buttons === undefined)).toBe(true);
    expect(sent.some((m) => m.plain.startsWith('ℹ️ Nothing to change: Expose race.home.lan'))).toBe(true);
    const error = sent.find((m) => m.plain.includes('⚠️'))?.plain ?? '';
    expect(error).toContain('the lab changed since the plan was shown');
    expect(error).toContain('nothing was changed');
    // The edit made meanwhile stands: the unasked run did not put the port back.
    expect(hostOf('race.home.lan')?.forward_port).toBe(3001);
    expect(changes()).toBe(before);
  });

  it('a danger plan with nothing left to remove (/unexpose again) is not asked either; one with something to remove is', async () => {
    await confirmed('/unexpose pad', /done\s+DNS/);
    const before = changes();
    const sent = await rerun('/unexpose pad', /nothing to remove/);
    expect(sent.every((m) => m.buttons === undefined)).toBe(true);
    expect(sent.some((m) => m.plain.startsWith('ℹ️ Nothing to change:'))).toBe(true);
    expect(changes()).toBe(before);
  });
});
