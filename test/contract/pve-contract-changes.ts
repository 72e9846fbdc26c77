/**
 * @module test/contract/pve-contract-changes
 * The PVE contract's change checks, through our own client: power actions on a scratch
 * guest (left in the state it was found in), a config change sent with the `digest` read
 * before and one sent with a stale digest (refused; the description is restored after),
 * and a clone of a template that is destroyed again. Each runs only when the target names
 * the guest it may touch (`scratchVmid`, `templateVmid`).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { waitForTask } from '../../src/services/proxmox/tasks.js';
import { cloneGuest, nextId, updateConfig } from '../../src/services/pve/api-lifecycle.js';
import { startDestroy } from '../../src/services/pve/api-move.js';
import type { PveClient } from '../../src/services/pve/client.js';
import type { GuestRef } from '../../src/services/pve/schemas.js';
import { UPID_RE, configShape, shapeProblems, taskStatusShape } from './pve-shapes.js';
import { envelopeOf, targetClient, type PveTarget } from './pve-target.js';

/** Real tasks (a clone, a VM start) may take a while. */
const SLOW = { timeout: 300_000 };

/** Waits for the task `upid` and checks what the client relies on: the UPID's form and node, the status shape, `TASK OK`. */
async function finishOk(t: PveTarget, client: PveClient, upid: string, expected: { node: string; type: string; id: string }): Promise<void> {
  expect(upid, 'UPID as the fact sheet decodes it (§5)').toMatch(UPID_RE);
  const [, node, , , , , type, id] = UPID_RE.exec(upid) ?? [];
  expect({ node, type, id }).toEqual(expected);
  const result = await waitForTask(client, upid, { label: `${type} ${id}`, pollMs: t.pollMs, timeoutMs: 240_000 });
  expect(result.exitstatus).toBe('OK');
  const status = (await envelopeOf(t, `/nodes/${encodeURIComponent(expected.node)}/tasks/${encodeURIComponent(upid)}/status`)).data;
  expect(shapeProblems(taskStatusShape, status)).toEqual([]);
  const log = await client.taskLog(upid, 0, 1);
  expect((await client.taskLog(upid, Math.max(0, log.total - 1), 1)).lines).toEqual(['TASK OK']);
}

/** The guest `vmid`, resolved afresh. */
const guestOf = (client: PveClient, vmid: number): Promise<GuestRef> => client.resolveGuest(vmid);

/** Defines the change checks for the target `get()` returns. */
export function pveChangeChecks(get: () => PveTarget): void {
  const client = (): PveClient => targetClient(get());

  describe('changes (only on the guests the target names)', () => {
    it('starts and stops the scratch guest, leaving it as found', SLOW, async (ctx) => {
      const vmid = get().scratchVmid;
      if (vmid === undefined) return ctx.skip();
      const guest = await guestOf(client(), vmid);
      expect(guest.template, `${vmid} is a template`).toBe(false);
      const prefix = guest.type === 'qemu' ? 'qm' : 'vz';
      const order = guest.status === 'running' ? (['stop', 'start'] as const) : (['start', 'stop'] as const);
      for (const action of order) {
        const upid = await client().power(guest, action);
        await finishOk(get(), client(), upid, { node: guest.node, type: `${prefix}${action}`, id: String(vmid) });
        expect((await client().currentStatus(guest)).status).toBe(action === 'start' ? 'running' : 'stopped');
      }
      expect((await guestOf(client(), vmid)).status).toBe(guest.status);
    });

    it('applies a change sent with the current digest and refuses one sent with a stale digest (§6.4)', SLOW, async (ctx) => {
      const vmid = get().scratchVmid;
      if (vmid === undefined) return ctx.skip();
      const guest = await guestOf(client(), vmid);
      const before = await client().config(guest);
      const original = typeof before.description === 'string' ? before.description.trimEnd() : '';
      const stale = configShape.parse(before).digest;
      const mark = `homelab contract ${randomBytes(3).toString('hex')}`;
      try {
        await updateConfig(client(), guest, { description: mark }, stale);
        const after = configShape.parse(await client().config(guest));
        expect(String(after.description).trimEnd()).toBe(mark);
        expect(after.digest).not.toBe(stale);
        const err = await updateConfig(client(), guest, { description: `${mark} again` }, stale).then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).status).toBe(500);
        const kept = configShape.parse(await client().config(guest));
        expect({ description: String(kept.description).trimEnd(), digest: kept.digest }).toEqual({ description: mark, digest: after.digest });
      } finally {
        const now = configShape.parse(await client().config(guest));
        if (String(now.description ?? '').trimEnd() !== original) await updateConfig(client(), guest, { description: original }, now.digest);
      }
      expect(String((await client().config(guest)).description ?? '').trimEnd()).toBe(original);
    });

    it('clones the template to the next free VMID and destroys the clone', SLOW, async (ctx) => {
      const vmid = get().templateVmid;
      if (vmid === undefined) return ctx.skip();
      const template = await guestOf(client(), vmid);
      expect(template.template, `${vmid} is no template`).toBe(true);
      const prefix = template.type === 'qemu' ? 'qm' : 'vz';
      const newid = await nextId(client());
      const name = `homelab-contract-${randomBytes(3).toString('hex')}`;
      let cloned = false;
      try {
        const upid = await cloneGuest(client(), template, { newid, name });
        cloned = true;
        await finishOk(get(), client(), upid, { node: template.node, type: template.type === 'qemu' ? 'qmclone' : 'vzclone', id: String(vmid) });
        const clone = await guestOf(client(), newid);
        expect({ type: clone.type, node: clone.node, name: clone.name, template: clone.template }).toEqual({ type: template.type, node: template.node, name, template: false });
        const destroy = await startDestroy(client(), clone, true);
        cloned = false;
        await finishOk(get(), client(), destroy, { node: clone.node, type: `${prefix}destroy`, id: String(newid) });
        expect((await client().guests()).map((g) => g.vmid)).not.toContain(newid);
      } finally {
        // A clone left by a failed check is removed when it is there and not locked by its task.
        if (cloned) {
          const left = await guestOf(client(), newid).catch(() => undefined);
          if (left) await startDestroy(client(), left, true).catch(() => undefined);
        }
      }
    });
  });
}
