/**
 * `homelab batch` with plan lines that change nothing (a re-run of expose, of unexpose with
 * nothing left): such a line needs no --yes and is not one of the batch's destructive lines,
 * as a single command needs none. What it ran with stays its ceiling: when a line above it
 * gave it something to change, it fails and changes nothing. The built binary against the
 * lab's PVE, DNS, NPM and Kuma simulators over real sockets.
 */
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useHubLab } from '../../services/hub/hub-lab.js';

const { env, hostFor, mutations, dns, proxy, pve, kuma } = useHubLab();
/** Every request that reached a simulator (reads too), and every Kuma event. */
const reached = (): number => [dns(), proxy(), pve()].reduce((n, s) => n + s.requests.length, 0) + kuma().events.length;
const batch = (lines: string[], args: string[] = []) => runCli(['batch', ...args], env(), { input: `${lines.join('\n')}\n` });
const jsonLines = (stdout: string): Record<string, unknown>[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
type Outcome = { steps: { status: string }[] };
interface AuditRow { operation: string; input: Record<string, unknown>; outcome: string }

const EXPOSE = 'expose pad forgejo:3000 --websockets';

describe('homelab batch with plan lines that change nothing', () => {
  it('runs a re-run of expose without --yes, each step unchanged, audited', async () => {
    const first = await batch([EXPOSE]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('the batch has a destructive line (1); nothing was run');
    expect((await batch([EXPOSE], ['--yes'])).code).toBe(0);
    const before = mutations().length;
    const audited = (await runCliJson<AuditRow[]>(['audit', '--operation', 'expose'], env())).length;

    const again = await batch([EXPOSE, 'unexpose nothing-here'], ['--json']);
    expect(again.code, again.stderr).toBe(0);
    const [expose, unexpose] = jsonLines(again.stdout);
    expect(expose).toMatchObject({ line: 1, ok: true });
    expect((expose?.result as { outcome: Outcome }).outcome.steps.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(unexpose).toMatchObject({ line: 2, ok: true });
    expect(mutations().length).toBe(before);
    expect((await runCliJson<AuditRow[]>(['audit', '--operation', 'expose'], env())).length).toBe(audited + 1);
  });

  it('lists only the lines that change something as destructive', async () => {
    const before = mutations().length;
    const refused = await batch([EXPOSE, 'expose pad2 forgejo:3000', 'unexpose nothing-here']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the batch has a destructive line (2) (plan line 3 not checked: it may need it too); nothing was run');
    expect(mutations().length).toBe(before);
  });

  it('a line that changed nothing when the batch started, and would change something by its turn, fails and changes nothing', async () => {
    const res = await batch(['proxy update pad.home.lan --no-websockets', EXPOSE], ['--json']);
    expect(res.code).toBe(1);
    const [update, expose] = jsonLines(res.stdout);
    expect(update).toMatchObject({ line: 1, ok: true });
    expect(expose).toMatchObject({ line: 2, ok: false, exitCode: 1 });
    expect(String(expose?.error)).toContain('the lab changed since the plan was shown');
    // Line 2 was not confirmed: it did not turn websockets back on.
    expect(hostFor('pad.home.lan')?.allow_websocket_upgrade).toBe(false);
    // With the batch's --yes it is confirmed, and planned when it runs.
    expect((await batch([EXPOSE], ['--yes'])).code).toBe(0);
    expect(hostFor('pad.home.lan')?.allow_websocket_upgrade).toBe(true);
  });

  it('without a terminal refuses a batch with a line that is no plan before any service is asked', async () => {
    const before = reached();
    const refused = await batch([EXPOSE, 'pve destroy 200 --stop', 'pve destroy 201 --stop', 'expose pad9 forgejo:3000']);
    // `pve destroy` can never change nothing: no preview is read, no plan either.
    expect(reached()).toBe(before);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the batch has destructive lines (2, 3) (plan lines 1, 4 not checked: they may need it too); nothing was run');
    expect(pve().requests.length).toBeGreaterThan(0);
  });

  it('without a terminal reads the plans in order and stops at the first that changes something', async () => {
    const alone = reached();
    expect((await batch(['expose pad8 forgejo:3000'])).stderr).toContain('the batch has a destructive line (1); nothing was run');
    const oneRead = reached() - alone;
    expect(oneRead).toBeGreaterThan(0);
    const before = reached();
    const changes = mutations().length;
    const refused = await batch(['expose pad8 forgejo:3000', EXPOSE, 'unexpose nothing-here']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the batch has a destructive line (1) (plan lines 2, 3 not checked: they may need it too); nothing was run');
    // Line 1 needs --yes whatever the others find: their plans are not read.
    expect(reached() - before).toBe(oneRead);
    expect(mutations().length).toBe(changes);
  });
});
