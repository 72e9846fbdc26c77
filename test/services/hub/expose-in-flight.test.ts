/**
 * A step whose request reached the service but whose answer never came back: Ctrl-C while
 * NPM is still answering the proxy host's POST (the simulator commits it all the same), an
 * answer cut off mid-body, Kuma carrying out `add` and then losing the connection. The built
 * binary runs against the lab's simulators over real sockets; what is checked is what the
 * services hold afterwards and what the outcome says.
 */
import { describe, expect, it } from 'vitest';
import { runCli, runCliSignalled, type CliResult } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { env, dns, proxy, kuma, hostFor, monitorNamed } = useHubLab();

type Outcome = { ok: boolean; steps: { key: string; status: string; inFlight: string | null; note: string | null }[] };

const records = (name: string) => dns().store.records.filter((r) => r.name === name);

/** Runs the CLI and sends it SIGINT once `when` holds. */
const runInterrupted = (args: string[], when: () => boolean): Promise<CliResult> => runCliSignalled(args, env(), 'SIGINT', when);

describe('a step whose request went through although its answer never came', () => {
  it('Ctrl-C while NPM answers the proxy host: the host NPM made is removed too, and the outcome says so', async () => {
    const posted = (): boolean => proxy().requests.some((r) => r.method === 'POST' && r.path === '/api/nginx/proxy-hosts' && r.body.includes('pad1.home.lan'));
    proxy().faults.latencyMs = 700;
    let res: CliResult;
    try {
      res = await runInterrupted(['expose', 'pad1', 'forgejo:3000', '--yes', '--json'], posted);
    } finally {
      // Without the undo the CLI is gone before NPM handles the POST: let the simulator finish it.
      await new Promise((r) => setTimeout(r, 1000));
      proxy().faults.latencyMs = 0;
    }
    // What NPM holds first: without the undo of the step in flight, its host stays behind.
    expect(hostFor('pad1.home.lan')).toBeUndefined();
    expect(res.code, res.stderr).toBe(1);
    const outcome = (JSON.parse(res.stdout) as { outcome: Outcome }).outcome;
    expect(outcome.steps.map((s) => [s.key, s.status, s.inFlight])).toEqual([['dns', 'undone', null], ['proxy', 'failed', 'undone'], ['monitor', 'not-run', null]]);
    expect(res.stderr).toContain('1 step undone; the failed step had gone through all the same and was undone too');
    expect(hostFor('pad1.home.lan')).toBeUndefined();
    expect(records('pad1.home.lan')).toEqual([]);
    const deletes = proxy().requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/api/nginx/proxy-hosts/'));
    expect(deletes).toHaveLength(1);
  });

  it('an answer cut off mid-body after NPM made the host: the host is removed, the record too', async () => {
    proxy().faults.resetMidBodyNext = 1;
    proxy().faults.only = { method: 'POST', path: /^\/api\/nginx\/proxy-hosts$/ };
    let res: CliResult;
    try {
      res = await runCli(['expose', 'pad2', 'forgejo:3000', '--yes', '--json'], env());
    } finally {
      proxy().faults.resetMidBodyNext = 0;
      delete proxy().faults.only;
    }
    expect(hostFor('pad2.home.lan')).toBeUndefined();
    expect(res.code, res.stderr).toBe(4);
    const outcome = (JSON.parse(res.stdout) as { outcome: Outcome }).outcome;
    expect(outcome.steps.map((s) => [s.status, s.inFlight])).toEqual([['undone', null], ['failed', 'undone'], ['not-run', null]]);
    expect(hostFor('pad2.home.lan')).toBeUndefined();
    expect(records('pad2.home.lan')).toEqual([]);
  });

  it('Kuma adds the monitor, then the connection drops: the monitor is deleted with the proxy host and the record', async () => {
    kuma().kumaFaults.dropAfter = { event: 'add', count: 1 };
    const res = await runCli(['expose', 'pad3', 'forgejo:3000', '--yes', '--json'], env());
    expect(monitorNamed('pad3')).toBeUndefined();
    expect(res.code, res.stderr).toBe(4);
    const outcome = (JSON.parse(res.stdout) as { outcome: Outcome }).outcome;
    expect(outcome.steps.map((s) => [s.status, s.inFlight])).toEqual([['undone', null], ['undone', null], ['failed', 'undone']]);
    expect(monitorNamed('pad3')).toBeUndefined();
    expect(hostFor('pad3.home.lan')).toBeUndefined();
    expect(records('pad3.home.lan')).toEqual([]);
  });
});
