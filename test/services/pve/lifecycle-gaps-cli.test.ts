/**
 * The lifecycle's edges as a user meets them: the built binary against the lab's PVE and
 * PBS simulators over real sockets. A reused VMID does not inherit another guest's
 * backups; a backup on a node-local storage names its node and restores there; restore
 * and destroy refuse before asking what PVE would refuse anyway; a copy gets new MACs
 * and a warning for an address a running guest holds; storages are checked before
 * anything is sent; a running container is not fully cloned; notes are one line, as PVE
 * lists them; `--no-wait` reads right in help and in `migrate`'s output; a configured
 * backup storage the node lacks is a config error.
 */
import { describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'pbs'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;

interface Backup { volid: string; storage: string; node: string | null; vmid: number; type: string; time: number; notes: string | null }
interface CoverageGuest { vmid: number; type: string; newest: number | null; storage: string | null }
interface Coverage { notCovered: CoverageGuest[]; stale: CoverageGuest[] }
interface Restored { vmid: number; node: string; type: string; exitstatus: string; unique: boolean; started: boolean; warnings: string[] }

/** Requests from `from` on that change something (`POST`, `PUT`, `DELETE`). */
const writes = (from: number) => pve().requests.slice(from).filter((r) => r.method !== 'GET');

describe('backups of a reused VMID', () => {
  it('a VM that got a destroyed container\'s id does not inherit its backups (listing or coverage)', async () => {
    const theirs = await runCliJson<Backup[]>(['pve', 'backups', '104'], env());
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((b) => b.type === 'lxc')).toBe(true);
    await runCliJson(['pve', 'destroy', '104', '--stop', '--purge', '--yes'], env());
    // No guest 104: its backups are all listed (that is when they matter).
    expect((await runCliJson<Backup[]>(['pve', 'backups', '104'], env())).map((b) => b.volid)).toEqual(theirs.map((b) => b.volid));
    await runCliJson(['pve', 'clone', '9000', '104', '--name', 'reused'], env());
    expect(await runCliJson<Backup[]>(['pve', 'backups', '104'], env())).toEqual([]);
    const coverage = await runCliJson<Coverage>(['pve', 'backup-coverage'], env());
    expect([...coverage.notCovered, ...coverage.stale].find((g) => g.vmid === 104)).toMatchObject({ type: 'qemu', newest: null, storage: null });
  });

  it('a VM\'s backups older than the VM itself (meta ctime) are not its own', async () => {
    const all = await runCliJson<Backup[]>(['pve', 'backups', '201'], env());
    expect(all.length).toBeGreaterThan(2);
    const g = pve().state.guests.get(201)!;
    const meta = g.config.meta;
    const created = (all[1] as Backup).time;
    g.config.meta = `creation-qemu=9.2.0,ctime=${created}`;
    try {
      const own = await runCliJson<Backup[]>(['pve', 'backups', '201'], env());
      expect(own.map((b) => b.volid)).toEqual(all.slice(0, 2).map((b) => b.volid));
      g.config.meta = `creation-qemu=9.2.0,ctime=${(all[0] as Backup).time + 60}`;
      const coverage = await runCliJson<Coverage>(['pve', 'backup-coverage'], env());
      expect(coverage.stale.find((s) => s.vmid === 201)).toMatchObject({ newest: null });
    } finally {
      g.config.meta = meta as string;
    }
  });
});

describe('a backup on a node-local storage', () => {
  it('names its node in pve backups, and pve restore runs on that node (the configured node is pve1)', async () => {
    const made = await runCliJson<{ backup: Backup }>(['pve', 'backup', '201', '--storage', 'local'], env());
    expect(made.backup).toMatchObject({ storage: 'local', node: 'pve2', type: 'qemu' });
    const list = await runCliJson<Backup[]>(['pve', 'backups', '201'], env());
    expect(list.find((b) => b.volid === made.backup.volid)).toMatchObject({ node: 'pve2' });
    expect(list.filter((b) => b.storage === 'pbs').every((b) => b.node === null)).toBe(true);
    expect((await runCli(['pve', 'backups', '201'], env())).stdout).toMatch(/ local \(pve2\) /);
    const wrong = await runCli(['pve', 'restore', made.backup.volid, '--node', 'pve1', '--yes'], env());
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`${made.backup.volid} is on pve2's storage local, which pve1 does not reach`);
    const from = pve().requests.length;
    const done = await runCliJson<Restored>(['pve', 'restore', made.backup.volid, '--yes'], env());
    expect(done).toMatchObject({ node: 'pve2', type: 'qemu', exitstatus: 'OK', unique: true });
    const post = writes(from).find((r) => r.method === 'POST');
    expect(post?.path).toBe('/api2/json/nodes/pve2/qemu');
    expect(post?.body).toMatch(/(^|&)unique=1(&|$)/);
  });
});

describe('pve restore and destroy refuse before asking', () => {
  it('a backup that is not there, a VM backup over a container, a running, protected or locked target: one line, nothing asked or sent', async () => {
    const [vm] = await runCliJson<Backup[]>(['pve', 'backups', '202'], env());
    const [ct] = await runCliJson<Backup[]>(['pve', 'backups', '107'], env());
    const g202 = pve().state.guests.get(202)!;
    const cases: [() => void, string[], number, string][] = [
      [() => {}, ['pve', 'restore', 'pbs:backup/vm/202/2020-01-01T00:00:00Z'], 2, 'no backup pbs:backup/vm/202/2020-01-01T00:00:00Z on storage pbs'],
      [() => {}, ['pve', 'restore', ct!.volid, '202', '--force'], 2, 'VM 202 (win11) is a VM and the backup holds a container: restore it to another id'],
      [() => {}, ['pve', 'restore', vm!.volid, '200', '--force'], 1, 'VM 200 (homeassistant) is running: stop it before restoring over it'],
      [() => { g202.config.protection = 1; }, ['pve', 'restore', vm!.volid, '--force'], 1, 'VM 202 (win11) is protected (protection: 1): PVE will not restore over it'],
      [() => { g202.lock = 'backup'; }, ['pve', 'restore', vm!.volid, '--force'], 1, 'VM 202 (win11) is locked (backup)'],
      [() => { g202.config.protection = 1; }, ['pve', 'destroy', '202'], 1, 'VM 202 (win11) is protected (protection: 1): PVE will not remove it'],
      [() => { g202.lock = 'backup'; }, ['pve', 'destroy', '202'], 1, 'VM 202 (win11) is locked (backup)'],
    ];
    for (const [arrange, args, code, message] of cases) {
      arrange();
      try {
        const from = pve().requests.length;
        const r = await runCli(args, env());
        expect(r.code, args.join(' ')).toBe(code);
        expect(r.stderr, args.join(' ')).toContain(`homelab: ${message}`);
        expect(r.stderr, args.join(' ')).not.toContain('add --yes');
        expect(writes(from)).toEqual([]);
      } finally {
        delete g202.config.protection;
        delete g202.lock;
      }
    }
    const protectedHint = await (async () => {
      g202.config.protection = 1;
      try { return (await runCli(['pve', 'destroy', '202'], env())).stderr; } finally { delete g202.config.protection; }
    })();
    expect(protectedHint).toContain('homelab pve set 202 --no-protection');
  });

  it('a copy under a new id: the preview warns of the running original\'s address; the restore asks for new MACs and says it started the guest', async () => {
    const [ct] = await runCliJson<Backup[]>(['pve', 'backups', '107'], env());
    const clash = '10.5.0.12 is already the address of CT 107 (forgejo), which is running: two guests would answer for it';
    const preview = await runCli(['pve', 'restore', ct!.volid, '--start'], env());
    expect(preview.code).toBe(2);
    expect(preview.stderr).toContain(`Restore ${ct!.volid} to a new guest (the next free id) on pve1: this is destructive; add --yes`);
    expect(preview.stderr).toContain(clash);
    expect(preview.stderr).toContain('it will be started afterwards');
    const from = pve().requests.length;
    const done = await runCliJson<Restored>(['pve', 'restore', ct!.volid, '--start', '--yes'], env());
    expect(done).toMatchObject({ type: 'lxc', exitstatus: 'OK', unique: true, started: true, warnings: [clash] });
    expect(writes(from).find((r) => r.method === 'POST')?.body).toMatch(/(^|&)unique=1(&|$)/);
    expect(pve().state.guests.get(done.vmid)?.status).toBe('running');
    expect(String(pve().state.guests.get(done.vmid)?.config.net0)).not.toContain(String(pve().state.guests.get(107)?.config.net0).match(/hwaddr=[^,]+/)?.[0]);
    const shown = await runCli(['pve', 'restore', ct!.volid, '--start', '--yes'], env());
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/CT \d+ \(forgejo\) was started \(--start\)/);
    expect(shown.stdout).toContain(`warning: ${clash}`);
  });

  it('restoring a guest over itself keeps its MAC addresses (no unique)', async () => {
    const [vm] = await runCliJson<Backup[]>(['pve', 'backups', '202'], env());
    const from = pve().requests.length;
    const done = await runCliJson<Restored>(['pve', 'restore', vm!.volid, '--force', '--yes'], env());
    expect(done).toMatchObject({ vmid: 202, unique: false, started: false, warnings: [] });
    expect(writes(from).find((r) => r.method === 'POST')?.body).not.toMatch(/unique/);
  });
});

describe('pve clone refusals and warnings', () => {
  it('refuses a full clone of a running container before sending, saying what to do; the help example clones a stopped VM and works', async () => {
    const from = pve().requests.length;
    const r = await runCli(['pve', 'clone', '107', '310', '--name', 'forgejo-test'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('homelab: CT 107 (forgejo) is running: PVE copies a running container only from a snapshot');
    expect(r.stderr).toContain('homelab pve shutdown 107');
    expect(writes(from)).toEqual([]);
    const help = await runCli(['pve', 'clone', '--help'], env());
    expect(help.stdout).toContain('homelab pve clone 201 310 --name media-test');
    expect(help.stdout).not.toContain('clone 107');
    expect(await runCliJson(['pve', 'clone', '201', '310', '--name', 'media-test'], env())).toMatchObject({ exitstatus: 'OK', full: true, warnings: [] });
  });

  it('warns when a static address of the clone is held by a running guest', async () => {
    const done = await runCliJson<{ warnings: string[] }>(['pve', 'clone', '9000', '--name', 'dup', '--ip', '10.5.0.3/24'], env());
    expect(done.warnings).toEqual(['10.5.0.3 is already the address of CT 101 (proxy), which is running: two guests would answer for it']);
  });

  it('checks storages before sending anything (exit 2, with a hint)', async () => {
    const [vm] = await runCliJson<Backup[]>(['pve', 'backups', '202'], env());
    const cases: [string[], string][] = [
      [['pve', 'clone', '9000', '--full', '--storage', 'pbs'], 'storage pbs cannot hold VM disks (no images content)'],
      [['pve', 'clone', '9000', '--storage', 'local-lvm'], 'VM 9000 (debian-13-tmpl) is a template, so the clone is linked by default: --storage is for full clones'],
      [['pve', 'clone', '9000', '--full', '--storage', 'nope'], 'no storage nope on pve1'],
      [['pve', 'restore', vm!.volid, '--storage', 'local', '--yes'], 'storage local cannot hold VM disks (no images content)'],
      [['pve', 'backups', '108', '--storage', 'nope'], 'no storage nope in the cluster'],
      [['pve', 'backups', '108', '--storage', 'local-lvm'], 'storage local-lvm holds no backups (content: images,rootdir)'],
    ];
    for (const [args, message] of cases) {
      const from = pve().requests.length;
      const r = await runCli(args, env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`homelab: ${message}`);
      expect(r.stderr.trim().split('\n').length, args.join(' ')).toBe(2);
      expect(writes(from)).toEqual([]);
    }
  });
});

describe('small things', () => {
  it('lists only the first line of multi-line backup notes, as PVE does', async () => {
    const done = await runCliJson<{ backup: Backup }>(['pve', 'backup', '106', '--notes', 'first line\nsecond line'], env());
    expect(done.backup.notes).toBe('first line');
    const [newest] = await runCliJson<Backup[]>(['pve', 'backups', '106'], env());
    expect(newest).toMatchObject({ volid: done.backup.volid, notes: 'first line' });
  });

  it('--no-wait reads right in help, for pve and pbs', async () => {
    const line = /^ {2}--\[no-\]wait\s+waits for the task to finish by default; --no-wait \(wait: false\) returns at once with its UPID$/m;
    expect((await runCli(['pve', 'start', '--help'], env())).stdout).toMatch(line);
    expect((await runCli(['pbs', 'gc', '--help'], env())).stdout).toMatch(line);
  });

  it('migrate --no-wait does not say the local disks were copied', async () => {
    const r = await runCli(['pve', 'migrate', '202', 'pve1', '--no-wait'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('task started');
    expect(r.stdout).toContain('local disks the task copies');
    expect(r.stdout).not.toContain('copied');
    await expect.poll(() => pve().state.guests.get(202)?.node, { timeout: 10_000, interval: 100 }).toBe('pve1');
  });

  it('a configured backup storage the node lacks is a config error (exit 3)', async () => {
    const services = Object.fromEntries([...lab.current.sims].map(([name, sim]) => [name, sim.configSection]));
    lab.current.writeConfig({ services: { ...services, pve: { ...services.pve, backup_storage: 'zzz' } } });
    try {
      const r = await runCli(['pve', 'backup', '106'], env());
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('services.pve.backup_storage is zzz, but node pve2 has no backup storage of that name');
    } finally {
      lab.current.writeConfig();
    }
  });

  it('sent nothing real PVE would reject over the whole session', () => {
    expect(pve().schemaViolations).toEqual([]);
  });
});
