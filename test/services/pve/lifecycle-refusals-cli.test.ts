/**
 * What real PVE refuses in the guest lifecycle, as the simulator now refuses it and as the
 * CLI refuses it first (nothing sent): moving a linked clone, or a template its linked
 * clones use, off node-local storage; snapshots and rollbacks of templates; a full clone of
 * a running VM with TPM state; reserved snapshot names; a taken clone id; a clone to
 * another node from local storage; growing the EFI or TPM disk. And what a running VM takes
 * only at its next start: `pve set` says so, read from PVE's pending list. The built binary
 * and raw API calls against the lab's PVE simulator over real sockets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeAllAgents } from '../../../src/core/http/index.js';
import type { PveClient } from '../../../src/services/pve/client.js';
import { markStarted } from '../../../src/services/pve/sim/guest-power.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { apiErrorOf, finishedTask, rawClient, refusedBeforeSending, writesSince } from './sim-raw.js';

const lab = useLab({ services: ['pve'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): PveSim => lab.current.sims.get('pve') as PveSim;
afterAll(() => closeAllAgents());

const writes = (from: number) => writesSince(sim(), from);
const raw = (): PveClient => rawClient(sim());
const finished = finishedTask;
const refused = (args: string[], code: number): Promise<string> => refusedBeforeSending(sim(), env(), args, code);

describe('migrating linked clones and their template off node-local storage', () => {
  it('is refused by the CLI before sending, and fails in the simulator as in QemuMigrate', async () => {
    await runCliJson(['pve', 'clone', '9000', '114', '--name', 'lc1'], env());
    expect(String(sim().state.guests.get(114)?.config.scsi0)).toMatch(/^local-lvm:base-9000-disk-0\/vm-114-disk-0,/);
    const clone = await refused(['pve', 'migrate', '114', 'pve2', '--yes'], 2);
    expect(clone).toContain('VM 114 (lc1) is a linked clone (local-lvm:base-9000-disk-0/vm-114-disk-0) on node-local storage local-lvm');
    expect(clone).toContain('homelab pve clone 114 --full');
    const template = await refused(['pve', 'migrate', '9000', 'pve2', '--yes'], 2);
    expect(template).toContain('VM 9000 (debian-13-tmpl) is a template whose base disk on node-local storage linked clones use (114 (lc1))');

    const api = raw();
    const c = await finished(api, String(await api.post('/nodes/pve1/qemu/114/migrate', { target: 'pve2' })));
    expect(c.exitstatus).toBe('migration aborted');
    expect(c.log.join('\n')).toContain("Problem found while scanning volumes - can't migrate 'local-lvm:base-9000-disk-0/vm-114-disk-0' as it's a clone of 'base-9000-disk-0'");
    const t = await finished(api, String(await api.post('/nodes/pve1/qemu/9000/migrate', { target: 'pve2' })));
    expect(t.exitstatus).toBe('migration aborted');
    expect(t.log.join('\n')).toContain("can't migrate local disk 'local-lvm:base-9000-disk-0': referenced by linked clone(s)");
    // The lab stays as it was: both on pve1, the clone's disk still on its base.
    expect([sim().state.guests.get(114)?.node, sim().state.guests.get(9000)?.node]).toEqual(['pve1', 'pve1']);
    expect(sim().state.volumes.filter((v) => v.volid.startsWith('local-lvm:base-9000-disk-0')).map((v) => v.node)).toEqual(['pve1', 'pve1']);
  });
});

describe('snapshots of templates and reserved snapshot names', () => {
  it('refuses a snapshot or a rollback of a template (exit 2), as PVE does in the worker', async () => {
    expect(await refused(['pve', 'snapshot', '9000', 'before', '--yes'], 2)).toContain('VM 9000 (debian-13-tmpl) is a template: PVE takes no snapshots of templates');
    expect(await refused(['pve', 'rollback', '9000', 'before', '--yes'], 2)).toContain('VM 9000 (debian-13-tmpl) is a template: PVE does not roll templates back');
    const api = raw();
    expect((await finished(api, String(await api.post('/nodes/pve1/qemu/9000/snapshot', { snapname: 'before' })))).exitstatus).toBe("you can't take a snapshot if it's a template");
    expect((await finished(api, String(await api.post('/nodes/pve1/qemu/9000/snapshot/before/rollback', {})))).exitstatus).toBe("you can't rollback if vm is a template");
    expect(sim().state.guests.get(9000)?.snapshots).toEqual([]);
  });

  it('refuses current (and pending for VMs) before sending; a container may have a snapshot named pending', async () => {
    expect(await refused(['pve', 'snapshot', '201', 'current', '--yes'], 2)).toContain('snapshot name current is reserved by PVE');
    expect(await refused(['pve', 'snapshot', '201', 'Pending', '--yes'], 2)).toContain('snapshot name Pending is reserved by PVE');
    expect(await refused(['pve', 'snapshot', '104', 'current', '--yes'], 2)).toContain('reserved');
    const ok = await runCliJson<{ exitstatus: string }>(['pve', 'snapshot', '104', 'pending', '--yes'], env());
    expect(ok.exitstatus).toBe('OK');
  });
});

describe('clone prechecks', () => {
  it('refuses a full clone of a running VM with a TPM state disk (stop it first); the simulator refuses the call, no task', async () => {
    const win = sim().state.guests.get(202)!;
    expect(win.config.tpmstate0).toBeDefined();
    markStarted(win);
    try {
      const err = await refused(['pve', 'clone', '202', '--name', 'w2', '--yes'], 1);
      expect(err).toContain('VM 202 (win11) is running and has a TPM state disk: PVE cannot copy TPM state while the VM runs');
      expect(err).toContain('stop it first (homelab pve shutdown 202)');
      const tasks = sim().state.tasks.length;
      const e = await apiErrorOf(raw().post('/nodes/pve2/qemu/202/clone', { newid: 150, name: 'w2' }));
      expect([e.status, e.message]).toEqual([500, 'pve: cannot clone TPM state while VM is running']);
      // qemu-server dies in `$load_and_check`, before the fork: no task, no placeholder config.
      expect(sim().state.tasks.length).toBe(tasks);
      expect(sim().state.guests.has(150)).toBe(false);
    } finally {
      win.status = 'stopped';
    }
  });

  it('refuses a taken id and a clone to another node from local storage (exit 2); --help shows --no-full', async () => {
    expect(await refused(['pve', 'clone', '9000', '200', '--yes'], 2)).toContain('id 200 is taken: VM 200 (homeassistant) is on pve1');
    const target = await refused(['pve', 'clone', '201', '--target', 'pve1', '--full', '--yes'], 2);
    expect(target).toContain('VM 201 (media) has disks on node-local storage (local-lvm): PVE clones to another node only from shared storage');
    expect((await runCli(['pve', 'clone', '--help'], env())).stdout).toMatch(/--full .*--no-full: linked/);
  });
});

describe('resize of the EFI and TPM disks', () => {
  it('is refused with the reason, naming the disks that can grow', async () => {
    const efi = await refused(['pve', 'resize', '200', 'efidisk0', '+1G', '--yes'], 2);
    expect(efi).toContain('efidisk0 of VM 200 (homeassistant) is its EFI vars disk');
    expect(efi).toContain('grow one of its disks: scsi0');
    expect(await refused(['pve', 'resize', '202', 'tpmstate0', '+1M', '--yes'], 2)).toContain('tpmstate0 of VM 202 (win11) is its TPM state disk');
    expect(String(sim().state.guests.get(200)?.config.efidisk0)).toContain('size=4M');
  });
});

describe('pve set on a running VM', () => {
  it('says which changes wait for the next restart (cores; memory without memory hot-plug), and a restart applies them', async () => {
    const ha = sim().state.guests.get(200)!;
    expect(ha.status).toBe('running');
    const r = await runCliJson<{ changes: Record<string, unknown>; pending: string[] }>(['pve', 'set', '200', '--cores', '4', '--memory', '6144', '--description', 'HA OS'], env());
    expect(Object.keys(r.changes).sort()).toEqual(['cores', 'description', 'memory']);
    expect(r.pending).toEqual(['cores', 'memory']);
    expect(ha.config).toMatchObject({ cores: 2, memory: '4096', description: 'HA OS' });
    const api = raw();
    const pending = await api.get('/nodes/pve1/qemu/200/pending', z.array(z.looseObject({ key: z.string() })));
    expect(pending.find((e) => e.key === 'cores')).toEqual({ key: 'cores', value: '2', pending: '4' });
    expect((await api.get('/nodes/pve1/qemu/200/config', z.looseObject({ cores: z.number() }))).cores).toBe(4);
    expect((await api.get('/nodes/pve1/qemu/200/config', z.looseObject({ cores: z.number() }), { current: 1 })).cores).toBe(2);
    // Asked again: nothing to send, and still said to wait for the restart.
    const again = await runCli(['pve', 'set', '200', '--cores', '4'], env());
    expect(again.stdout).toContain('nothing to change');
    expect(again.stdout).toContain('takes effect at the next restart: cores');
    // With memory hot-plug on, memory applies at once (cores, not asked about, stay pending).
    ha.config.hotplug = 'network,disk,usb,memory';
    const hot = await runCliJson<{ pending: string[] }>(['pve', 'set', '200', '--memory', '8192'], env());
    expect(hot.pending).toEqual([]);
    expect(ha.config.memory).toBe('8192');
    expect(ha.pending).toEqual({ cores: 4 });
    await runCliJson(['pve', 'reboot', '200', '--yes'], env());
    expect(ha.config).toMatchObject({ cores: 4, memory: '8192' });
    expect((await runCliJson<{ pending: string[] }>(['pve', 'set', '200', '--cores', '4'], env())).pending).toEqual([]);
  });

  it("removes all tags with --tags '' (delete=tags)", async () => {
    const from = sim().requests.length;
    const r = await runCliJson<{ changes: Record<string, { from: unknown; to: unknown }> }>(['pve', 'set', '203', '--tags', ''], env());
    expect(r.changes).toEqual({ tags: { from: 'apps;media;test', to: '' } });
    const put = writes(from).find((q) => q.method === 'PUT');
    expect(new URLSearchParams(put?.body ?? '').get('delete')).toBe('tags');
    expect(new URLSearchParams(put?.body ?? '').has('tags')).toBe(false);
    expect(sim().state.guests.get(203)?.config.tags).toBeUndefined();
    const text = await runCli(['pve', 'set', '203', '--tags', ''], env());
    expect(text.stdout).toContain('nothing to change');
  });
});
