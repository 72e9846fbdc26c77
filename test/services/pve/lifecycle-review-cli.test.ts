/**
 * Follow-ups of the lifecycle review, against qemu-server and pve-container: a container's
 * full clone to another node counts the storage its copies go to (a shared `--storage` may
 * go, a node-local one may not; a VM's `--storage` must be shared too); the clone checks of
 * a running VM read its config as it runs (not the changes pending until its next start);
 * cloud-init keys and migrate_downtime/migrate_speed apply at once on a running VM; the
 * reserved container snapshot name `vzdump`; the pending list's `digest`; `snapshot` with
 * `current`; an emptied pending section; `--description ''`. The built binary and raw API calls against the
 * lab's PVE simulator over real sockets.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { closeAllAgents } from '../../../src/core/http/index.js';
import { configDigest } from '../../../src/services/pve/sim/guest-config.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { apiErrorOf, rawClient, refusedBeforeSending } from './sim-raw.js';

const lab = useLab({ services: ['pve'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): PveSim => lab.current.sims.get('pve') as PveSim;
afterAll(() => closeAllAgents());
const refused = (args: string[], code: number): Promise<string> => refusedBeforeSending(sim(), env(), args, code);

/** Adds a shared NFS storage for guest disks on both nodes. */
function addNfs(): void {
  if (sim().state.storages.some((s) => s.storage === 'nfs')) return;
  sim().state.storages.push({ storage: 'nfs', type: 'nfs', content: ['images', 'rootdir'], shared: true, nodes: ['pve1', 'pve2'], total: { pve1: 1e12, pve2: 1e12 }, used: { pve1: 0, pve2: 0 } });
}

describe('a clone to another node', () => {
  it('takes a stopped container onto shared --storage, as pve-container counts the target storage', async () => {
    addNfs();
    const ct = sim().state.guests.get(103)!;
    ct.status = 'stopped';
    try {
      const r = await runCli(['pve', 'clone', '103', '160', '--name', 'beszel2', '--target', 'pve2', '--full', '--storage', 'nfs', '--json', '--yes'], env());
      expect(r.code, r.stderr).toBe(0);
      const copy = sim().state.guests.get(160);
      expect([copy?.node, copy?.type]).toEqual(['pve2', 'lxc']);
      expect(String(copy?.config.rootfs)).toMatch(/^nfs:vm-160-disk-0,/);
      // Onto node-local storage it is refused first (exit 2), and by the simulator as pve-container words it.
      expect(await refused(['pve', 'clone', '103', '161', '--target', 'pve2', '--full', '--storage', 'local-lvm', '--yes'], 2))
        .toContain('storage local-lvm is node-local: PVE clones to another node only onto shared storage');
      const e = await apiErrorOf(rawClient(sim()).post('/nodes/pve1/lxc/103/clone', { newid: 161, target: 'pve2', full: 1, storage: 'local-lvm' }));
      expect(e.message).toBe("pve: can't clone CT to node 'pve2' (CT uses local storage)");
      expect(sim().state.guests.has(161)).toBe(false);
    } finally {
      ct.status = 'running';
    }
  });

  it('refuses a VM from local disks whatever --storage says, and onto non-shared --storage (qemu-server)', async () => {
    addNfs();
    expect(await refused(['pve', 'clone', '201', '162', '--target', 'pve1', '--full', '--storage', 'nfs', '--yes'], 2))
      .toContain('VM 201 (media) has disks on node-local storage (local-lvm): PVE clones to another node only from shared storage');
    const api = rawClient(sim());
    expect((await apiErrorOf(api.post('/nodes/pve2/qemu/201/clone', { newid: 162, target: 'pve1', full: 1, storage: 'nfs' }))).message)
      .toBe("pve: can't clone VM to node 'pve1' (VM uses local storage)");
    expect((await apiErrorOf(api.post('/nodes/pve2/qemu/201/clone', { newid: 162, target: 'pve1', full: 1, storage: 'local-lvm' }))).message)
      .toBe("pve: can't clone to non-shared storage 'local-lvm'");
    expect(sim().state.guests.has(162)).toBe(false);
  });
});

describe('the clone checks of a running VM', () => {
  it('read the config as it runs: a pending TPM state disk does not refuse the clone', async () => {
    const ha = sim().state.guests.get(200)!;
    expect(ha.status).toBe('running');
    ha.pending = { tpmstate0: 'local-lvm:vm-200-disk-9,size=4M,version=v2.0' };
    try {
      const from = sim().requests.length;
      const r = await runCli(['pve', 'clone', '200', '163', '--name', 'ha2', '--json', '--yes'], env());
      expect(r.code, r.stderr).toBe(0);
      expect(sim().state.guests.get(163)?.config.tpmstate0).toBeUndefined();
      const reads = sim().requests.slice(from).filter((q) => q.method === 'GET' && q.path === '/api2/json/nodes/pve1/qemu/200/config');
      // The clone checks' read (the address clash check reads the running guests' configs after it).
      expect(reads[0]?.query.get('current')).toBe('1');
    } finally {
      delete ha.pending;
    }
  });
});

describe('changes to a running VM', () => {
  it('applies cloud-init keys, migrate_downtime and migrate_speed at once (fast-plug), whatever hotplug says', async () => {
    const ha = sim().state.guests.get(200)!;
    await rawClient(sim()).put('/nodes/pve1/qemu/200/config', { ciuser: 'ops', nameserver: '10.5.0.2', migrate_downtime: '0.5', migrate_speed: 100 });
    expect(ha.pending).toBeUndefined();
    expect(ha.config).toMatchObject({ ciuser: 'ops', nameserver: '10.5.0.2' });
    expect(ha.config.migrate_downtime).toBeDefined();
    expect(ha.config.migrate_speed).toBeDefined();
  });

  it('writes no [PENDING] section once nothing is pending: the digest is as before', async () => {
    const ha = sim().state.guests.get(200)!;
    const before = configDigest(ha);
    const api = rawClient(sim());
    await api.put('/nodes/pve1/qemu/200/config', { memory: 6144 });
    expect(ha.pending).toEqual({ memory: '6144' });
    // With memory hot-plug on, the same value applies at once and nothing is left pending.
    ha.config.hotplug = 'network,disk,usb,memory';
    await api.put('/nodes/pve1/qemu/200/config', { memory: String(ha.config.memory) });
    delete ha.config.hotplug;
    expect(ha.pending).toBeUndefined();
    expect(configDigest(ha)).toBe(before);
    const entries = await api.get('/nodes/pve1/qemu/200/pending', z.array(z.looseObject({ key: z.string(), value: z.unknown().optional() })));
    expect(entries.find((e) => e.key === 'digest')).toEqual({ key: 'digest', value: before });
  });
});

describe("pve set --description ''", () => {
  it('removes the description (delete=description), as --tags does the tags', async () => {
    expect(sim().state.guests.get(201)?.config.description).toBeTruthy();
    const r = await runCliJson<{ changes: Record<string, { to: unknown }> }>(['pve', 'set', '201', '--description', ''], env());
    expect(r.changes.description?.to).toBe('');
    expect(sim().state.guests.get(201)?.config.description).toBeUndefined();
  });
});

describe('the config and snapshot calls', () => {
  it("refuses snapshot with current=1 (400), as qemu-server's raise_param_exc", async () => {
    const e = await apiErrorOf(rawClient(sim()).get('/nodes/pve2/qemu/201/config', z.unknown(), { snapshot: 'before', current: 1 }));
    expect(e.status).toBe(400);
    expect(e.fieldErrors).toEqual({ snapshot: "cannot use 'snapshot' parameter with 'current'", current: "cannot use 'snapshot' parameter with 'current'" });
  });

  it('refuses the container snapshot name vzdump (exit 2; the simulator in the call); a VM may use it', async () => {
    expect(await refused(['pve', 'snapshot', '104', 'vzdump', '--yes'], 2)).toContain('snapshot name vzdump is reserved by PVE (a snapshot-mode backup of a container takes it)');
    const e = await apiErrorOf(rawClient(sim()).post('/nodes/pve1/lxc/104/snapshot', { snapname: 'vzdump' }));
    expect(e.message).toBe("pve: unable to use snapshot name 'vzdump' (reserved name)");
    const vm = await runCliJson<{ exitstatus: string }>(['pve', 'snapshot', '201', 'vzdump', '--yes'], env());
    expect(vm.exitstatus).toBe('OK');
  });
});
