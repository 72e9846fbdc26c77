/**
 * PBS names a snapshot by its group and its time in whole seconds, and refuses a backup
 * whose time is not newer than the group's last snapshot (`backup timestamp is older than
 * last backup.`, before anything is written), unless that snapshot failed verification:
 * then only a snapshot of the very same second refuses it (`backup directory already
 * exists.`), as proxmox-backup's src/api2/backup/mod.rs does. The lab's PBS simulator follows that rule for
 * what PVE's vzdump sends it, so it never lists one snapshot twice, and `pve backup` says
 * plainly what happened. The lab over real sockets, the built binary as a user runs it.
 */
import { describe, expect, it } from 'vitest';
import { EXISTS, NOT_NEWER, backupIntake, backupRefusal } from '../../../src/services/pbs/sim/backup-intake.js';
import type { PbsSim } from '../../../src/services/pbs/sim/pbs-sim.js';
import type { SimDatastore } from '../../../src/services/pbs/sim/state.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'pbs'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const pbs = (): PbsSim => lab.current.sims.get('pbs') as PbsSim;
const datastore = (): SimDatastore => [...pbs().state.datastores.values()][0] as SimDatastore;
const group = (type: string, id: string) => datastore().snapshots.filter((s) => s.type === type && s.id === id);

describe('a backup not newer than its group\'s last snapshot', () => {
  it('the intake refuses it, and never stores a snapshot twice', () => {
    const intake = backupIntake(pbs().state, datastore());
    const last = Math.max(...group('ct', '104').map((s) => s.time));
    expect(intake.refusal({ type: 'ct', id: '104', time: last })).toBe(NOT_NEWER);
    expect(intake.refusal({ type: 'ct', id: '104', time: last - 60 })).toBe(NOT_NEWER);
    expect(intake.refusal({ type: 'ct', id: '104', time: last + 1 })).toBeUndefined();
    // Another group is not affected.
    expect(intake.refusal({ type: 'vm', id: '104', time: last })).toBeUndefined();
    const count = datastore().snapshots.length;
    expect(() => intake.add({ type: 'ct', id: '104', time: last, files: [], fromIp: '10.5.0.1', owner: 'root@pam', seconds: 4 })).toThrow(NOT_NEWER);
    expect(datastore().snapshots.length).toBe(count);
  });

  it('compares only with the group\'s last snapshot, and not at all when that one failed verification: then a snapshot of the same second still refuses it', () => {
    const snap = (time: number, state?: 'ok' | 'failed') => ({ type: 'ct', id: '104', time, ...(state ? { verification: { state } } : {}) });
    const b = (time: number) => ({ type: 'ct' as const, id: '104', time });
    // Last snapshot verified ok or never verified: the new time must be later.
    expect(backupRefusal([snap(100), snap(200, 'ok')], b(200))).toBe(NOT_NEWER);
    expect(backupRefusal([snap(100), snap(200)], b(150))).toBe(NOT_NEWER);
    expect(backupRefusal([snap(100), snap(200)], b(201))).toBeUndefined();
    // Last snapshot failed verification: no time check against it (nor against older ones) ...
    expect(backupRefusal([snap(100), snap(200, 'failed')], b(150))).toBeUndefined();
    expect(backupRefusal([snap(100, 'ok'), snap(200, 'failed')], b(50))).toBeUndefined();
    // ... but a snapshot of that very second exists already.
    expect(backupRefusal([snap(100), snap(200, 'failed')], b(200))).toBe(EXISTS);
    expect(backupRefusal([snap(100), snap(200, 'failed')], b(100))).toBe(EXISTS);
    // A failed-verify snapshot that is not the last one changes nothing.
    expect(backupRefusal([snap(100, 'failed'), snap(200)], b(150))).toBe(NOT_NEWER);
    // Another group is not affected.
    expect(backupRefusal([snap(200)], { type: 'vm', id: '104', time: 200 })).toBeUndefined();
  });

  it('pve backup after a failed-verify snapshot of the same second fails with PBS\'s "backup directory already exists." (exit 1)', async () => {
    const newest = [...group('ct', '104')].sort((a, b) => b.time - a.time)[0];
    if (!newest) throw new Error('no ct/104 snapshot in the lab');
    // A failed-verify snapshot for each of the next 20 seconds: the backup starts within one of them.
    const now = Math.floor(Date.now() / 1000);
    const failed = Array.from({ length: 20 }, (_, i) => ({
      ...newest, time: now + i, files: newest.files.map((f) => ({ ...f })), verification: { state: 'failed' as const, upid: newest.verification?.upid ?? 'UPID:pbs:0:0:0:0:verify::root@pam:' },
    }));
    datastore().snapshots.push(...failed);
    try {
      const count = datastore().snapshots.length;
      const r = await runCli(['pve', 'backup', '104'], env());
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n').map((l) => l.trim());
      expect(lines[0]).toBe('homelab: pbs refused the backup of CT 104 (kuma): group ct/104 already has a snapshot from this second (PBS names snapshots by the second)');
      expect(lines).toContain('INFO: Error: backup directory already exists.');
      expect(datastore().snapshots.length).toBe(count);
    } finally {
      for (const f of failed) datastore().snapshots.splice(datastore().snapshots.indexOf(f), 1);
    }
  });

  it('pve backup fails saying why and what to do (exit 1); pbs snapshots lists no time twice', async () => {
    // The group's last snapshot is of a later second than the backup about to start (as the
    // second of two backups within one second finds it).
    const newest = [...group('ct', '104')].sort((a, b) => b.time - a.time)[0];
    if (!newest) throw new Error('no ct/104 snapshot in the lab');
    const ahead = { ...newest, time: Math.floor(Date.now() / 1000) + 30, files: newest.files.map((f) => ({ ...f })) };
    datastore().snapshots.push(ahead);
    try {
      const count = datastore().snapshots.length;
      const tasksBefore = (lab.current.sims.get('pve') as PveSim).state.tasks.length;
      const r = await runCli(['pve', 'backup', '104'], env());
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n').map((l) => l.trim());
      expect(lines[0]).toBe('homelab: pbs refused the backup of CT 104 (kuma): group ct/104 already has a snapshot from this second or later (PBS names snapshots by the second)');
      expect(lines).toContain('INFO: Error: backup timestamp is older than last backup.');
      expect(lines.at(-1)).toBe('back it up again in a moment; homelab pbs snapshots --group ct/104 shows the last one');
      expect(datastore().snapshots.length).toBe(count);
      const task = (lab.current.sims.get('pve') as PveSim).state.tasks.slice(tasksBefore).find((t) => t.type === 'vzdump');
      expect(task?.exitstatus).toBe('job errors');
      const listed = await runCliJson<{ time: number }[]>(['pbs', 'snapshots', '--group', 'ct/104'], env());
      expect(new Set(listed.map((s) => s.time)).size).toBe(listed.length);
    } finally {
      datastore().snapshots.splice(datastore().snapshots.indexOf(ahead), 1);
    }
    // Once the group's last snapshot is older again, the backup goes through.
    const done = await runCliJson<{ exitstatus: string }>(['pve', 'backup', '104'], env());
    expect(done.exitstatus).toBe('OK');
  });

  it('a VM\'s backup fails the same way, through QEMU\'s backup job', async () => {
    const newest = [...group('vm', '201')].sort((a, b) => b.time - a.time)[0];
    if (!newest) throw new Error('no vm/201 snapshot in the lab');
    const ahead = { ...newest, time: Math.floor(Date.now() / 1000) + 30 };
    datastore().snapshots.push(ahead);
    try {
      const r = await runCli(['pve', 'backup', '201'], env());
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('homelab: pbs refused the backup of VM 201 (media): group vm/201 already has a snapshot from this second or later');
      expect(r.stderr).toContain("qmp command 'backup' failed - backup connect failed: command error: backup timestamp is older than last backup.");
    } finally {
      datastore().snapshots.splice(datastore().snapshots.indexOf(ahead), 1);
    }
  });
});
