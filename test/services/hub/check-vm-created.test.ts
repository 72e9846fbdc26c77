/**
 * A VM's creation time in `check` and `pve backup-coverage`, through the built CLI against
 * the lab's simulators over real sockets. `pve backup-coverage` reads the config of only the
 * VMs that have a backup PVE sees (not of every flagged guest); `check` takes a VM's creation
 * time (`meta: ctime`) from `pve configs`, which it reads for every guest anyway, and with
 * it leaves out a PBS group older than the VM in a namespace PVE's listing does not reach
 * (this cluster's storage `pbs-old` writes there, but only on a node that has left).
 */
import { describe, expect, it } from 'vitest';
import type { PbsSim } from '../../../src/services/pbs/sim/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { CheckResult } from '../../../src/services/hub/check.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

interface CoverageGuest { vmid: number; newest: number | null }
interface Coverage { notCovered: CoverageGuest[]; stale: CoverageGuest[] }

describe('a VM whose only backups are in a PBS namespace PVE does not list', () => {
  const lab = useLab({ services: ['pve', 'pbs'] });

  it('is judged by its creation time from pve configs, with no extra config reads', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const ds = [...(lab.current.sims.get('pbs') as PbsSim).state.datastores.values()][0];
    const vm = pve.state.guests.get(201);
    if (!ds || !vm) throw new Error('the lab has a PBS datastore and VM 201');
    // 201's backups move to namespace `old`: PBS still has them, PVE's `pbs` storage (the root) does not.
    // The cluster's storage `pbs-old` writes to `old`, on node pve3 only, which has left: PVE lists nothing on it.
    ds.namespaces = [...(ds.namespaces ?? []), 'old'];
    pve.state.storages.push({ storage: 'pbs-old', type: 'pbs', content: ['backup'], shared: true, nodes: ['pve3'], total: {}, used: {}, datastore: 'main', namespace: 'old' });
    const own = ds.snapshots.filter((s) => s.type === 'vm' && s.id === '201');
    expect(own.length).toBeGreaterThan(0);
    for (const s of own) s.ns = 'old';
    const newest = Math.max(...own.map((s) => s.time));
    const configReads = (from: number): string[] => pve.requests.slice(from).map((r) => r.path).filter((p) => /\/(qemu|lxc)\/\d+\/config$/.test(p));

    // Coverage: 201 is stale with no backup PVE sees, and its config is not read for it.
    let from = pve.requests.length;
    const c = await runCliJson<Coverage>(['pve', 'backup-coverage'], lab.current.env);
    expect(c.stale.find((g) => g.vmid === 201)).toMatchObject({ newest: null });
    expect(c.stale.find((g) => g.vmid === 201)).not.toHaveProperty('created');
    expect(configReads(from).filter((p) => p.endsWith('/qemu/201/config'))).toEqual([]);

    const findings = async (): Promise<string[]> => {
      const r = await runCli(['check', '--json'], lab.current.env, { timeoutMs: 60_000 });
      return (JSON.parse(r.stdout) as CheckResult).findings.filter((f) => f.subject === '201' && f.kind.includes('back')).map((f) => `${f.kind} ${f.message}`);
    };
    const meta = vm.config.meta;
    try {
      // Created after its PBS backups: they are an earlier guest's, so 201 has none.
      vm.config.meta = `creation-qemu=9.2.0,ctime=${newest + 60}`;
      from = pve.requests.length;
      expect(await findings()).toEqual([expect.stringMatching(/^backup-too-old .*no backup anywhere/)]);
      // Every guest's config is read once in the run, 201's too: no read just for the creation time.
      const reads = configReads(from);
      expect(reads.filter((p) => p.endsWith('/qemu/201/config'))).toHaveLength(1);
      expect(new Set(reads).size).toBe(reads.length);
      // Created before them: they are its own, and the newest is recent.
      vm.config.meta = `creation-qemu=9.2.0,ctime=${newest - 3600}`;
      expect(await findings()).toEqual([]);
    } finally {
      if (meta === undefined) delete vm.config.meta;
      else vm.config.meta = meta;
      pve.state.storages.pop();
    }
  });

  it('pve configs tells a VM\'s creation time, null for a container', async () => {
    const r = await runCliJson<{ guests: { vmid: number; created: number | null }[] }>(['pve', 'configs'], lab.current.env);
    const vm = (lab.current.sims.get('pve') as PveSim).state.guests.get(200);
    expect(r.guests.find((g) => g.vmid === 200)?.created).toBe(Number(/ctime=(\d+)/.exec(String(vm?.config.meta))?.[1]));
    expect(r.guests.find((g) => g.vmid === 100)?.created).toBeNull();
  });
});
