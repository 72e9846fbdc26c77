/**
 * PVE answering what it never does, injected in the simulator over real sockets and run
 * through the built CLI: a task id that does not parse as a UPID (`UPID:evil␛[2J`) is an
 * unexpected answer (exit 1) and never polled at a node it names; `status/current` with
 * strings for numbers in a field `pve status` shows is an unexpected answer, and `pve status
 * --json` carries every field of status/current (the shown ones checked, `ha`, `pid` and the
 * rest as PVE sent them).
 */
import { afterAll, expect, it } from 'vitest';
import { closeAllAgents } from '../../../src/core/http/index.js';
import type { LabSim } from '../../../src/lab/lab.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve'] });
afterAll(() => closeAllAgents());
const sim = (): LabSim => lab.current.sims.get('pve') as LabSim;

it('a task id that is not a UPID is an unexpected answer, never polled', async () => {
  for (const upid of ['UPID:evil\u001b[2J', 'UPID:pve1:nonsense']) {
    const before = sim().requests.length;
    sim().faults.only = { method: 'POST', path: /\/nodes\/[^/]+\/qemu\/200\/snapshot$/ };
    sim().faults.answerNext = { count: 1, status: 200, body: JSON.stringify({ data: upid }) };
    const r = await runCli(['pve', 'snapshot', '200', 'hostile1'], lab.current.env);
    sim().faults.only = undefined;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^homelab: unexpected answer from pve: expected a task id \(UPID\), got "UPID:/);
    expect(r.stderr).not.toContain('\u001b');
    expect(sim().requests.slice(before).filter((q) => q.path.includes('/tasks/'))).toEqual([]);
  }
});

it('status/current with strings for numbers in a shown field is an unexpected answer; --json carries every field, the shown ones checked', async () => {
  sim().faults.only = { method: 'GET', path: /\/qemu\/200\/status\/current$/ };
  sim().faults.answerNext = { count: 1, status: 200, body: JSON.stringify({ data: { status: 'running', cpu: '0.5', mem: 'lots', maxmem: 4294967296 } }) };
  const bad = await runCli(['pve', 'status', '200'], lab.current.env);
  sim().faults.only = undefined;
  expect(bad.code, bad.stderr).toBe(1);
  expect(bad.stderr).toMatch(/^homelab: unexpected answer from pve: .*cpu: .*expected number/);

  const good = await runCli(['pve', 'status', '200', '--json'], lab.current.env);
  expect(good.code, good.stderr).toBe(0);
  const status = JSON.parse(good.stdout) as Record<string, unknown>;
  expect(typeof status.maxmem).toBe('number');
  expect(status.ha).toEqual({ managed: 0 });

  sim().faults.only = { method: 'GET', path: /\/qemu\/200\/status\/current$/ };
  sim().faults.answerNext = { count: 1, status: 200, body: JSON.stringify({ data: { status: 'running', cpu: 0.5, maxmem: 4294967296, pid: 4242, ha: { managed: 1, state: 'started' }, 'running-qemu': '9.2.0' } }) };
  const passed = await runCli(['pve', 'status', '200', '--json'], lab.current.env);
  sim().faults.only = undefined;
  expect(passed.code, passed.stderr).toBe(0);
  expect(JSON.parse(passed.stdout)).toMatchObject({ vmid: 200, status: 'running', cpu: 0.5, pid: 4242, ha: { managed: 1, state: 'started' }, 'running-qemu': '9.2.0' });
});
