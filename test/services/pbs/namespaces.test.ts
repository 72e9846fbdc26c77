/**
 * PBS namespaces through the built CLI against the PBS simulator over real sockets: groups
 * and snapshots are listed per namespace (PBS does not recurse), so `pbs status`, `pbs
 * snapshots` and `pbs verify --group` walk every namespace; a group that exists nowhere is
 * refused before a verify starts (PBS itself answers OK, having verified nothing).
 */
import { describe, expect, it } from 'vitest';
import type { PbsSim } from '../../../src/services/pbs/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pbs'] });
const env = (): Record<string, string> => lab.current.env;

describe('PBS namespaces', () => {
  it('status, snapshots and verify see a group that lives in namespace pve', async () => {
    const ds = [...(lab.current.sims.get('pbs') as PbsSim).state.datastores.values()][0];
    if (!ds) throw new Error('the lab has a datastore');
    ds.namespaces = ['pve'];
    for (const s of ds.snapshots.filter((x) => x.type === 'ct' && x.id === '106')) s.ns = 'pve';
    const status = await runCliJson<{ groups: { ns: string; group: string; stale: boolean }[]; problems: { text: string }[] }>(['pbs', 'status'], env());
    expect(status.groups).toContainEqual(expect.objectContaining({ ns: 'pve', group: 'ct/106', stale: true }));
    expect(status.problems.map((p) => p.text).join('\n')).toContain('ns/pve/ct/106');
    const snaps = await runCliJson<{ ns: string; snapshot: string }[]>(['pbs', 'snapshots', '--group', 'ct/106'], env());
    expect(snaps.length).toBeGreaterThan(0);
    expect(snaps.every((s) => s.ns === 'pve' && s.snapshot.startsWith('ns/pve/ct/106/'))).toBe(true);
    const verify = await runCliJson<{ scope: string; exitstatus: string }>(['pbs', 'verify', '--group', 'ct/106'], env());
    expect(verify).toMatchObject({ scope: 'ns/pve/ct/106', exitstatus: 'OK' });
  });

  it('verify --group of a group no namespace has exits 2 and starts nothing', async () => {
    const sim = lab.current.sims.get('pbs') as PbsSim;
    const before = sim.state.tasks.tasks.length;
    const r = await runCli(['pbs', 'verify', '--group', 'vm/999'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('main has no backup group vm/999');
    expect(sim.state.tasks.tasks.length).toBe(before);
    const wrongNs = await runCli(['pbs', 'verify', '--group', 'ct/106', '--ns', '/'], env());
    expect(wrongNs.code).toBe(2);
    expect(wrongNs.stderr).toContain('it is in namespace pve');
  });

  it('snapshots --ns lists one namespace (--ns / the root) and refuses one the store lacks', async () => {
    const ds = [...(lab.current.sims.get('pbs') as PbsSim).state.datastores.values()][0];
    if (!ds) throw new Error('the lab has a datastore');
    ds.namespaces = ['pve'];
    for (const s of ds.snapshots.filter((x) => x.type === 'ct' && x.id === '106')) s.ns = 'pve';
    const inPve = await runCliJson<{ ns: string; group: string }[]>(['pbs', 'snapshots', '--ns', 'pve'], env());
    expect(inPve.length).toBeGreaterThan(0);
    expect(new Set(inPve.map((s) => `${s.ns} ${s.group}`))).toEqual(new Set(['pve ct/106']));
    const root = await runCliJson<{ ns: string; group: string }[]>(['pbs', 'snapshots', '--ns', '/'], env());
    expect(root.length).toBeGreaterThan(0);
    expect(root.every((s) => s.ns === '' && s.group !== 'ct/106')).toBe(true);
    const missing = await runCli(['pbs', 'snapshots', '--ns', 'offsite'], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('main has no namespace offsite');
    expect(missing.stderr).toContain('its namespaces: /, pve');
  });
});
