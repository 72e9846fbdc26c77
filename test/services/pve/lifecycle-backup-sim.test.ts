/**
 * The backup, migration, restore and destroy endpoints of the PVE simulator, through the
 * client over real sockets (no lab link: the simulator keeps its own backup volumes).
 * What PVE refuses and how: in the call (500 with the handler's message) or in the task
 * (its exit status and log), the `backup` lock a second operation runs into, and the
 * client's lock refusal naming the task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, OperationError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { waitForTask } from '../../../src/services/proxmox/tasks.js';
import { backupContent, backupJobs, extractConfig, notBackedUp, startRestore, startVzdump } from '../../../src/services/pve/api-backup.js';
import { migratePrecondition, startDestroy, startMigrate } from '../../../src/services/pve/api-move.js';
import { explainTaskLock } from '../../../src/services/pve/backup-entries.js';
import { PveClient } from '../../../src/services/pve/client.js';
import { explainLock } from '../../../src/services/pve/guest-lock.js';
import { startPveSim, type PveSim } from '../../../src/services/pve/sim/index.js';
import { guests as labGuests } from '../../../src/lab/inventory.js';

let sim: PveSim;
let client: PveClient;

beforeAll(async () => {
  sim = await startPveSim({ taskDurationMs: 150, authFailDelayMs: 50 });
  const { PVE_TOKEN_ID: id, PVE_TOKEN_SECRET: secret } = sim.credentials.values;
  client = new PveClient(
    new HttpClient({ service: 'pve', baseUrl: `${sim.url}/api2/json`, fingerprint: sim.fingerprint, headers: () => ({ authorization: `PVEAPIToken=${id}=${secret}` }) }),
    { url: sim.url, task_poll_ms: 50 },
  );
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});

const wait = (upid: string, label = 'task') => waitForTask(client, upid, { label, pollMs: 50 });
const failure = async (p: Promise<unknown>): Promise<OperationError> => {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OperationError);
  return err as OperationError;
};

describe('vzdump', () => {
  it('writes a backup volume with the notes, printing progress lines while it runs', async () => {
    const guest = await client.resolveGuest(202);
    // Long enough for a few polls to see the lines, however busy the machine is.
    sim.options.taskDurationMs = 1500;
    const upid = await startVzdump(client, 'pve2', { vmid: 202, storage: 'local', mode: 'stop', notesTemplate: '{{guestname}} on {{node}}\\nsecond line', compress: 'zstd' });
    sim.options.taskDurationMs = 150;
    const notes: string[] = [];
    await waitForTask(client, upid, { label: 'backup', pollMs: 20, progress: (n) => notes.push(n) });
    expect(notes.some((n) => /\d+% \(/.test(n))).toBe(true);
    const volumes = await backupContent(client, guest.node, 'local', 202);
    const mine = volumes.find((v) => /^local:backup\/vzdump-qemu-202-\d{4}_\d\d_\d\d-\d\d_\d\d_\d\d\.vma\.zst$/.test(v.volid));
    // The archive keeps both lines; the content listing gives only the first (the schema says so).
    expect(mine).toMatchObject({ vmid: 202, notes: 'win11 on pve2', format: 'vma.zst' });
    expect(sim.state.volumes.find((v) => v.volid === mine!.volid)?.notes).toBe('win11 on pve2\nsecond line');
    const config = await extractConfig(client, 'pve2', mine!.volid);
    expect(config).toMatchObject({ name: 'win11', scsi0: expect.stringContaining('local-lvm:vm-202-disk-0') as unknown as string });
  });

  it('holds lock: backup, so a second operation meanwhile fails with "VM is locked (backup)", named with its task', async () => {
    sim.options.taskDurationMs = 4000;
    try {
      const guest = await client.resolveGuest(200);
      const backup = await startVzdump(client, 'pve1', { vmid: 200, storage: 'pbs', mode: 'snapshot' });
      expect(sim.state.guests.get(200)?.lock).toBe('backup');
      // The snapshots below run (and fail) while the backup still holds its lock.
      sim.options.taskDurationMs = 150;
      const snap = await client.createSnapshot(guest, 'during_backup');
      const raw = await failure(wait(snap, 'snapshot of VM 200'));
      expect(raw.message).toBe('snapshot of VM 200 failed: VM is locked (backup)');
      const snap2 = await client.createSnapshot(guest, 'during_backup');
      const named = await failure(explainLock(client, guest, () => wait(snap2)));
      expect(named.message).toBe(`VM 200 (homeassistant) is locked (backup): vzdump task ${backup} holds it`);
      await wait(backup);
      expect(sim.state.guests.get(200)?.lock).toBeUndefined();
    } finally {
      sim.options.taskDurationMs = 150;
    }
  });

  it('fails the backup of a locked guest in the log with "job errors"; the client names the lock', async () => {
    const guest = await client.resolveGuest(107);
    sim.state.guests.get(107)!.lock = 'snapshot';
    try {
      const upid = await startVzdump(client, 'pve2', { vmid: 107, storage: 'pbs', mode: 'snapshot' });
      const err = await failure(wait(upid, 'backup of CT 107'));
      expect(err.message).toBe('backup of CT 107 failed: job errors');
      expect(err.details).toContain('ERROR: Backup of VM 107 failed - CT is locked (snapshot)');
      const upid2 = await startVzdump(client, 'pve2', { vmid: 107, storage: 'pbs', mode: 'snapshot' });
      const named = await failure(explainTaskLock(client, guest, () => wait(upid2)));
      expect(named.message).toMatch(/^CT 107 \(forgejo\) is locked \(snapshot\)/);
      expect(named.hint).toContain('pct unlock 107');
    } finally {
      delete sim.state.guests.get(107)!.lock;
    }
  });

  it('lists the scheduled job and the guests no job covers', async () => {
    const [job] = await backupJobs(client);
    expect(job).toMatchObject({ storage: 'pbs', mode: 'snapshot', enabled: 1, schedule: expect.stringMatching(/^\d\d:\d\d$/) as unknown as string });
    expect(job?.['next-run']).toBeGreaterThan(Date.now() / 1000);
    // Derived from the inventory (the job holds every guest with a backup group), so guests added there count too.
    const expected = labGuests.filter((g) => g.lastBackupHoursAgo === undefined || g.template).map((g) => g.vmid).sort((a, b) => a - b);
    expect(expected).toEqual(expect.arrayContaining([105, 9000]));
    expect((await notBackedUp(client)).map((g) => g.vmid)).toEqual(expected);
  });

  it('stop mode shuts a running guest down for the backup and starts it again, logging that (no fs-freeze)', async () => {
    for (const [vmid, node, restarted] of [[200, 'pve1', 'INFO: resuming VM again after'], [104, 'pve1', 'INFO: guest is online again after']] as const) {
      const g = sim.state.guests.get(vmid)!;
      const startedBefore = g.startedAt;
      sim.options.taskDurationMs = 800;
      const upid = await startVzdump(client, node, { vmid, storage: 'local', mode: 'stop' });
      sim.options.taskDurationMs = 150;
      expect(g.status).toBe('stopped');
      await wait(upid);
      expect(g.status).toBe('running');
      expect(g.startedAt).toBeGreaterThan(startedBefore ?? 0);
      const { lines } = await client.taskLog(upid, 0, 500);
      expect(lines).toContain('INFO: backup mode: stop');
      expect(lines).toContain('INFO: stopping virtual guest');
      expect(lines.some((l) => l.startsWith(restarted))).toBe(true);
      expect(lines.join('\n')).not.toMatch(/fs-freeze|create storage snapshot/);
    }
  });
});

describe('migrate', () => {
  it('answers the precondition check with local disks and local devices', async () => {
    sim.state.guests.get(201)!.config.hostpci0 = '0000:01:00.0';
    try {
      const pre = await migratePrecondition(client, await client.resolveGuest(201), 'pve1');
      expect(pre).toMatchObject({ running: 0, allowed_nodes: ['pve1'], local_resources: ['hostpci0'] });
      expect(pre.local_disks?.map((d) => d.volid)).toEqual(['local-lvm:vm-201-disk-0']);
      const upid = await startMigrate(client, await client.resolveGuest(201), { target: 'pve1' });
      const err = await failure(wait(upid, 'migration'));
      expect(err.message).toBe('migration failed: migration aborted');
      expect(err.details?.join('\n')).toContain("can't migrate VM which uses local devices: hostpci0");
      expect(sim.state.guests.get(201)?.node).toBe('pve2');
    } finally {
      delete sim.state.guests.get(201)!.config.hostpci0;
    }
  });

  it('names a node without the guest\'s storage as not allowed', async () => {
    sim.state.storages.push({ storage: 'fast', type: 'lvmthin', content: ['images'], shared: false, nodes: ['pve2'], total: { pve2: 1e12 }, used: { pve2: 0 } });
    sim.state.guests.get(202)!.config.scsi1 = 'fast:vm-202-disk-3,size=10G';
    try {
      const pre = await migratePrecondition(client, await client.resolveGuest(202), 'pve1');
      expect(pre.allowed_nodes).toEqual([]);
      expect(pre.not_allowed_nodes).toEqual({ pve1: { unavailable_storages: ['fast'] } });
    } finally {
      sim.state.storages.pop();
      delete sim.state.guests.get(202)!.config.scsi1;
    }
  });

  it('refuses a running VM without online in the call, and a live migration of local disks without with-local-disks in the task', async () => {
    const guest = await client.resolveGuest(200);
    const err = await client.post(`${client.guestPath(guest)}/migrate`, { target: 'pve2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe("pve: can't migrate running VM without --online");
    const upid = await startMigrate(client, guest, { target: 'pve2', online: true });
    const failed = await failure(wait(upid, 'migration'));
    expect(failed.details?.join('\n')).toContain("can't live migrate attached local disks without with-local-disks option");
    expect(sim.state.guests.get(200)?.node).toBe('pve1');
    await wait(await startMigrate(client, guest, { target: 'pve2', online: true, withLocalDisks: true }));
    expect(sim.state.guests.get(200)).toMatchObject({ node: 'pve2', status: 'running' });
    expect(sim.state.volumes.find((v) => v.volid === 'local-lvm:vm-200-disk-0')?.node).toBe('pve2');
  });
});

describe('destroy and restore', () => {
  const refusal = async (p: Promise<unknown>): Promise<string> => {
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    return (err as ApiError).message;
  };

  it('refuses a protected, a locked and a running guest in the call', async () => {
    const media = await client.resolveGuest(201);
    sim.state.guests.get(201)!.config.protection = 1;
    expect(await refusal(startDestroy(client, media, false))).toBe("pve: can't remove VM 201 - protection mode enabled");
    delete sim.state.guests.get(201)!.config.protection;
    sim.state.guests.get(201)!.lock = 'backup';
    expect(await refusal(startDestroy(client, media, false))).toBe('pve: VM is locked (backup)');
    delete sim.state.guests.get(201)!.lock;
    expect(await refusal(startDestroy(client, await client.resolveGuest(100), false))).toBe('pve: CT 100 is running - destroy failed');
    expect(sim.state.guests.has(201)).toBe(true);
  });

  it('restores over an existing guest only with force and never over a running one', async () => {
    const [backup] = (await backupContent(client, 'pve1', 'pbs', 100)).sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0));
    const volid = backup!.volid;
    expect(await refusal(startRestore(client, 'pve1', { vmid: 100, volid, type: 'lxc', force: false, start: false }))).toBe("pve: unable to restore CT 100 - CT 100 already exists on node 'pve1'");
    expect(await refusal(startRestore(client, 'pve1', { vmid: 100, volid, type: 'lxc', force: true, start: false }))).toBe('pve: unable to restore CT 100 - CT is running');
    await wait(await startRestore(client, 'pve1', { vmid: 310, volid, type: 'lxc', force: false, start: true }));
    expect(sim.state.guests.get(310)).toMatchObject({ type: 'lxc', name: 'dns', status: 'running', node: 'pve1' });
    expect(sim.state.guests.get(310)?.config.rootfs).toBe('local-lvm:vm-310-disk-0,size=4G');
  });

  it('destroys with purge: the guest, its disks and its place in the backup jobs go', async () => {
    const media = await client.resolveGuest(201);
    await wait(await startDestroy(client, media, true));
    expect(sim.state.guests.has(201)).toBe(false);
    expect(sim.state.volumes.some((v) => v.vmid === 201 && v.content === 'images')).toBe(false);
    expect(sim.state.volumes.some((v) => v.vmid === 201 && v.content === 'backup')).toBe(true);
    expect((await backupJobs(client))[0]?.vmid?.split(',')).not.toContain('201');
  });

  it('copies a linked clone and restores its backup to volumes of their own, and keeps the template its clone uses', async () => {
    const tmpl = await client.resolveGuest(9000);
    await wait(await client.post(`${client.guestPath(tmpl)}/clone`, { newid: 350, name: 'linked' }) as string);
    expect(String(sim.state.guests.get(350)?.config.scsi0)).toMatch(/^local-lvm:base-9000-disk-0\/vm-350-disk-0,/);
    const linked = await client.resolveGuest(350);
    await wait(await client.post(`${client.guestPath(linked)}/clone`, { newid: 351, name: 'copy' }) as string);
    expect(String(sim.state.guests.get(351)?.config.scsi0)).toMatch(/^local-lvm:vm-351-disk-0,/);
    await wait(await startVzdump(client, 'pve1', { vmid: 350, storage: 'local', mode: 'snapshot' }));
    const [backup] = await backupContent(client, 'pve1', 'local', 350);
    await wait(await startRestore(client, 'pve1', { vmid: 352, volid: backup!.volid, type: 'qemu', force: false, start: false }));
    expect(String(sim.state.guests.get(352)?.config.scsi0)).toMatch(/^local-lvm:vm-352-disk-0,/);
    expect(sim.state.volumes.some((v) => v.volid === 'local-lvm:vm-352-disk-0')).toBe(true);
    // The template's destroy fails in its worker, at once, while the linked clone exists.
    sim.options.taskDurationMs = 5000;
    try {
      const upid = await startDestroy(client, tmpl, false);
      const started = Date.now();
      const err = await failure(wait(upid, 'destroy'));
      expect(err.message).toBe("destroy failed: base volume 'local-lvm:base-9000-disk-0' is still in use by linked cloned");
      expect(Date.now() - started).toBeLessThan(2500);
      expect(sim.state.guests.get(9000)?.template).toBe(true);
      expect(sim.state.volumes.some((v) => v.volid === 'local-lvm:base-9000-disk-0')).toBe(true);
    } finally {
      sim.options.taskDurationMs = 150;
    }
    await wait(await startDestroy(client, linked, false));
    await wait(await startDestroy(client, tmpl, false));
    expect(sim.state.guests.has(9000)).toBe(false);
  });

  it('sent nothing real PVE would reject', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});

describe('locks', () => {
  it('fails a task refused for a lock at once, naming the task that holds it; a lock just released says try again', async () => {
    const win = await client.resolveGuest(202);
    sim.options.taskDurationMs = 5000;
    try {
      const migrate = await startMigrate(client, win, { target: 'pve1' });
      expect(sim.state.guests.get(202)?.lock).toBe('migrate');
      const started = Date.now();
      const err = await failure(explainLock(client, win, async () => wait(await client.power(win, 'start'), 'start')));
      expect(Date.now() - started).toBeLessThan(2500);
      expect(err.message).toBe(`VM 202 (win11) is locked (migrate): qmigrate task ${migrate} holds it`);
      expect(err.hint).toContain('wait for that task to finish');
      await wait(migrate);
    } finally {
      sim.options.taskDurationMs = 150;
    }
    // The refusal came, then the task holding the lock ended before it was explained.
    const moved = await client.resolveGuest(202);
    const late = await failure(explainLock(client, moved, () => Promise.reject(new OperationError('start of VM 202 failed: VM is locked (migrate)'))));
    expect(late.message).toBe('VM 202 (win11) was locked (migrate) by a task that has just finished');
    expect(late.hint).toBe('the lock is released now: try again');
  });
});
