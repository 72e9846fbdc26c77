/**
 * What a plan says and leaves when a step fails part-way, against the lab's simulators over
 * real sockets (the built binary): an enable or update step the service never carried out
 * (its restore proves nothing), a proxy host created and then its read-back refused (the
 * change was made: the host is removed), a delete whose answer was cut off (the object is
 * looked up: gone, the run goes on; still there, it is rolled back), a lab.yaml target with a
 * VMID no guest has.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { env, dns, proxy, hostFor, monitorNamed, lab } = useHubLab();

type Outcome = { ok: boolean; exitCode: number; steps: { key: string; status: string; inFlight: string | null; note: string | null }[] };

const records = (name: string) => dns().store.records.filter((r) => r.name === name);

/** Runs the CLI with one proxy fault on the requests matching `only`. */
async function withProxyFault(args: string[], fault: { failNext?: { count: number; status: number }; resetMidBodyNext?: number }, only: { method?: string; path?: RegExp }): Promise<CliResult> {
  Object.assign(proxy().faults, fault, { only });
  try {
    return await runCli(args, env());
  } finally {
    delete proxy().faults.only;
    proxy().faults.failNext = undefined;
    proxy().faults.resetMidBodyNext = 0;
  }
}

const outcomeOf = (res: CliResult): Outcome => (JSON.parse(res.stdout) as { outcome: Outcome }).outcome;

describe('an update step that failed with a 5xx', () => {
  it('enable refused (502, nothing done): its undo finds nothing to change, and the outcome never says it went through', async () => {
    expect((await runCli(['expose', 'ga1', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    expect((await runCli(['proxy', 'disable', 'ga1.home.lan', '--yes'], env())).code).toBe(0);
    const res = await withProxyFault(['expose', 'ga1', 'forgejo:3000', '--yes', '--json'], { failNext: { count: 1, status: 502 } }, { method: 'POST', path: /\/enable$/ });
    expect(res.code, res.stderr).toBe(1);
    const step = outcomeOf(res).steps.find((s) => s.key === 'proxy-enable');
    expect(step).toMatchObject({ status: 'failed', inFlight: 'nothing' });
    expect(step?.note).toMatch(/^not applied: disable NPM proxy host ga1\.home\.lan again found nothing to change$/);
    expect(res.stderr).not.toContain('went through all the same');
    expect(hostFor('ga1.home.lan')?.enabled).toBeFalsy();
  });

  it('an update refused (502): the old values are written back in case it went through, and it says so', async () => {
    expect((await runCli(['expose', 'ga2', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    const res = await withProxyFault(['expose', 'ga2', 'forgejo:3001', '--yes', '--json'], { failNext: { count: 1, status: 502 } }, { method: 'PUT', path: /proxy-hosts\/\d+$/ });
    expect(res.code, res.stderr).toBe(1);
    const step = outcomeOf(res).steps.find((s) => s.key === 'proxy');
    expect(step).toMatchObject({ status: 'failed', inFlight: 'restored' });
    expect(step?.note).toMatch(/^old values written back in case it went through \(restore NPM proxy host ga2\.home\.lan → http:\/\//);
    expect(res.stderr).not.toContain('went through all the same');
    expect(hostFor('ga2.home.lan')?.forward_port).toBe(3000);
  });
});

describe('a DNS write the service refused (Technitium answers refusals with HTTP 200)', () => {
  it('is a known refusal: no undo runs for it, and the steps before it are undone', async () => {
    const zone = dns().store.zone('home.lan');
    expect((await runCli(['expose', 'ga6', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    zone.internal = true;
    try {
      const res = await runCli(['unexpose', 'ga6', '--yes', '--json'], env());
      expect(res.code, res.stderr).toBe(1);
      const steps = outcomeOf(res).steps;
      const dnsStep = steps.find((s) => s.key === 'dns');
      expect(dnsStep).toMatchObject({ status: 'failed', inFlight: null });
      expect(res.stderr).toContain('Access was denied to manage internal DNS Server zone');
      expect(res.stderr).not.toMatch(/may have been deleted|finishes the job/);
    } finally {
      zone.internal = false;
    }
    expect(records('ga6.home.lan')).toHaveLength(1);
  });
});

describe('a step that failed after its change was accepted', () => {
  it('proxy add: the POST made the host, the read-back got a 404: the host is removed with the record', async () => {
    const res = await withProxyFault(['expose', 'ga5', 'forgejo:3000', '--yes', '--json'], { failNext: { count: 1, status: 404 } }, { method: 'GET', path: /^\/api\/nginx\/proxy-hosts\/\d+$/ });
    // What NPM holds first: without the write seen, the host stays behind.
    expect(hostFor('ga5.home.lan')).toBeUndefined();
    expect(res.code, res.stderr).toBe(1);
    expect(outcomeOf(res).steps.map((s) => [s.key, s.status, s.inFlight])).toEqual([['dns', 'undone', null], ['proxy', 'failed', 'undone'], ['monitor', 'not-run', null]]);
    expect(records('ga5.home.lan')).toEqual([]);
  });
});

describe('a delete step whose answer was lost', () => {
  it('unexpose with the proxy DELETE cut off mid-body: the host is gone, so the run goes on and removes the record; the monitor is not re-created', async () => {
    expect((await runCli(['expose', 'ga3', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    const res = await withProxyFault(['unexpose', 'ga3', '--yes', '--json'], { resetMidBodyNext: 1 }, { method: 'DELETE' });
    expect(monitorNamed('ga3')).toBeUndefined();
    expect(records('ga3.home.lan')).toEqual([]);
    expect(hostFor('ga3.home.lan')).toBeUndefined();
    expect(res.code, res.stderr).toBe(0);
    const outcome = outcomeOf(res);
    expect(outcome.steps.map((s) => [s.key, s.status])).toEqual([['monitor', 'done'], ['proxy', 'done'], ['dns', 'done']]);
    expect(outcome.steps[1]?.note).toBe('the service did not say it was done, but it is gone when looked up: deleted');
  });

  it('unexpose with the proxy DELETE answered 502 and not done: the host is still there, the monitor deleted before it is re-created, and the outcome says so', async () => {
    expect((await runCli(['expose', 'ga4', 'forgejo:3000', '--yes'], env())).code).toBe(0);
    const res = await withProxyFault(['unexpose', 'ga4', '--yes', '--json'], { failNext: { count: 1, status: 502 } }, { method: 'DELETE', path: /proxy-hosts/ });
    expect(hostFor('ga4.home.lan')).toBeDefined();
    expect(monitorNamed('ga4')).toBeDefined();
    expect(records('ga4.home.lan')).toHaveLength(1);
    expect(res.code, res.stderr).toBe(1);
    const outcome = outcomeOf(res);
    expect(outcome.steps.map((s) => [s.key, s.status, s.inFlight])).toEqual([['monitor', 'undone', null], ['proxy', 'failed', 'nothing'], ['dns', 'not-run', null]]);
    expect(outcome.steps[1]?.note).toBe('still there when looked up: not deleted');
    expect(res.stderr).not.toContain('left in place');
  });
});

describe('lab.yaml', () => {
  it('a target VMID no guest has is a lab-file error (exit 3) naming the file, the line and the field', async () => {
    const file = join(lab.current.dir, 'vmid.yaml');
    writeFileSync(file, 'apps:\n  zed:\n    target: 9999:3000\n');
    const res = await runCli(['plan', file], env());
    expect(res.code, res.stderr).toBe(3);
    expect(res.stderr).toContain(`${file}:3: apps.zed.target: no guest with VMID 9999 in the cluster`);
  });
});
