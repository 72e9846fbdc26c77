/**
 * Tying a run to the plan its caller read (`planDigest`, `--plan-digest`), against the lab's
 * simulators over real sockets. `plan` and a dry run return the plan's digest; a run given
 * one is refused before any step when its plan is no longer that one, so an agent (which is
 * never shown a confirmation) cannot run deletes it never saw when lab.yaml changed between
 * its `plan` and its `apply`. On the CLI the refusal comes before anything is asked.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OpContext } from '../../../src/core/operation.js';
import type { RunningLab } from '../../../src/lab/lab.js';
import type { Plan } from '../../../src/orchestration/plan.js';
import { checkPlanDigest, planDigest, planLab } from '../../../src/orchestration/plan-digest.js';
import { runCli } from '../../helpers/cli.js';
import { connect, startServer, textOf } from '../../surfaces/mcp/helpers.js';
import { useHubLab } from './hub-lab.js';

const hub = useHubLab();
const PAD = 'apps:\n  pad:\n    target: 10.5.0.12:3000\n';
const NAS3 = 'records:\n  - { name: nas3, type: A, value: 10.5.0.33 }\n';

function writeLab(lab: RunningLab, text: string): void {
  writeFileSync(join(lab.env.HOMELAB_CONFIG_HOME, 'homelab', 'lab.yaml'), text);
}

type Planned = { digest: string; changes?: number; plan: { steps: { op: string; state?: string }[] }; outcome?: { ok: boolean } | null };
const padThere = (): boolean => hub.dns().store.records.some((r) => r.name === 'pad.home.lan');
const nas3There = (): boolean => hub.dns().store.records.some((r) => r.name === 'nas3.home.lan');

describe('planDigest', () => {
  it('refuses an MCP apply whose plan changed since the agent read it, deletes it never saw included', async () => {
    const server = await startServer(hub.lab.current, 'danger');
    const agent = await connect(server);
    try {
      writeLab(hub.lab.current, PAD);
      expect((await agent.callTool({ name: 'apply', arguments: {} })).isError).toBeFalsy();
      expect(padThere()).toBe(true);

      // The agent reads a plan that adds a record...
      writeLab(hub.lab.current, PAD + NAS3);
      const read = await agent.callTool({ name: 'plan', arguments: {} });
      const planned = read.structuredContent as Planned;
      expect(planned.changes).toBe(1);
      expect(planned.digest).toMatch(/^[0-9a-f]{16}$/);
      expect(textOf(read)).toContain(`plan digest ${planned.digest}`);
      // ...the same plan as the dry run of apply says.
      expect(((await agent.callTool({ name: 'apply', arguments: { dryRun: true } })).structuredContent as Planned).digest).toBe(planned.digest);

      // Meanwhile lab.yaml loses the app: the plan now deletes its objects.
      writeLab(hub.lab.current, NAS3);
      const before = hub.mutations().length;
      const refused = await agent.callTool({ name: 'apply', arguments: { planDigest: planned.digest } });
      expect(refused.isError).toBe(true);
      expect(textOf(refused).split('\n')[0]).toMatch(new RegExp(`^the plan changed since it was read: it is now 1 to create, 3 to delete \\(digest [0-9a-f]{16}, not ${planned.digest}\\); nothing was changed$`));
      // The hint in the tool's terms: the dry run and the digest argument.
      expect(textOf(refused)).toContain('read it again with `dryRun: true` and give its digest with `planDigest`');
      expect(hub.mutations().slice(before)).toEqual([]);
      expect(padThere()).toBe(true);
      expect(nas3There()).toBe(false);

      // Read again, the new plan runs with its digest.
      const again = (await agent.callTool({ name: 'apply', arguments: { dryRun: true } })).structuredContent as Planned;
      const applied = await agent.callTool({ name: 'apply', arguments: { planDigest: again.digest } });
      expect(applied.isError, textOf(applied)).toBeFalsy();
      expect((applied.structuredContent as Planned).outcome?.ok).toBe(true);
      expect(padThere()).toBe(false);
      expect(nas3There()).toBe(true);

      const tool = (await agent.listTools()).tools.find((t) => t.name === 'apply');
      expect(tool?.description).toContain('Pass planDigest: the digest of the plan you read');
      expect(Object.keys(tool?.inputSchema.properties ?? {})).toContain('planDigest');
      const bad = await agent.callTool({ name: 'apply', arguments: { planDigest: 'not-a-digest' } });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toContain('planDigest must be 16 hex digits');
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('guards expose the same way (every plan operation takes it)', async () => {
    const server = await startServer(hub.lab.current, 'change');
    const agent = await connect(server);
    try {
      const dry = (await agent.callTool({ name: 'expose', arguments: { name: 'wiki9', target: '10.5.0.12:3000', dryRun: true } })).structuredContent as Planned;
      expect(dry.digest).toMatch(/^[0-9a-f]{16}$/);
      const before = hub.mutations().length;
      const other = await agent.callTool({ name: 'expose', arguments: { name: 'wiki9', target: '10.5.0.12:3001', planDigest: dry.digest } });
      expect(other.isError).toBe(true);
      expect(textOf(other)).toMatch(/^the plan changed since it was read: /);
      expect(hub.mutations().slice(before)).toEqual([]);
    } finally {
      await agent.close();
      await server.close();
    }
  });

  it('is --plan-digest on the command line, refused before anything is asked', async () => {
    writeLab(hub.lab.current, PAD + NAS3);
    const env = hub.env();
    const plan = JSON.parse((await runCli(['plan', '--json'], env)).stdout) as Planned;
    expect(plan.digest).toMatch(/^[0-9a-f]{16}$/);
    const before = hub.mutations().length;
    // No --yes and no terminal: the mismatch is said, not the need to confirm.
    const refused = await runCli(['apply', '--plan-digest', '0123456789abcdef'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^homelab: the plan changed since it was read: it is now \d+ to create, \d+ unchanged \(digest [0-9a-f]{16}, not 0123456789abcdef\); nothing was changed$/m);
    expect(refused.stderr).toContain('read it again with --dry-run and give its digest with --plan-digest');
    expect(hub.mutations().slice(before)).toEqual([]);
    const applied = await runCli(['apply', '--yes', '--plan-digest', plan.digest], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(padThere()).toBe(true);
  });
});

describe('planDigest across labs', () => {
  it('names the lab: the same steps built for another context or another hub have another digest, and a run there is refused', () => {
    const plan: Plan = { id: 'p1', title: 'Expose pad', steps: [{ key: 'dns', op: 'dns.add', input: { name: 'pad', ip: '10.5.0.12' }, describe: 'DNS A pad.home.lan → 10.5.0.12', risk: 'change' }] };
    const lab = (context: string, dns: string): string => planLab({ config: { context, services: { dns: { url: dns }, proxy: { url: 'http://10.5.0.3:81' } } } as unknown as OpContext['config'] });
    const home = lab('default', 'http://10.5.0.53:5380');
    expect(planDigest(plan, lab('default', 'http://10.5.0.53:5380'))).toBe(planDigest(plan, home));
    expect(planDigest({ ...plan, id: 'p2', title: 'another title' }, home)).toBe(planDigest(plan, home));
    const digest = planDigest(plan, home);
    expect(planDigest(plan, lab('office', 'http://10.5.0.53:5380'))).not.toBe(digest);
    expect(planDigest(plan, lab('default', 'http://10.9.0.53:5380'))).not.toBe(digest);
    expect(() => checkPlanDigest(plan, digest, home)).not.toThrow();
    expect(() => checkPlanDigest(plan, digest, lab('office', 'http://10.5.0.53:5380'))).toThrow(/the plan changed since it was read/);
  });
});
