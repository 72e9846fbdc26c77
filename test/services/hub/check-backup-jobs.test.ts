/**
 * Backup coverage as real PVE and PBS answer it, through the built CLI against the lab's
 * simulators over real sockets: a PBS group of another guest type with the same VMID (a
 * reused VMID) does not make a guest look backed up to `check`; a guest whose only backup
 * job is disabled is not covered (PVE's `not-backed-up` counts disabled jobs, so homelab
 * works it out from the jobs); pool and node-limited jobs show which guests they select.
 */
import { describe, expect, it } from 'vitest';
import type { PbsSim } from '../../../src/services/pbs/sim/index.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { CheckResult } from '../../../src/services/hub/check.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { z } from 'zod';
import { rawClient } from '../pve/sim-raw.js';

interface CoverageGuest { vmid: number; type: string; disabledJobs: string[] }
interface Coverage { notCovered: CoverageGuest[]; stale: CoverageGuest[]; jobs: { id: string; guests: unknown; node: string | null }[] }

const backupFindings = async (env: Record<string, string>): Promise<{ kind: string; subject: string; message: string; fix: string }[]> => {
  const r = await runCli(['check', '--json'], env, { timeoutMs: 60_000 });
  return (JSON.parse(r.stdout) as CheckResult).findings.filter((f) => f.kind.includes('back'));
};

describe('check and a reused VMID in PBS', () => {
  const lab = useLab({ services: ['pve', 'pbs'] });
  it('keeps a container stale when PBS has a fresh vm/ group of the same id', async () => {
    const env = lab.current.env;
    expect((await backupFindings(env)).map((f) => `${f.kind} ${f.subject}`)).toContain('backup-too-old 106');
    const ds = [...(lab.current.sims.get('pbs') as PbsSim).state.datastores.values()][0];
    ds?.snapshots.push({ type: 'vm', id: '106', time: Math.floor(Date.now() / 1000) - 60, files: [], owner: 'root@pam', protected: false, comment: 'oldvm' });
    expect((await backupFindings(env)).map((f) => `${f.kind} ${f.subject}`)).toContain('backup-too-old 106');
  });
});

describe('a disabled backup job', () => {
  const lab = useLab({ services: ['pve', 'pbs'] });
  it('still counts for PVE not-backed-up, and homelab calls its guests not covered, naming the job', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const job = pve.state.backupJobs[0];
    if (!job) throw new Error('the lab has a backup job');
    job.enabled = false;
    const raw = await rawClient(pve).get('/cluster/backup-info/not-backed-up', z.array(z.object({ vmid: z.number() }).loose()));
    expect(raw.map((g) => g.vmid)).not.toContain(101);
    const c = await runCliJson<Coverage>(['pve', 'backup-coverage'], lab.current.env);
    expect(c.notCovered.find((g) => g.vmid === 101)).toMatchObject({ disabledJobs: [job.id] });
    expect(c.stale.map((g) => g.vmid)).not.toContain(106);
    const text = await runCli(['pve', 'backup-coverage'], lab.current.env);
    expect(text.stdout).toContain(`only in disabled job ${job.id}`);
    const found = (await backupFindings(lab.current.env)).find((f) => f.subject === '106');
    expect(found).toMatchObject({ kind: 'guest-not-backed-up', message: expect.stringContaining(`only disabled backup job ${job.id} includes it`) });
  });
});

describe('pool and node-limited backup jobs', () => {
  const lab = useLab({ services: ['pve'] });
  it('show the pool and the node, and PVE counts pool members as covered', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const g105 = pve.state.guests.get(105);
    if (!g105) throw new Error('the lab has guest 105');
    g105.pool = 'infra';
    pve.state.backupJobs.push(
      { id: 'backup-pool-infra', schedule: 'sat 03:00', storage: 'pbs', mode: 'snapshot', enabled: true, pool: 'infra' },
      { id: 'backup-all-pve1', schedule: 'sun 03:00', storage: 'local', mode: 'snapshot', enabled: true, all: true, exclude: [9000], node: 'pve1' },
    );
    const c = await runCliJson<Coverage>(['pve', 'backup-coverage'], lab.current.env);
    expect(c.jobs.find((j) => j.id === 'backup-pool-infra')).toMatchObject({ guests: { pool: 'infra' }, node: null });
    expect(c.jobs.find((j) => j.id === 'backup-all-pve1')).toMatchObject({ guests: 'all', node: 'pve1' });
    expect(c.notCovered.map((g) => g.vmid)).not.toContain(105);
    const text = (await runCli(['pve', 'backup-coverage'], lab.current.env)).stdout;
    expect(text).toMatch(/backup-pool-infra .* pool infra /);
    expect(text).toMatch(/backup-all-pve1 .* all but 9000 on pve1 /);
  });
});
