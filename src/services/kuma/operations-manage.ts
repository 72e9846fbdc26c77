/**
 * @module services/kuma/operations-manage
 * `kuma pause|resume|delete <id|name>` (`kuma edit` is in operations-edit). Each confirmation
 * names the monitor the argument resolved to (`preview`: `Delete the Uptime Kuma monitor
 * pve2 (id 2) …`), not only what was typed, and an unknown one is refused before anything is
 * asked. Delete uses the two-argument form, which both 1.23 and 2.x answer.
 */
import { z } from 'zod';
import { OperationError } from '../../core/errors.js';
import { appNameSchema, markedApp } from '../../core/marker.js';
import { defineOperation } from '../../core/operation.js';
import { fields, toned } from '../../core/render.js';
import { kumaClientFactory } from './factory.js';
import type { Monitor } from './monitor.js';

/** The `<id|name>` argument naming one monitor. */
export const monitorArg = z.string().trim().min(1).max(150).describe('monitor id or name');

/** How a confirmation names a monitor: `pve2 (id 2)` (each surface shows control characters in it visibly). */
export function monitorLabel(monitor: Pick<Monitor, 'id' | 'name'>): string {
  return `${monitor.name} (id ${monitor.id})`;
}

/** A delete with `--app` of a monitor without homelab's marker for that app: refused, left alone. */
function refuseUnmarked(monitor: Monitor, app: string | undefined): void {
  if (app && markedApp(monitor.description) !== app) {
    throw new OperationError(`monitor ${monitor.name} (id ${monitor.id}) does not carry homelab's marker for app ${app}: left alone`,
      'homelab only deletes what it created; delete it without --app if you mean to');
  }
}

/** JSON shape of `kuma pause` / `kuma resume`. */
export interface KumaToggled {
  id: number;
  name: string;
  active: boolean;
}

function toggle(verb: 'pause' | 'resume') {
  const say = (monitor: string): string => (verb === 'pause' ? `Pause the monitor ${monitor}: no checks and no notifications until it is resumed` : `Resume the monitor ${monitor}: checks and notifications start again`);
  return defineOperation({
    id: `kuma.${verb}`,
    summary: verb === 'pause' ? 'Pause a monitor (no checks, no notifications)' : 'Resume a paused monitor',
    args: ['monitor'],
    input: z.object({ monitor: monitorArg }),
    risk: 'change',
    examples: [`kuma ${verb} media`, `kuma ${verb} 7`],
    confirm: (input) => say(input.monitor),
    async preview(ctx, input) {
      return say(monitorLabel(await (await ctx.client(kumaClientFactory)).resolve(input.monitor)));
    },
    async run(ctx, input): Promise<KumaToggled> {
      const client = await ctx.client(kumaClientFactory);
      const monitor = await client.resolve(input.monitor);
      const session = await client.socket();
      await session.expectOk(verb === 'pause' ? 'pauseMonitor' : 'resumeMonitor', [monitor.id], false);
      await session.settle((list) => list.get(monitor.id)?.active === (verb === 'resume'));
      return { id: monitor.id, name: monitor.name, active: verb === 'resume' };
    },
    render: (r: KumaToggled) => [fields([['monitor', `${r.name} (id ${r.id})`], ['state', r.active ? toned('active', 'ok') : toned('paused', 'dim')]])],
  });
}

/** `kuma pause <id|name>`. */
export const kumaPause = toggle('pause');
/** `kuma resume <id|name>`. */
export const kumaResume = toggle('resume');

/** `kuma delete <id|name>`: asks first. */
export const kumaDelete = defineOperation({
  id: 'kuma.delete',
  summary: 'Delete a monitor and its history',
  args: ['monitor'],
  input: z.object({
    monitor: monitorArg,
    app: appNameSchema.optional().describe("only when the monitor carries homelab's marker for this app (refused otherwise)"),
  }),
  risk: 'danger',
  confirm: (input) => `Delete the Uptime Kuma monitor ${input.monitor} and all its heartbeats${input.app ? ` (only if marked for app ${input.app})` : ''}`,
  async preview(ctx, input) {
    const monitor = await (await ctx.client(kumaClientFactory)).resolve(input.monitor);
    refuseUnmarked(monitor, input.app);
    return `Delete the Uptime Kuma monitor ${monitorLabel(monitor)} and all its heartbeats`;
  },
  examples: ['kuma delete old-wiki --yes', 'kuma delete wiki --app wiki'],
  async run(ctx, input): Promise<{ id: number; name: string; deleted: true }> {
    const client = await ctx.client(kumaClientFactory);
    const monitor = await client.resolve(input.monitor);
    refuseUnmarked(monitor, input.app);
    const session = await client.socket();
    await session.expectOk('deleteMonitor', [monitor.id], false);
    await session.settle((list) => !list.has(monitor.id));
    return { id: monitor.id, name: monitor.name, deleted: true };
  },
  render: (r) => [fields([['deleted', `${r.name} (id ${r.id})`]])],
});
