/**
 * `check` and PBS namespaces, through the built CLI against the lab's simulators over real
 * sockets: a PBS group counts as a guest's backup only in a namespace this cluster's PVE
 * storages of type `pbs` write to (their `datastore` and `namespace`, from `GET /storage`,
 * read once per run; no namespace: the root). Another cluster sharing the datastore with the
 * same VMIDs keeps its own groups, and they do not hide this cluster's stale backup.
 */
import { describe, expect, it } from 'vitest';
import type { PbsSim } from '../../../src/services/pbs/sim/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { CheckResult } from '../../../src/services/hub/check.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const staleOf = async (env: Record<string, string>, vmid: number): Promise<string[]> => {
  const r = await runCli(['check', '--json'], env, { timeoutMs: 60_000 });
  return (JSON.parse(r.stdout) as CheckResult).findings.filter((f) => f.subject === String(vmid) && f.kind.includes('back')).map((f) => f.kind);
};

describe('check and a PBS namespace', () => {
  const lab = useLab({ services: ['pve', 'pbs'] });

  it("does not take another cluster's group in another namespace as this cluster's guest's", async () => {
    const env = lab.current.env;
    const pve = lab.current.sims.get('pve') as PveSim;
    const ds = [...(lab.current.sims.get('pbs') as PbsSim).state.datastores.values()][0];
    if (!ds) throw new Error('the lab has a PBS datastore');
    expect(await staleOf(env, 106)).toEqual(['backup-too-old']);

    // Another cluster backs up its own CT 106 to namespace site-b of the same datastore.
    ds.namespaces = [...(ds.namespaces ?? []), 'site-b'];
    ds.snapshots.push({ type: 'ct', id: '106', ns: 'site-b', time: Math.floor(Date.now() / 1000) - 60, files: [], owner: 'root@pam', protected: false, comment: 'other-cluster-ct' });
    const from = pve.requests.length;
    expect(await staleOf(env, 106)).toEqual(['backup-too-old']);
    // The storage configuration is read once in the run.
    expect(pve.requests.slice(from).filter((r) => r.path.endsWith('/api2/json/storage'))).toHaveLength(1);

    // A PBS storage of this cluster writes there (on a node that has left, so PVE lists nothing on it): now the group is 106's.
    pve.state.storages.push({ storage: 'pbs-b', type: 'pbs', content: ['backup'], shared: true, nodes: ['pve3'], total: {}, used: {}, datastore: 'main', namespace: 'site-b' });
    try {
      const c = await runCliJson<{ pbsStorages: unknown[] }>(['pve', 'backup-coverage'], env);
      expect(c.pbsStorages).toEqual([{ storage: 'pbs', datastore: 'main', namespace: null }, { storage: 'pbs-b', datastore: 'main', namespace: 'site-b' }]);
      expect(await staleOf(env, 106)).toEqual([]);
    } finally {
      pve.state.storages.pop();
    }
  });

  it("PVE's pbs storage sees and writes the namespace it names", async () => {
    const env = lab.current.env;
    const pve = lab.current.sims.get('pve') as PveSim;
    const ds = [...(lab.current.sims.get('pbs') as PbsSim).state.datastores.values()][0];
    const storage = pve.state.storages.find((s) => s.storage === 'pbs');
    if (!ds || !storage) throw new Error('the lab has a PBS datastore and a pbs storage');
    ds.namespaces = [...(ds.namespaces ?? []), 'site-a'];
    storage.namespace = 'site-a';
    try {
      // Nothing in site-a yet: PVE lists no backup of 106 there.
      const before = await runCliJson<{ vmid: number }[]>(['pve', 'backups', '106', '--storage', 'pbs'], env);
      expect(before.filter((b) => b.vmid === 106)).toEqual([]);
      const r = await runCli(['pve', 'backup', '106', '--storage', 'pbs', '--yes'], env, { timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      expect(ds.snapshots.filter((s) => s.type === 'ct' && s.id === '106' && s.ns === 'site-a')).toHaveLength(1);
      const after = await runCliJson<{ vmid: number }[]>(['pve', 'backups', '106', '--storage', 'pbs'], env);
      expect(after.filter((b) => b.vmid === 106)).toHaveLength(1);
    } finally {
      delete storage.namespace;
    }
  });
});
