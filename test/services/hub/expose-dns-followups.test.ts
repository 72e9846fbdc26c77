/**
 * `expose` deleting the app's own record, as a user and an agent run it: the built binary (and
 * an MCP server) against the lab's simulators over real sockets. A delete whose answer is lost
 * is looked up in the zone (still there: rolled back; gone: done, the run goes on), and when
 * even that cannot tell, the outcome names the command that finishes the job: the expose as
 * given, options included. `--dns none` deletes the app's own record, as apply does. Where only
 * `change` is allowed (MCP `--allow change`), a plan that deletes is refused before anything
 * runs; its dry run is still shown. A conflict of the app's own objects and someone else's
 * says what to do about both.
 */
import { describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../../src/lab/sim-server.js';
import { connect, startServer, textOf } from '../../surfaces/mcp/helpers.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { lab, env, dns } = useHubLab();

type Step = { key: string; op: string; state?: string; status?: string; note?: string | null; inFlight?: string | null };
type PlanResult = { plan: { steps: Step[] }; outcome: { ok: boolean; steps: Step[] } | null };

/** The records at `name`, as `type value`. */
const at = (name: string): string[] => dns().store.records.filter((r) => r.name === name).map((r) => `${r.type} ${String(Object.values(r.rData)[0])}`);
const DELETE = /\/records\/delete$/;

/** Runs `work` with the DNS simulator's faults set once its first record delete arrives (then cleared). */
async function onDelete<T>(set: () => void, work: () => Promise<T>): Promise<T> {
  const requests = dns().requests;
  const push = requests.push.bind(requests);
  let armed = true;
  requests.push = (...items: LoggedRequest[]): number => {
    if (armed && items.some((r) => DELETE.test(r.path))) {
      armed = false;
      set();
    }
    return push(...items);
  };
  try {
    return await work();
  } finally {
    requests.push = push;
    const { faults } = dns();
    faults.failNext = undefined;
    faults.resetMidBodyNext = 0;
    faults.only = undefined;
  }
}

describe("expose replacing the app's own record when the delete's answer is lost", () => {
  it('looks the record up: still there, rolled back; gone, the run goes on; unknown, the re-run keeps every option', async () => {
    expect((await runCli(['expose', 'app4', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    expect(at('app4.home.lan')).toEqual(['CNAME proxy.home.lan']);

    // 502 to the delete, not carried out: the look-up finds the record, nothing was deleted.
    dns().faults.failNext = { count: 1, status: 502 };
    dns().faults.only = { path: DELETE };
    const refused = await onDelete(() => undefined, () => runCli(['expose', 'app4', 'forgejo:3000', '--dns', 'a', '--yes', '--json'], env()));
    expect(refused.code).toBe(1);
    const kept = (JSON.parse(refused.stdout) as PlanResult).outcome?.steps[0];
    expect(kept).toMatchObject({ key: 'dns-remove', status: 'failed', note: 'still there when looked up: not deleted' });
    expect(at('app4.home.lan')).toEqual(['CNAME proxy.home.lan']);

    // The delete carried out, its answer cut off: the look-up finds it gone, and the A record follows.
    const cut = await onDelete(() => {
      dns().faults.resetMidBodyNext = 1;
      dns().faults.only = { path: DELETE };
    }, () => runCli(['expose', 'app4', 'forgejo:3000', '--dns', 'a', '--yes', '--json'], env()));
    expect(cut.code, cut.stderr).toBe(0);
    const outcome = (JSON.parse(cut.stdout) as PlanResult).outcome;
    expect(outcome?.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['dns-remove:done', 'dns:done', 'proxy:unchanged', 'monitor:unchanged']);
    expect(outcome?.steps[0]?.note).toContain('gone when looked up');
    expect(at('app4.home.lan')).toEqual(['A 127.0.0.1']);

    // The delete and its look-up both answered 502: nobody can tell. The note gives the command that finishes the job, as typed.
    const lost = await onDelete(() => {
      dns().faults.failNext = { count: 4, status: 502 };
      dns().faults.only = { path: /\/records\/(delete|get)$/ };
    }, () => runCli(['expose', 'app4', 'forgejo:3000', '--dns', 'cname', '--no-block-exploits', '--yes', '--json'], env()));
    expect(lost.code).toBe(1);
    expect(`${lost.stdout}${lost.stderr}`).not.toContain('[object Object]');
    const note = (JSON.parse(lost.stdout) as PlanResult).outcome?.steps[0]?.note ?? '';
    expect(note).toContain('homelab expose app4 forgejo:3000 --dns cname --no-block-exploits finishes the job');
  });
});

describe('expose --dns none', () => {
  it("deletes the app's own record, as apply does, and converges", async () => {
    expect((await runCli(['expose', 'app5', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    const dry = await runCliJson<PlanResult>(['expose', 'app5', 'forgejo:3000', '--dns', 'none', '--dry-run'], env());
    expect(dry.plan.steps.map((s) => `${s.key}:${s.op}:${s.state ?? 'create'}`)).toEqual(['dns-remove:dns.delete:delete', 'proxy:proxy.update:unchanged', 'monitor:kuma.edit:unchanged']);
    const run = await runCliJson<PlanResult>(['expose', 'app5', 'forgejo:3000', '--dns', 'none', '--yes'], env());
    expect(run.outcome?.steps.map((s) => `${s.key}:${s.status}`)).toEqual(['dns-remove:done', 'proxy:unchanged', 'monitor:unchanged']);
    expect(at('app5.home.lan')).toEqual([]);
    const again = await runCliJson<PlanResult>(['expose', 'app5', 'forgejo:3000', '--dns', 'none', '--yes'], env());
    expect(again.outcome?.steps.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
  });
});

describe('an expose that deletes, where only change is allowed', () => {
  it('is refused on MCP --allow change before anything runs; its dry run is shown', async () => {
    expect((await runCli(['expose', 'app6', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    const server = await startServer(lab.current, 'change');
    const client = await connect(server);
    try {
      const dry = await client.callTool({ name: 'expose', arguments: { name: 'app6', target: 'forgejo:3000', dns: 'a', dryRun: true } });
      expect(dry.isError, textOf(dry)).toBeFalsy();
      expect(textOf(dry)).toContain('DNS CNAME app6.home.lan → proxy.home.lan');
      const before = dns().requests.length;
      const res = await client.callTool({ name: 'expose', arguments: { name: 'app6', target: 'forgejo:3000', dns: 'a' } });
      expect(res.isError).toBe(true);
      expect(textOf(res)).toContain('this expose deletes DNS CNAME app6.home.lan → proxy.home.lan (homelab made it for app6): a danger run, and mcp allows change operations only here; nothing was changed');
      expect(textOf(res)).toContain('--allow danger');
      // Only reads went out: no step ran.
      expect(dns().requests.slice(before).filter((r) => !r.path.endsWith('/records/get') && !r.path.endsWith('/zones/list'))).toEqual([]);
    } finally {
      await client.close();
      await server.close();
    }
    expect(at('app6.home.lan')).toEqual(['CNAME proxy.home.lan']);
  });
});

describe("expose's conflicts of the app's own objects and someone else's", () => {
  it('says to remove the others yourself as well as to unexpose', async () => {
    expect((await runCli(['expose', 'app7', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    expect((await runCli(['kuma', 'add', 'http', 'app7-health', 'https://app7.home.lan/health', '--app', 'app7'], env())).code).toBe(0);
    expect((await runCli(['kuma', 'add', 'http', 'someone', 'https://app7.home.lan/health/'], env())).code).toBe(0);
    const res = await runCli(['expose', 'app7', 'forgejo:3000', '--monitor-url', 'https://app7.home.lan/health', '--dry-run'], env());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('cannot expose app7.home.lan: 2 things homelab did not create for app7 or does not use hold its names');
    expect(res.stderr).toContain('remove what homelab did not create yourself (homelab never touches it), and homelab unexpose app7');
  });
});
