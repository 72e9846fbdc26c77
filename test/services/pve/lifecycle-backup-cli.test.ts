/**
 * Backups, restore, migration, destroy and backup coverage as a user runs them: the built
 * binary against the lab's PVE and PBS simulators over real sockets. Covers task failure,
 * the lock refusal naming its task, protection, refusals that send nothing, and that a
 * `pve backup` to the PBS storage is a snapshot `pbs snapshots` shows.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { CLI, cliEnv, runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'pbs'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;

interface Backup { volid: string; storage: string; vmid: number; type: string; time: number; size: number; notes: string | null; verification: string | null; protected: boolean }

/** Requests the PVE simulator saw from `from` on, as `METHOD path?query`. */
const seen = (from: number): string[] => pve().requests.slice(from).map((r) => `${r.method} ${r.path}?${r.query}`);

describe('homelab pve backup / backups (CLI)', () => {
  it('backs up to the PBS storage by default, and PBS shows the new snapshot', async () => {
    const before = await runCliJson<{ time: number }[]>(['pbs', 'snapshots', '--group', 'vm/201'], env());
    const done = await runCliJson<{ exitstatus: string; storage: string; upid: string; backup: Backup }>(['pve', 'backup', '201', '--notes', 'before the upgrade'], env());
    expect(done).toMatchObject({ exitstatus: 'OK', storage: 'pbs', backup: { storage: 'pbs', vmid: 201, type: 'qemu', notes: 'before the upgrade' } });
    expect(done.upid).toMatch(/^UPID:pve2:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:vzdump:201:/);
    expect(done.backup.volid).toMatch(/^pbs:backup\/vm\/201\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const after = await runCliJson<{ snapshot: string; time: number; comment: string | null }[]>(['pbs', 'snapshots', '--group', 'vm/201'], env());
    expect(after.length).toBe(before.length + 1);
    expect(after.find((s) => s.time === done.backup.time)).toMatchObject({ comment: 'before the upgrade' });
    const list = await runCliJson<Backup[]>(['pve', 'backups', '201'], env());
    expect(list[0]?.volid).toBe(done.backup.volid);
    expect(list.map((b) => b.time)).toEqual([...list.map((b) => b.time)].sort((a, b) => b - a));
    const tasks = await runCliJson<{ type: string; id: string }[]>(['pbs', 'tasks', '--limit', '5'], env());
    expect(tasks.some((t) => t.type === 'backup' && t.id === 'main:vm/201')).toBe(true);
  });

  it('lists backups with size, notes, verification and protection from PBS', async () => {
    const list = await runCliJson<Backup[]>(['pve', 'backups', '106'], env());
    expect(list.length).toBe(7);
    expect(list.every((b) => b.vmid === 106 && b.type === 'lxc' && b.size > 0 && b.notes === 'dockge')).toBe(true);
    expect(list.some((b) => b.verification === 'failed')).toBe(true);
    // The lab keeps dockge's oldest backup protected (PBS's snapshot flag, seen through PVE).
    expect(list.map((b) => b.protected)).toEqual([false, false, false, false, false, false, true]);
    const table = await runCli(['pve', 'backups', '106'], env());
    expect(table.stdout).toMatch(/^TIME\s+STORAGE\s+SIZE\s+VERIFIED\s+PROTECTED\s+NOTES\s+VOLID/m);
    expect(table.stdout).toContain('pbs:backup/ct/106/');
    const rows = table.stdout.split('\n').filter((l) => l.includes('pbs:backup/ct/106/'));
    expect(rows.filter((l) => /\byes\s+dockge\s/.test(l))).toEqual([rows.at(-1)]);
  });

  it('shows the backup progress and fails with the task log when vzdump fails', async () => {
    pve().failNextTask(107, 'backup write data failed: No space left on device (os error 28)');
    const result = await runCli(['pve', 'backup', '107'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('homelab: backup of CT 107 (forgejo) to pbs failed: backup write data failed: No space left on device');
    expect(result.stderr).toMatch(/\n {2}TASK ERROR: backup write data failed/);
  });

  it('refuses a locked guest, naming the lock and the task holding it', async () => {
    pve().options.taskDurationMs = 6000;
    try {
      const snap = await runCliJson<{ upid: string }>(['pve', 'snapshot', '200', 'lock_test', '--no-wait'], env());
      const from = pve().requests.length;
      const result = await runCli(['pve', 'backup', '200'], env());
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`homelab: VM 200 (homeassistant) is locked (snapshot): qmsnapshot task ${snap.upid} holds it`);
      expect(seen(from).some((r) => r.startsWith('POST'))).toBe(false);
      // The snapshot goes on: later tests need 200 unlocked again.
      await expect.poll(() => pve().state.tasks.find((t) => t.upid === snap.upid)?.status, { timeout: 10_000, interval: 100 }).toBe('stopped');
    } finally {
      pve().options.taskDurationMs = 300;
    }
  });

  it('checks input before sending anything (exit 2)', async () => {
    const from = pve().requests.length;
    for (const args of [['pve', 'backup', '201', '--mode', 'fast'], ['pve', 'backup', '201', '--storage', 'bad storage'], ['pve', 'restore', 'not-a-volid', '--yes'],
      ['pve', 'restore', 'pbs:backup/vm/201/garbage', '--yes'], ['pve', 'restore', 'pbs:backup/vm/201/2026-13-04T02:00:00Z', '--yes'],
      ['pve', 'restore', 'local:backup/vzdump-qemu-201-2026_02_30-02_00_00.vma.zst', '--yes'],
      ['pve', 'migrate', '201', 'bad node!'], ['pve', 'destroy', '42', '--yes'], ['pve', 'backups', 'abc']]) {
      const r = await runCli(args, env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      if (args[1] === 'restore') expect(r.stderr).toContain('volid must be a backup volume like pbs:backup/vm/201/2026-12-04T02:00:00Z');
    }
    expect(pve().requests.length).toBe(from);
  });

  it('says which storage it needs when the cluster has no PBS storage', async () => {
    const storages = pve().state.storages;
    const pbs = storages.find((s) => s.storage === 'pbs');
    pve().state.storages = storages.filter((s) => s !== pbs);
    try {
      const r = await runCli(['pve', 'backup', '201'], env());
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('node pve2 has no PBS storage to back up to (backup storages: local)');
      expect(r.stderr).toContain('services.pve.backup_storage');
    } finally {
      pve().state.storages = storages;
    }
  });
});

describe('homelab pve restore (CLI)', () => {
  it('restores a backup to a new guest with the backed-up config', async () => {
    const [newest] = await runCliJson<Backup[]>(['pve', 'backups', '107'], env());
    const done = await runCliJson<{ vmid: number; type: string; name: string; exitstatus: string; overwritten: null }>(['pve', 'restore', newest!.volid, '--yes'], env());
    expect(done).toMatchObject({ type: 'lxc', name: 'forgejo', exitstatus: 'OK', overwritten: null });
    expect(done.vmid).toBeGreaterThan(107);
    const config = await runCliJson<{ config: Record<string, unknown> }>(['pve', 'config', String(done.vmid)], env());
    expect(config.config).toMatchObject({ hostname: 'forgejo', rootfs: `local-lvm:vm-${done.vmid}-disk-0,size=24G` });
  });

  it('asks before restoring over a guest, saying what will be overwritten (its name, node and disks)', async () => {
    const [newest] = await runCliJson<Backup[]>(['pve', 'backups', '201'], env());
    const from = pve().requests.length;
    const r = await runCli(['pve', 'restore', newest!.volid, '--force'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Restore ${newest!.volid} over VM 201 (media) on pve2, replacing its disks and config: this is destructive; add --yes`);
    expect(r.stderr).toMatch(/replaced: \S*vm-201-disk-0/);
    expect(seen(from).some((x) => x.startsWith('POST'))).toBe(false);
  });

  it('refuses to overwrite an existing guest without --force, and says what --force replaced', async () => {
    const [newest] = await runCliJson<Backup[]>(['pve', 'backups', '202'], env());
    const from = pve().requests.length;
    const refused = await runCli(['pve', 'restore', newest!.volid, '202', '--yes'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('guest 202 (win11) exists: restoring over it replaces its disks and config');
    expect(seen(from).some((r) => r.startsWith('POST'))).toBe(false);
    const asked = await runCli(['pve', 'restore', newest!.volid, '202', '--force'], env());
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain(`Restore ${newest!.volid} over VM 202 (win11) on pve2, replacing its disks and config: this is destructive; add --yes`);
    const done = await runCliJson<{ vmid: number; overwritten: { name: string; disks: string[] } }>(['pve', 'restore', newest!.volid, '202', '--force', '--yes'], env());
    expect(done.vmid).toBe(202);
    expect(done.overwritten).toMatchObject({ name: 'win11', disks: expect.arrayContaining(['local-lvm:vm-202-disk-0']) as unknown as string[] });
  });
});

describe('homelab pve restore of a vzdump file renamed by hand (CLI)', () => {
  it('restores what pve backups lists: PVE takes vzdump-<type>-<vmid>-<anything>.<ext>, reading a time only from the standard name', async () => {
    const volid = 'local:backup/vzdump-qemu-202-before-upgrade.vma.zst';
    const node = pve().state.guests.get(202)?.node as string;
    pve().state.volumes.push({ storage: 'local', node, volid, content: 'backup', format: 'vma.zst', size: 2_000_000_000, ctime: 1_780_000_000, vmid: 202, subtype: 'qemu' });
    const listed = await runCliJson<Backup[]>(['pve', 'backups', '202'], env());
    expect(listed.find((b) => b.volid === volid)).toMatchObject({ vmid: 202, type: 'qemu', storage: 'local' });
    const done = await runCliJson<{ vmid: number; type: string; exitstatus: string }>(['pve', 'restore', volid, '202', '--force', '--yes'], env());
    expect(done).toMatchObject({ vmid: 202, type: 'qemu', exitstatus: 'OK' });
  });
});

describe('homelab pve migrate (CLI)', () => {
  it('moves a stopped VM offline and the guest is on the other node', async () => {
    const done = await runCliJson<{ from: string; to: string; mode: string; exitstatus: string }>(['pve', 'migrate', '202', 'pve1'], env());
    expect(done).toMatchObject({ from: 'pve2', to: 'pve1', mode: 'offline', exitstatus: 'OK' });
    expect((await runCliJson<{ node: string }>(['pve', 'status', '202'], env())).node).toBe('pve1');
  });

  it('explains why a running guest needs --online / --restart, before sending anything', async () => {
    const from = pve().requests.length;
    const vm = await runCli(['pve', 'migrate', '200', 'pve2'], env());
    expect(vm.code).toBe(2);
    expect(vm.stderr).toContain('VM 200 (homeassistant) is running: add --online');
    const ct = await runCli(['pve', 'migrate', '103', 'pve2'], env());
    expect(ct.code).toBe(2);
    expect(ct.stderr).toContain('containers cannot move live: add --restart');
    expect(seen(from).some((r) => r.startsWith('POST'))).toBe(false);
  });

  it('live-migrates a running VM, copying its local disks', async () => {
    const from = pve().requests.length;
    const done = await runCliJson<{ mode: string; localDisks: { volid: string }[]; to: string }>(['pve', 'migrate', '200', 'pve2', '--online'], env());
    expect(done).toMatchObject({ mode: 'online', to: 'pve2' });
    expect(done.localDisks.map((d) => d.volid)).toContain('local-lvm:vm-200-disk-0');
    expect(seen(from)).toContain('GET /api2/json/nodes/pve1/qemu/200/migrate?target=pve2');
    expect(pve().requests.slice(from).find((r) => r.method === 'POST')?.body).toMatch(/with-local-disks=1/);
    expect(pve().state.guests.get(200)).toMatchObject({ node: 'pve2', status: 'running' });
  });

  it('restart-migrates a running container', async () => {
    const done = await runCliJson<{ mode: string; exitstatus: string }>(['pve', 'migrate', '103', 'pve2', '--restart'], env());
    expect(done).toMatchObject({ mode: 'restart', exitstatus: 'OK' });
    expect(pve().state.guests.get(103)).toMatchObject({ node: 'pve2', status: 'running' });
  });

  it('refuses a VM with local devices, naming them', async () => {
    pve().state.guests.get(201)!.config.hostpci0 = '0000:01:00.0';
    try {
      const from = pve().requests.length;
      const r = await runCli(['pve', 'migrate', '201', 'pve1'], env());
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('VM 201 (media) uses local devices (hostpci0) that only pve2 has');
      expect(seen(from).some((x) => x.startsWith('POST'))).toBe(false);
    } finally {
      delete pve().state.guests.get(201)!.config.hostpci0;
    }
  });
});

describe('homelab pve destroy (CLI)', () => {
  it('asks first, naming the guest as it is now (type, name, node, disks); without a terminal it refuses and deletes nothing', async () => {
    const from = pve().requests.length;
    const r = await runCli(['pve', 'destroy', '201', '--purge'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Destroy VM 201 (media) on pve2 and purge it from backup jobs, HA and replication: this is destructive; add --yes');
    expect(r.stderr).toMatch(/disks: \S*vm-201-disk-0/);
    expect(seen(from).some((x) => x.startsWith('DELETE'))).toBe(false);
  });

  it('a guest that does not exist fails before anything is asked', async () => {
    const r = await runCli(['pve', 'destroy', '777', '--purge'], env());
    expect(r.stderr).toMatch(/^homelab: .*777/);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('add --yes');
  });

  it('refuses a protected guest and says how to lift it; nothing is deleted', async () => {
    pve().state.guests.get(201)!.config.protection = 1;
    try {
      const from = pve().requests.length;
      const r = await runCli(['pve', 'destroy', '201', '--yes'], env());
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('VM 201 (media) is protected (protection: 1)');
      expect(r.stderr).toContain('homelab pve set 201 --no-protection');
      expect(seen(from).some((x) => x.startsWith('DELETE'))).toBe(false);
    } finally {
      delete pve().state.guests.get(201)!.config.protection;
    }
  });

  it('refuses a running guest unless --stop', async () => {
    const from = pve().requests.length;
    const r = await runCli(['pve', 'destroy', '100', '--yes'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CT 100 (dns) is running on pve1');
    expect(r.stderr).toContain('--stop');
    expect(seen(from).some((x) => x.startsWith('DELETE'))).toBe(false);
  });

  it('stops, destroys and purges a guest from the backup jobs', async () => {
    const before = await runCliJson<{ jobs: { guests: number[] }[] }>(['pve', 'backup-coverage'], env());
    expect(before.jobs[0]?.guests).toContain(104);
    const from = pve().requests.length;
    const done = await runCliJson<{ purged: boolean; stopped: boolean; exitstatus: string }>(['pve', 'destroy', '104', '--purge', '--stop', '--yes'], env());
    expect(done).toMatchObject({ purged: true, stopped: true, exitstatus: 'OK' });
    expect(seen(from)).toContain('DELETE /api2/json/nodes/pve1/lxc/104?purge=1&destroy-unreferenced-disks=1');
    expect(pve().state.guests.has(104)).toBe(false);
    const after = await runCliJson<{ jobs: { guests: number[] }[] }>(['pve', 'backup-coverage'], env());
    expect(after.jobs[0]?.guests).not.toContain(104);
  });
});

describe('homelab pve backup-coverage (CLI)', () => {
  it('lists guests no job covers, stale ones, and the jobs', async () => {
    const c = await runCliJson<{ staleHours: number; notCovered: { vmid: number }[]; stale: { vmid: number; newest: number }[]; jobs: { id: string; storage: string }[] }>(['pve', 'backup-coverage'], env());
    expect(c.staleHours).toBe(26);
    expect(c.notCovered.map((g) => g.vmid)).toEqual(expect.arrayContaining([105, 9000]));
    expect(c.stale.map((g) => g.vmid)).toContain(106);
    expect(c.stale.map((g) => g.vmid)).not.toContain(201);
    expect(c.jobs[0]).toMatchObject({ storage: 'pbs' });
    const text = await runCli(['pve', 'backup-coverage'], env());
    expect(text.stdout).toMatch(/guest\(s\) no enabled job covers, \d+ stale \(newest backup older than 26 h\)/);
    expect(text.stdout).toContain('Not in any enabled backup job');
  });
});

describe('the lifecycle commands on the other surfaces', () => {
  it('has help from the registry, danger marked', async () => {
    const help = await runCli(['pve', 'restore', '--help'], env());
    expect(help.stdout).toContain('Usage: homelab pve restore <volid> [vmid] [options]');
    expect(help.stdout).toContain('destructive');
    const group = await runCli(['pve', '--help'], env());
    for (const verb of ['migrate', 'backup', 'backups', 'restore', 'destroy', 'backup-coverage']) expect(group.stdout).toContain(`pve ${verb}`);
  });

  it('lists destroy and restore on MCP only with --allow danger', async () => {
    const list = async (allow: string): Promise<string[]> => {
      const client = new Client({ name: 'lifecycle-test', version: '1.0.0' });
      await client.connect(new StdioClientTransport({
        command: process.execPath, args: [CLI, 'mcp', '--allow', allow],
        env: { ...cliEnv(), ...lab.current.env }, stderr: 'pipe',
      }));
      try {
        return (await client.listTools()).tools.map((t) => t.name);
      } finally {
        await client.close();
      }
    };
    const change = await list('change');
    expect(change).toEqual(expect.arrayContaining(['pve_backup', 'pve_migrate', 'pve_backups', 'pve_backup-coverage']));
    expect(change).not.toContain('pve_destroy');
    expect(change).not.toContain('pve_restore');
    expect(await list('danger')).toEqual(expect.arrayContaining(['pve_destroy', 'pve_restore']));
  });

  it('sent nothing real PVE would reject over the whole session', () => {
    expect(pve().schemaViolations).toEqual([]);
  });
});
