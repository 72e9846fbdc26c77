/**
 * The backups check over PBS namespaces, through the built CLI against the PBS simulator:
 * the same group in the root and in namespace `pve` is two alerts, each naming its
 * namespace (`ns/pve/ct/106`); the root group keeps its key (`backups:main/ct/106`), so
 * existing alerts and mutes stay as they were.
 */
import { describe, expect, it } from 'vitest';
import type { PbsSim } from '../../src/services/pbs/sim/index.js';
import { trouble } from '../../src/lab/trouble.js';
import { runCliJson } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['pbs'] });

interface Finding { key: string; message: string }

describe('backups check and PBS namespaces', () => {
  it('a stale group in the root and in namespace pve are two alerts, each naming its namespace', async () => {
    const ds = [...(lab.current.sims.get('pbs') as PbsSim).state.datastores.values()][0];
    if (!ds) throw new Error('the lab has a datastore');
    const guest = String(trouble.staleBackupGuest);
    ds.namespaces = ['pve'];
    const copies = ds.snapshots.filter((s) => s.id === guest && !s.ns).map((s) => ({ ...s, ns: 'pve', files: [...s.files] }));
    expect(copies.length).toBeGreaterThan(0);
    ds.snapshots.push(...copies);

    const [result] = await runCliJson<{ check: string; findings: Finding[] }[]>(['watch', 'run', 'backups'], lab.current.env);
    const stale = (result?.findings ?? []).filter((f) => !f.key.includes(':verify:') && !f.key.includes(':task:') && !f.key.includes(':gc:') && !f.key.includes(':full:'));
    const rootKey = `backups:${ds.name}/ct/${guest}`;
    const nsKey = `backups:${ds.name}/ns/pve/ct/${guest}`;
    expect(stale.map((f) => f.key).sort()).toEqual([nsKey, rootKey].sort());
    expect(stale.find((f) => f.key === nsKey)?.message).toMatch(new RegExp(`^ns/pve/ct/${guest} \\(.+\\) on ${ds.name}: last backup `));
    expect(stale.find((f) => f.key === rootKey)?.message).toMatch(new RegExp(`^ct/${guest} \\(.+\\) on ${ds.name}: last backup `));
    const verifyKeys = (result?.findings ?? []).filter((f) => f.key.includes(':verify:')).map((f) => f.key).sort();
    expect(verifyKeys).toEqual([`backups:verify:${ds.name}/ct/${guest}`, `backups:verify:${ds.name}/ns/pve/ct/${guest}`]);
  });
});
