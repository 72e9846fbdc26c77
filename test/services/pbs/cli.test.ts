/**
 * The pbs commands as a user runs them: the built binary against the simulated PBS
 * over real sockets, checking output, --json shapes and exit codes (a failed GC or
 * verify task exits 1 with its log; a stale group stands out; bad input exits 2).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PbsStatus } from '../../../src/services/pbs/index.js';
import { DEFAULT_GC_FAILURE, VERIFY_FAILED, type PbsSim } from '../../../src/services/pbs/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pbs'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): PbsSim => lab.current.sims.get('pbs') as PbsSim;

describe('homelab pbs status', () => {
  it('answers "are my backups OK?" with the stale group, failed verify, failed task and GC warning', async () => {
    const status = await runCliJson<PbsStatus>(['pbs', 'status'], env());
    expect(status.ok).toBe(false);
    expect(status.staleHours).toBe(26);
    const ct106 = status.groups.find((g) => g.group === 'ct/106');
    expect(ct106).toMatchObject({ store: 'main', name: 'dockge', stale: true, verify: 'failed', snapshots: 7 });
    expect(Math.floor(ct106?.ageHours ?? 0)).toBe(77);
    expect(status.groups.filter((g) => g.stale).map((g) => g.group)).toEqual(['ct/106']);
    expect(status.groups.find((g) => g.group === 'ct/100')).toMatchObject({ stale: false, verify: 'none' });
    const [main] = status.datastores;
    expect(main).toMatchObject({ store: 'main', gc: { state: 'WARNINGS: 1', ok: true, running: false } });
    expect(main?.estimatedFull).toBeGreaterThan(status.checkedAt);
    expect(status.failedTasks).toHaveLength(1);
    expect(status.failedTasks[0]).toMatchObject({ type: 'backup', id: 'main:ct/106', status: 'backup ended but finished flag is not set.' });
    const texts = status.problems.map((p) => `${p.level} ${p.text}`);
    expect(texts).toContain('bad ct/106 (dockge): last snapshot failed verification');
    expect(texts.some((t) => t.startsWith('bad ct/106 (dockge): last backup 3d 5h ago (over 26 h)'))).toBe(true);
    expect(texts).toContain('warn GC on main ended with WARNINGS: 1');
    expect(texts).toContain('bad datastore main is 93% full');
    expect(texts.some((t) => /^warn datastore main will be full in about \d+ days/.test(t))).toBe(true);
  });

  it('makes the problems stand out in the table form', async () => {
    const result = await runCli(['pbs', 'status'], env());
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Backups need attention: \d+ problems, \d+ warnings?$/);
    expect(result.stdout).toMatch(/^main\s+3\.3 TiB\s+3\.5 TiB\s+93\.0%\s+\d{4}-\d\d-\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+WARNINGS: 1$/m);
    expect(result.stdout).toMatch(/^ct\/106\s+dockge\s+.*3d 5h\s+7\s+failed$/m);
    expect(result.stdout).toContain('Failed tasks (last 24 h)');
    expect(result.stdout).toMatch(/^✗ backup main:ct\/106 failed .* ago: backup ended but finished flag is not set\.$/m);
  });

  it('takes the stale threshold from services.pbs.stale_hours', async () => {
    const section = sim().configSection;
    section.stale_hours = 80;
    lab.current.writeConfig();
    try {
      const status = await runCliJson<PbsStatus>(['pbs', 'status'], env());
      expect(status.staleHours).toBe(80);
      expect(status.groups.filter((g) => g.stale)).toEqual([]);
      expect(status.problems.some((p) => p.text.includes('last backup'))).toBe(false);
    } finally {
      delete section.stale_hours;
      lab.current.writeConfig();
    }
  });
});

describe('homelab pbs snapshots and tasks', () => {
  it('lists one group newest first, with size and verify state', async () => {
    const snaps = await runCliJson<{ group: string; snapshot: string; time: number; size: number; verify: string; files: string[] }[]>(['pbs', 'snapshots', '--group', 'ct/106'], env());
    expect(snaps).toHaveLength(7);
    expect(snaps.every((s) => s.group === 'ct/106' && s.size > 0)).toBe(true);
    expect(snaps[0]?.verify).toBe('failed');
    expect(snaps[0]?.snapshot).toMatch(/^ct\/106\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(snaps[0]?.files).toContain('root.pxar.didx');
    expect((snaps[0]?.time ?? 0) > (snaps[1]?.time ?? 0)).toBe(true);
  });

  it('lists tasks that did not end OK in the last 24 h', async () => {
    const tasks = await runCliJson<{ type: string; id: string; status: string; ok: boolean }[]>(['pbs', 'tasks', '--errors', '--since', '24h'], env());
    expect(tasks.find((t) => t.type === 'backup')).toMatchObject({ id: 'main:ct/106', ok: false });
    expect(tasks.every((t) => t.status !== 'OK')).toBe(true);
  });

  it('refuses bad input with exit 2 before anything is sent', async () => {
    const before = sim().requests.length;
    for (const args of [['pbs', 'snapshots', '--group', 'vm101'], ['pbs', 'tasks', '--since', 'yesterday'], ['pbs', 'gc', '--store', 'a!']]) {
      const result = await runCli(args, env());
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^homelab: /);
    }
    expect(sim().requests.length).toBe(before);
  });
});

describe('homelab pbs gc and verify', () => {
  it('starts GC, waits for the task, and exits 1 when it ends with warnings (the seeded missing chunk)', async () => {
    const result = await runCli(['pbs', 'gc', '--start'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^homelab: garbage collection on main finished with warnings: WARNINGS: 1/m);
    expect(result.stderr).toContain('TASK WARNINGS: 1');
    expect(result.stderr).toMatch(/task UPID:pbs:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:garbage_collection:main:[^:]+:/);
  });

  it('exits 1 with the task log when GC fails', async () => {
    sim().knobs.failNext.gc = true;
    const result = await runCli(['pbs', 'gc', '--start'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`homelab: garbage collection on main failed: ${DEFAULT_GC_FAILURE}`);
    expect(result.stderr).toContain(`TASK ERROR: ${DEFAULT_GC_FAILURE}`);
  });

  it('verifies and reports OK, and exits 1 with the failed snapshots when verify fails', async () => {
    const ok = await runCliJson<{ scope: string; exitstatus: string }>(['pbs', 'verify'], env());
    expect(ok).toMatchObject({ scope: 'main', exitstatus: 'OK' });
    sim().knobs.failNext.verify = true;
    const failed = await runCli(['pbs', 'verify', '--group', 'vm/200'], env());
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`homelab: verify of main:vm/200 failed: ${VERIFY_FAILED}`);
    expect(failed.stderr).toMatch(/\tvm\/200\/\d{4}-/);
  });

  it('skips snapshots verified before unless --all, which re-checks the broken one and fails', async () => {
    expect((await runCliJson<{ exitstatus: string }>(['pbs', 'verify', '--group', 'ct/106'], env())).exitstatus).toBe('OK');
    const all = await runCli(['pbs', 'verify', '--group', 'ct/106', '--all'], env());
    expect(all.code).toBe(1);
    expect(all.stderr).toContain(`homelab: verify of main:ct/106 failed: ${VERIFY_FAILED}`);
    expect(all.stderr).toContain("can't verify chunk");
  });
});

describe('homelab pbs credentials', () => {
  it('exits 5 when the token is refused, without printing the secret', async () => {
    const file = join(lab.current.env.HOMELAB_CONFIG_HOME, 'pbs', 'credentials');
    const good = `PBS_TOKEN_ID=${sim().tokenId}\nPBS_TOKEN_SECRET=${sim().tokenSecret}\n`;
    sim().knobs.authFailDelayMs = 0;
    writeFileSync(file, `PBS_TOKEN_ID=${sim().tokenId}\nPBS_TOKEN_SECRET=not-the-secret-1234\n`, { mode: 0o600 });
    try {
      const result = await runCli(['pbs', 'snapshots'], env());
      expect(result.code).toBe(5);
      expect(result.stderr).toContain('pbs: authentication refused (authentication failed - invalid credentials)');
      expect(result.stderr).not.toContain('not-the-secret-1234');
    } finally {
      writeFileSync(file, good, { mode: 0o600 });
    }
  });
});
