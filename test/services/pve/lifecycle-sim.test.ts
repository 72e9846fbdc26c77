/**
 * Lifecycle part A over real sockets: the simulator's lock, digest and protection
 * behaviour as raw PVE calls see it, the client's refusals built on them (a concurrent
 * change between read and write, a locked guest), and how the new operations show on
 * the other surfaces (MCP tools per risk, the bot's confirm line).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OperationError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import type { OpContext } from '../../../src/core/operation.js';
import { getRegistry } from '../../../src/services/index.js';
import { PveClient } from '../../../src/services/pve/client.js';
import { explainLock } from '../../../src/services/pve/guest-lock.js';
import { applyConfig } from '../../../src/services/pve/lifecycle-steps.js';
import type { GuestRef } from '../../../src/services/pve/schemas.js';
import { configDigest } from '../../../src/services/pve/sim/guest-config.js';
import { startPveSim, type PveSim } from '../../../src/services/pve/sim/index.js';
import { exposure, toolDefinition } from '../../../src/surfaces/mcp/exposure.js';

let sim: PveSim;
let pve: PveClient;

beforeAll(async () => {
  sim = await startPveSim({ taskDurationMs: 200, authFailDelayMs: 50 });
  const { PVE_TOKEN_ID: id, PVE_TOKEN_SECRET: secret } = sim.credentials.values;
  pve = new PveClient(
    new HttpClient({ service: 'pve', baseUrl: `${sim.url}/api2/json`, fingerprint: sim.fingerprint, backoffMs: 10, headers: () => ({ authorization: `PVEAPIToken=${id}=${secret}` }) }),
    { url: sim.url, task_poll_ms: 50 },
  );
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});

const ctx = (): OpContext => ({
  config: { services: {} } as OpContext['config'], env: {}, dataDir: '/nonexistent', signal: new AbortController().signal,
  progress: () => undefined, actor: { surface: 'cli', id: 'test' }, client: () => Promise.reject(new Error('not used')),
  invoke: () => Promise.reject(new Error('not used')), lookup: () => Promise.resolve(undefined),
});
const ref = (vmid: number): GuestRef => {
  const g = sim.state.guests.get(vmid);
  if (!g) throw new Error(`no guest ${vmid}`);
  return { vmid, type: g.type, node: g.node, name: g.name, status: g.status, template: g.template };
};
const put = (path: string, form: Record<string, string>) => pve.put(path, form).then(() => undefined, (e: unknown) => e);

describe('lifecycle (part A) over sockets', () => {
  it('refuses a config change sent with a stale digest, in PVE words per guest type', async () => {
    const vm = sim.state.guests.get(200);
    const stale = vm ? configDigest(vm) : '';
    await pve.put('/nodes/pve1/qemu/200/config', { description: 'first', digest: stale });
    const again = await put('/nodes/pve1/qemu/200/config', { description: 'second', digest: stale });
    expect(String(again)).toContain('checksum missmatch (file change by other user?)');
    expect(sim.state.guests.get(200)?.config.description).toBe('first');
    const ct = sim.state.guests.get(107);
    const ctStale = ct ? configDigest(ct) : '';
    await pve.put('/nodes/pve2/lxc/107/config', { cores: '3', digest: ctStale });
    expect(String(await put('/nodes/pve2/lxc/107/config', { cores: '4', digest: ctStale }))).toContain('detected modified configuration - file changed by other user? Try again.');
  });

  it('refuses through the operation step when someone changes the guest between read and write', async () => {
    class RacingClient extends PveClient {
      override async config(guest: GuestRef, signal?: AbortSignal): Promise<Record<string, unknown>> {
        const cfg = await super.config(guest, signal);
        // Another admin saves the VM in the web UI right after we read it.
        const g = sim.state.guests.get(guest.vmid);
        if (g) g.config.memory = '6144';
        return cfg;
      }
    }
    const { PVE_TOKEN_ID: id, PVE_TOKEN_SECRET: secret } = sim.credentials.values;
    const racing = new RacingClient(
      new HttpClient({ service: 'pve', baseUrl: `${sim.url}/api2/json`, fingerprint: sim.fingerprint, headers: () => ({ authorization: `PVEAPIToken=${id}=${secret}` }) }),
      { url: sim.url, task_poll_ms: 50 },
    );
    const err = await applyConfig(ctx(), racing, ref(200), { memory: 8192 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).message).toBe('VM 200 (homeassistant) was changed by someone else since it was read (config digest differs); nothing was changed');
    expect(sim.state.guests.get(200)?.config.memory).toBe('6144');
    // Without the race the same step goes through, with the digest it read (200 runs: the
    // memory is pending until its next start, and the config read shows it).
    await applyConfig(ctx(), pve, ref(200), { memory: 8192 });
    expect((await pve.config(ref(200))).memory).toBe('8192');
    expect(sim.state.guests.get(200)?.pending?.memory).toBe('8192');
  });

  it('keeps the lock in the digest and refuses a locked guest as PVE does, named clearly by the client', async () => {
    const g = sim.state.guests.get(201);
    if (!g) throw new Error('no 201');
    const before = configDigest(g);
    g.lock = 'backup';
    expect(configDigest(g)).not.toBe(before);
    const raw = await put('/nodes/pve2/qemu/201/config', { cores: '2' });
    expect(String(raw)).toContain('VM is locked (backup)');
    const err = await explainLock(pve, ref(201), () => pve.put('/nodes/pve2/qemu/201/config', { cores: '2' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).message).toBe('VM 201 (media) is locked (backup)');
    expect((err as OperationError).hint).toContain('qm unlock 201');
    delete g.lock;
    const ct = sim.state.guests.get(106);
    if (ct) ct.lock = 'backup';
    expect(String(await put('/nodes/pve2/lxc/106/config', { cores: '2' }))).toContain('CT is locked (backup)');
    if (ct) delete ct.lock;
  });

  it('refuses a full clone of a running container, as pve-container does (it copies one only from a snapshot)', async () => {
    expect(sim.state.guests.get(107)?.status).toBe('running');
    const err = await pve.post('/nodes/pve2/lxc/107/clone', { newid: 130, hostname: 'forgejo-copy' }).catch((e: unknown) => e);
    expect(String(err)).toContain('Cannot do full clones on a running container without snapshots');
    expect(sim.state.guests.has(130)).toBe(false);
  });

  it('holds the clone lock from the call to the end of the task; a failed clone leaves no guest behind', async () => {
    const forgejo = sim.state.guests.get(107)!;
    forgejo.status = 'stopped';
    try {
      // The clone runs until released, so its locks are seen however slow the machine.
      const release = sim.holdTasks('vzclone');
      let upid: string;
      try {
        upid = String(await pve.post('/nodes/pve2/lxc/107/clone', { newid: 130, hostname: 'forgejo-copy' }));
        expect(sim.state.guests.get(130)?.lock).toBe('create');
        expect(sim.state.guests.get(107)?.lock).toBe('disk');
        expect(String(await put('/nodes/pve2/lxc/107/config', { cores: '2' }))).toContain('CT is locked (disk)');
      } finally {
        release();
      }
      expect(upid).toMatch(/:vzclone:107:/);
      for (let i = 0; i < 50 && sim.state.guests.get(130)?.lock; i++) await new Promise((r) => setTimeout(r, 20));
      expect(sim.state.guests.get(130)).toMatchObject({ name: 'forgejo-copy', status: 'stopped', config: { hostname: 'forgejo-copy' } });
      expect(sim.state.guests.get(107)?.lock).toBeUndefined();
    } finally {
      forgejo.status = 'running';
    }
    sim.failNextTask('qmclone', 'clone failed: out of space');
    await pve.post('/nodes/pve1/qemu/9000/clone', { newid: 131 });
    expect(sim.state.guests.has(131)).toBe(true);
    for (let i = 0; i < 50 && sim.state.guests.has(131); i++) await new Promise((r) => setTimeout(r, 20));
    expect(sim.state.guests.has(131)).toBe(false);
    const running = await pve.post('/nodes/pve1/qemu/200/clone', { newid: 132, full: false }).catch((e: unknown) => e);
    expect(String(running)).toContain("linked clone feature is not supported for drive");
    const target = await pve.post('/nodes/pve1/qemu/9000/clone', { newid: 133, target: 'pve2' }).catch((e: unknown) => e);
    expect(String(target)).toContain("can't clone VM to node 'pve2' (VM uses local storage)");
  });

  it('stores protection and refuses what the API refuses: a taken id, sshkeys not URL-encoded, shrinking', async () => {
    await pve.put('/nodes/pve1/lxc/104/config', { protection: '1' });
    expect(sim.state.guests.get(104)?.config.protection).toBe(1);
    expect((await pve.config(ref(104))).protection).toBe(1);
    expect(String(await pve.get('/cluster/nextid', (await import('zod')).z.unknown(), { vmid: 104 }).catch((e: unknown) => e))).toContain('VM 104 already exists');
    const bad = await put('/nodes/pve1/qemu/200/config', { sshkeys: 'ssh-ed25519 AAAA key' });
    expect(String(bad)).toContain('invalid urlencoded string');
    expect(sim.schemaViolations.map((v) => Object.keys(v.errors))).toEqual([['sshkeys']]);
    sim.schemaViolations.length = 0;
    expect(String(await put('/nodes/pve1/qemu/200/resize', { disk: 'scsi0', size: '8G' }))).toContain('shrinking disks is not supported');
  });

  it('offers the read commands to every MCP server and the changes only with --allow change, each with a confirm line', () => {
    const ids = ['pve.next-id', 'pve.templates', 'pve.appliances', 'pve.ip', 'pve.download-template', 'pve.clone', 'pve.create.ct', 'pve.set', 'pve.resize'];
    const ops = getRegistry().all().filter((op) => ids.includes(op.id));
    expect(ops.map((op) => op.id).sort()).toEqual([...ids].sort());
    const readOnly = [...exposure(getRegistry(), 'read').offered.values()].map((op) => op.id);
    const change = [...exposure(getRegistry(), 'change').offered.values()].map((op) => op.id);
    for (const op of ops) {
      expect(readOnly.includes(op.id), op.id).toBe(op.risk === 'read');
      expect(change, op.id).toContain(op.id);
      expect(toolDefinition(op).inputSchema.type).toBe('object');
      if (op.risk !== 'read') expect(op.confirm, op.id).toBeTypeOf('function');
    }
    const clone = ops.find((op) => op.id === 'pve.clone');
    expect(clone?.confirm?.({ vmid: 9000, name: 'web1', start: true, wait: true })).toBe('Clone guest 9000 to the next free id (web1) and start it');
    const sshKey = (toolDefinition(clone ?? ops[0] as never).inputSchema.properties as Record<string, { type?: string }>).sshKey;
    expect(sshKey?.type).toBe('string');
    const resize = ops.find((op) => op.id === 'pve.resize');
    expect(resize?.confirm?.({ vmid: 322, disk: 'scsi0', size: '+1G', wait: true })).toBe('Grow disk scsi0 of guest 322 by 1G');
    expect(resize?.confirm?.({ vmid: 322, disk: 'scsi0', size: '32G', wait: true })).toBe('Grow disk scsi0 of guest 322 to 32G');
  });

  it("lists a node's network as PVE does: its port and bridges, filtered by type", async () => {
    const bridges = await pve.get('/nodes/pve2/network', z.array(z.record(z.string(), z.unknown())), { type: 'any_bridge' });
    expect(bridges).toEqual([expect.objectContaining({ iface: 'vmbr0', type: 'bridge', cidr: '10.5.0.10/24', gateway: '10.5.0.254', bridge_ports: 'eno1', active: 1 })]);
    const all = await pve.get('/nodes/pve2/network', z.array(z.object({ iface: z.string(), type: z.string() }).loose()));
    expect(all.map((i) => `${i.iface}:${i.type}`)).toEqual(['eno1:eth', 'vmbr0:bridge']);
    expect(sim.schemaViolations).toEqual([]);
  });
});
