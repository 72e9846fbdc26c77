/**
 * @module test/contract/pve-contract
 * The Proxmox VE contract: what our client (src/services/pve/) relies on, checked the same
 * way against the simulator and (opt-in) a real cluster, through our own client and, for
 * what it does not keep, raw reads; answers are held to the fact sheet's shapes
 * (`pve-shapes.ts`). These checks only read. The change checks (`pve-contract-changes.ts`)
 * run only for a target that names a scratch guest or a template.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, AuthError } from '../../src/core/errors.js';
import { parseUpid } from '../../src/services/proxmox/upid.js';
import { appliances, nextId, pendingKeys, storageContent } from '../../src/services/pve/api-lifecycle.js';
import { backupContent, backupJobs, notBackedUp } from '../../src/services/pve/api-backup.js';
import { pveAuthHeader } from '../../src/services/pve/api-token.js';
import type { PveClient } from '../../src/services/pve/client.js';
import { guestRefOf, type GuestRef } from '../../src/services/pve/schemas.js';
import { pveChangeChecks } from './pve-contract-changes.js';
import {
  applianceShape, backupJobShape, clusterTaskShape, configShape, guestResourceShape, guestStatusShape, listProblems, logLineShape, nextIdShape, nodeShape,
  nodeStatusShape, notBackedUpShape, pendingShape, resourceIdProblem, resourceShape, shapeProblems, storageShape, storageStatusShape,
  taskEntryShape, taskStatusShape, versionShape, volumeShape,
} from './pve-shapes.js';
import { envelopeOf, rawGet, targetClient, type PveTarget } from './pve-target.js';

const enc = encodeURIComponent;

/** The first online node's name. */
async function firstNode(client: PveClient): Promise<string> {
  const node = (await client.nodes()).find((n) => n.status === 'online');
  if (!node) throw new Error('no online node');
  return node.node;
}

/** The guests whose config the checks read: the scratch guest, else one VM and one container. */
async function sampleGuests(client: PveClient, scratch?: number): Promise<GuestRef[]> {
  const all = (await client.guests()).map(guestRefOf).filter((g): g is GuestRef => g !== undefined);
  if (scratch !== undefined) return all.filter((g) => g.vmid === scratch);
  return (['qemu', 'lxc'] as const).flatMap((type) => all.find((g) => g.type === type && !g.template) ?? []);
}

/** Defines the contract tests for the target `get()` returns (valid once `beforeAll` ran). */
export function pveContract(label: string, get: () => PveTarget): void {
  const client = (): PveClient => targetClient(get());
  const data = async (path: string, query?: Record<string, string | number>): Promise<unknown> => (await envelopeOf(get(), path, query)).data;

  describe(`Proxmox VE contract (${label})`, () => {
    it('answers version and nodes in the documented shapes (§6.1)', async () => {
      expect(shapeProblems(versionShape, await data('/version'))).toEqual([]);
      expect((await client().version()).version).toBeTruthy();
      expect(listProblems(nodeShape, await data('/nodes'))).toEqual([]);
      expect((await client().nodes()).some((n) => n.status === 'online')).toBe(true);
    });

    it('lists cluster resources with the documented ids, and only guests for type=vm (§6.1)', async () => {
      const all = await data('/cluster/resources');
      expect(listProblems(resourceShape, all)).toEqual([]);
      expect(z.array(resourceShape).parse(all).flatMap((r) => resourceIdProblem(r) ?? [])).toEqual([]);
      const vms = await data('/cluster/resources', { type: 'vm' });
      expect(listProblems(guestResourceShape, vms)).toEqual([]);
      expect((await client().guests()).length).toBe((vms as unknown[]).length);
    });

    it('reads every online node\'s status (§6.1)', async () => {
      for (const n of (await client().nodes()).filter((x) => x.status === 'online')) {
        expect(shapeProblems(nodeStatusShape, await data(`/nodes/${enc(n.node)}/status`)), n.node).toEqual([]);
        expect((await client().nodeStatus(n.node)).memory.total).toBeGreaterThan(0);
      }
    });

    it('gives a next free VMID no guest has; reading its config is a 500 with the message (§3)', async () => {
      expect(shapeProblems(nextIdShape, await data('/cluster/nextid'))).toEqual([]);
      const vmid = await nextId(client());
      expect((await client().guests()).map((g) => g.vmid)).not.toContain(vmid);
      const node = await firstNode(client());
      const res = await rawGet(get(), `/nodes/${enc(node)}/qemu/${vmid}/config`);
      expect(res.status).toBe(500);
      expect(res.statusText).toContain(String(vmid));
      const err = await client().config({ vmid, type: 'qemu', node, name: '', status: 'unknown', template: false }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(500);
      expect((err as ApiError).message).toContain(String(vmid));
    });

    it('lists storages, their status, and their content with volids of the storage (§6.5)', async () => {
      const node = await firstNode(client());
      const listed = await data(`/nodes/${enc(node)}/storage`);
      expect(listProblems(storageShape, listed)).toEqual([]);
      const storages = (await client().storage(node)).filter((s) => s.active === 1 && s.enabled !== 0);
      expect(storages.length).toBeGreaterThan(0);
      for (const s of storages) {
        const path = `/nodes/${enc(node)}/storage/${enc(s.storage)}`;
        const status = await data(`${path}/status`);
        expect(shapeProblems(storageStatusShape, status), s.storage).toEqual([]);
        expect(storageStatusShape.parse(status).type, s.storage).toBe(s.type);
        const volumes = await data(`${path}/content`);
        expect(listProblems(volumeShape, volumes), s.storage).toEqual([]);
        for (const v of z.array(volumeShape).parse(volumes)) expect(v.volid.startsWith(`${s.storage}:`), v.volid).toBe(true);
        for (const content of (s.content ?? '').split(',').filter((c) => c && c !== 'backup')) {
          for (const v of await storageContent(client(), node, s.storage, content)) expect(v.volid.startsWith(`${s.storage}:`)).toBe(true);
        }
        if ((s.content ?? '').split(',').includes('backup')) {
          for (const v of await backupContent(client(), node, s.storage, undefined)) expect(v.volid, s.storage).toMatch(new RegExp(`^${s.storage.replace(/\./g, '\\.')}:backup/`));
        }
      }
    });

    it('lists tasks with a top-level total, and reads a task\'s status and log (§5, §6.6)', async () => {
      const node = await firstNode(client());
      const list = await envelopeOf(get(), `/nodes/${enc(node)}/tasks`, { limit: 50 });
      expect(typeof list.total).toBe('number');
      expect(listProblems(taskEntryShape, list.data)).toEqual([]);
      const tasks = z.array(taskEntryShape).parse(list.data);
      expect(list.total as number).toBeGreaterThanOrEqual(tasks.length);
      for (const t of tasks) expect(parseUpid(t.upid)?.node, t.upid).toBe(t.node);
      expect((await client().nodeTasks(node, { limit: 5 })).length).toBeLessThanOrEqual(5);
      expect(listProblems(clusterTaskShape, await data('/cluster/tasks'))).toEqual([]);
      for (const t of await client().clusterTasks()) expect(parseUpid(t.upid), t.upid).toBeDefined();

      const done = tasks.find((t) => t.status === 'OK');
      if (!done) return;
      const path = `/nodes/${enc(node)}/tasks/${enc(done.upid)}`;
      const status = await data(`${path}/status`);
      expect(shapeProblems(taskStatusShape, status)).toEqual([]);
      expect(status).toMatchObject({ upid: done.upid, status: 'stopped', exitstatus: 'OK' });
      expect(await client().taskStatus(done.upid)).toMatchObject({ status: 'stopped', exitstatus: 'OK' });
      const log = await envelopeOf(get(), `${path}/log`, { start: 0, limit: 5 });
      expect(listProblems(logLineShape, log.data)).toEqual([]);
      expect(typeof log.total).toBe('number');
      const total = log.total as number;
      const tail = await client().taskLog(done.upid, Math.max(0, total - 1), 1);
      expect(tail.total).toBe(total);
      expect(tail.lines.at(-1)).toBe('TASK OK');
    });

    it('reads guest status, configs with a digest, and pending entries carrying the same digest (§6.2, §6.4)', async () => {
      const guests = await sampleGuests(client(), get().scratchVmid);
      expect(guests.length).toBeGreaterThan(0);
      for (const g of guests) {
        const path = client().guestPath(g);
        const status = await data(`${path}/status/current`);
        expect(shapeProblems(guestStatusShape, status), String(g.vmid)).toEqual([]);
        expect(status).toMatchObject({ vmid: g.vmid });
        expect((await client().currentStatus(g)).status).toBe((status as { status: string }).status);
        const config = configShape.parse(await data(`${path}/config`));
        expect(configShape.parse(await data(`${path}/config`, { current: 1 })).digest, `${g.vmid} current=1`).toBe(config.digest);
        expect((await client().config(g)).digest).toBe(config.digest);
        const pending = await data(`${path}/pending`);
        expect(listProblems(pendingShape, pending), String(g.vmid)).toEqual([]);
        const entries = z.array(pendingShape).parse(pending);
        expect(new Set(entries.map((e) => e.key)).size, `${g.vmid}: keys once each`).toBe(entries.length);
        const digest = entries.find((e) => e.key === 'digest');
        if (digest) expect(digest.value, String(g.vmid)).toBe(config.digest);
        expect(await pendingKeys(client(), g)).not.toContain('digest');
      }
    });

    it('lists backup jobs and the guests none includes, all of them guests of the cluster', async () => {
      expect(listProblems(backupJobShape, await data('/cluster/backup'))).toEqual([]);
      await expect(backupJobs(client())).resolves.toBeInstanceOf(Array);
      expect(listProblems(notBackedUpShape, await data('/cluster/backup-info/not-backed-up'))).toEqual([]);
      const vmids = (await client().guests()).map((g) => g.vmid);
      for (const g of await notBackedUp(client())) expect(vmids).toContain(g.vmid);
    });

    it('lists the appliance index', async () => {
      const node = await firstNode(client());
      expect(listProblems(applianceShape, await data(`/nodes/${enc(node)}/aplinfo`))).toEqual([]);
      await expect(appliances(client(), node)).resolves.toBeInstanceOf(Array);
    });

    it('refuses a bad token with 401 and no {data} envelope (§3)', async () => {
      const t = get();
      const bad = pveAuthHeader(t.tokenId, '00000000-0000-0000-0000-000000000000');
      const err = await targetClient(t, bad).version().then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      const res = await rawGet({ ...t, secret: '00000000-0000-0000-0000-000000000000' }, '/version');
      expect(res.status).toBe(401);
      expect(res.text).not.toMatch(/"data"/);
    });

    it('answers an unknown path with 501 and a bad parameter with 400 naming it (§3)', async () => {
      const unknown = await rawGet(get(), '/no-such-path');
      expect(unknown.status).toBe(501);
      expect(unknown.statusText).toBe("Method 'GET /no-such-path' not implemented");
      const node = await firstNode(client());
      const bad = await rawGet(get(), `/nodes/${enc(node)}/tasks`, { limit: 'many' });
      expect(bad.status).toBe(400);
      expect(bad.statusText).toBe('Parameter verification failed.');
      expect(z.looseObject({ errors: z.object({ limit: z.string() }) }).safeParse(JSON.parse(bad.text)).success).toBe(true);
      const err = await client().get(`/nodes/${enc(node)}/tasks`, z.unknown(), { limit: 'many' }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(Object.keys((err as ApiError).fieldErrors ?? {})).toEqual(['limit']);
    });

    pveChangeChecks(get);
  });
}
