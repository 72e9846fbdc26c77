/**
 * @module services/pve/operations-templates
 * What new guests are made from: `pve next-id`, `pve templates` (VM templates and the
 * container templates on storages with `vztmpl` content), `pve appliances` (the
 * downloadable container templates) and `pve download-template`.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { formatBytes, formatTime } from '../../core/format.js';
import { defineOperation } from '../../core/operation.js';
import { table, text } from '../../core/render.js';
import { appliances, downloadTemplate, nextId, storageContent } from './api-lifecycle.js';
import { pveClientFactory } from './factory.js';
import { nodeSchema, waitSchema } from './inputs.js';
import { applianceNameSchema, storageIdSchema } from './inputs-lifecycle.js';
import { knownNode, pickNode, taskRunBlocks } from './lifecycle-common.js';
import { LONG_TASK_MS, runTask, type TaskRun } from './task-outcome.js';

/** `pve next-id`. */
export const pveNextId = defineOperation({
  id: 'pve.next-id',
  summary: 'The next free VM/container id',
  input: z.object({}),
  risk: 'read',
  examples: ['pve next-id'],
  async run(ctx): Promise<{ vmid: number }> {
    const client = await ctx.client(pveClientFactory);
    return { vmid: await nextId(client, ctx.signal) };
  },
  render: (r) => [text(String(r.vmid))],
});

/** JSON shape of `pve templates`. */
export interface TemplateList {
  /** Guests marked as templates (clone them with `pve clone`). */
  guests: { vmid: number; name: string; type: 'qemu' | 'lxc'; node: string }[];
  /** Container templates (`pve create ct --template <volid>`), one entry per node for local storages. */
  containers: { volid: string; node: string; storage: string; format: string | null; size: number | null; ctime: number | null }[];
}

/** `pve templates [--node N]`. */
export const pveTemplates = defineOperation({
  id: 'pve.templates',
  summary: 'List VM templates and container templates (all online nodes unless --node)',
  input: z.object({ node: nodeSchema.optional() }),
  risk: 'read',
  pages: 'containers',
  examples: ['pve templates', 'pve templates --node pve2'],
  async run(ctx, input): Promise<TemplateList> {
    const client = await ctx.client(pveClientFactory);
    const [resources, nodes] = await Promise.all([client.guests(ctx.signal), input.node ? knownNode(client, input.node, ctx.signal, { online: true }) : client.nodes(ctx.signal)]);
    const names = input.node ? [input.node] : (Array.isArray(nodes) ? nodes : []).filter((n) => n.status === 'online').map((n) => n.node).sort();
    const guests = resources
      .filter((g) => g.template === 1 && (!input.node || g.node === input.node))
      .map((g) => ({ vmid: g.vmid ?? 0, name: g.name ?? '', type: g.type as 'qemu' | 'lxc', node: g.node ?? '' }))
      .sort((a, b) => a.vmid - b.vmid);
    const perNode = await Promise.all(names.map(async (node) => {
      const stores = (await client.storage(node, ctx.signal)).filter((s) => (s.content ?? '').split(',').includes('vztmpl'));
      const lists = await Promise.all(stores.map(async (s) => (await storageContent(client, node, s.storage, 'vztmpl', ctx.signal))
        .map((v) => ({ volid: v.volid, node, storage: s.storage, format: v.format ?? null, size: v.size ?? null, ctime: v.ctime ?? null }))));
      return lists.flat();
    }));
    const containers = perNode.flat().sort((a, b) => a.volid.localeCompare(b.volid) || a.node.localeCompare(b.node));
    return { guests, containers };
  },
  render: (r) => [
    table(['vmid>', 'name', 'type', 'node'], r.guests.map((g) => [g.vmid, g.name, g.type, g.node]), { title: 'Guest templates (pve clone)', empty: 'no guest templates' }),
    table(['volid', 'node', 'size>', 'added'], r.containers.map((c) => [c.volid, c.node, formatBytes(c.size), formatTime(c.ctime)]),
      { title: 'Container templates (pve create ct --template)', empty: 'no container templates: pve appliances, then pve download-template' }),
  ],
});

/** JSON shape of one `pve appliances` entry. */
export interface ApplianceSummary {
  template: string;
  section: string;
  os: string;
  version: string;
  headline: string;
}

/** `pve appliances [--node N] [--section S]`. */
export const pveAppliances = defineOperation({
  id: 'pve.appliances',
  summary: 'List downloadable container templates (the appliance index)',
  input: z.object({
    node: nodeSchema.optional(),
    section: z.string().regex(/^[a-z0-9_-]+$/i, 'section must be a word like system or turnkeylinux').optional().describe('only this section (system, turnkeylinux, …)'),
  }),
  risk: 'read',
  pages: true,
  examples: ['pve appliances --section system'],
  async run(ctx, input): Promise<ApplianceSummary[]> {
    const client = await ctx.client(pveClientFactory);
    const node = await pickNode(client, input.node, ctx.signal);
    return (await appliances(client, node, ctx.signal))
      .filter((a) => !input.section || a.section === input.section)
      .map((a) => ({ template: a.template, section: a.section ?? '', os: a.os ?? '', version: a.version ?? '', headline: a.headline ?? '' }))
      .sort((a, b) => a.section.localeCompare(b.section) || a.template.localeCompare(b.template));
  },
  render: (rows) => [table(['template', 'section', 'os', 'description'], rows.map((a) => [a.template, a.section, a.os, a.headline]), { empty: 'no appliances' })],
});

/** JSON shape of `pve download-template`. */
export interface DownloadOutcome extends TaskRun {
  template: string;
  node: string;
  storage: string;
  /** The volume it becomes (`local:vztmpl/…`). */
  volid: string;
}

/** `pve download-template <template> [--storage S] [--node N]`. */
export const pveDownloadTemplate = defineOperation({
  id: 'pve.download-template',
  summary: 'Download a container template from the appliance index to a storage',
  args: ['template'],
  input: z.object({
    template: applianceNameSchema,
    storage: storageIdSchema.default('local').describe('storage with vztmpl content'),
    node: nodeSchema.optional(),
    wait: waitSchema,
  }),
  risk: 'change',
  timeoutMs: LONG_TASK_MS,
  examples: ['pve download-template debian-12-standard_12.12-1_amd64.tar.zst'],
  confirm: (input) => `Download template ${input.template} to storage ${input.storage}${input.node ? ` on ${input.node}` : ''}`,
  async run(ctx, input): Promise<DownloadOutcome> {
    const client = await ctx.client(pveClientFactory);
    const node = await pickNode(client, input.node, ctx.signal);
    const index = await appliances(client, node, ctx.signal);
    if (!index.some((a) => a.template === input.template)) {
      throw new UsageError(`no appliance ${input.template} in the index of ${node}`, 'pve appliances lists them');
    }
    const store = (await client.storage(node, ctx.signal)).find((s) => s.storage === input.storage);
    if (!store) throw new UsageError(`no storage ${input.storage} on ${node}`, 'pve storage lists them');
    if (!(store.content ?? '').split(',').includes('vztmpl')) {
      throw new UsageError(`storage ${input.storage} does not hold container templates (no vztmpl content)`, 'use a storage whose content includes vztmpl, like local');
    }
    const run = await runTask(ctx, client, `download of ${input.template} to ${input.storage} on ${node}`, input.wait,
      () => downloadTemplate(client, node, input.storage, input.template, ctx.signal), LONG_TASK_MS);
    return { template: input.template, node, storage: input.storage, volid: `${input.storage}:vztmpl/${input.template}`, ...run };
  },
  render: (r) => taskRunBlocks(`download of ${r.template} to ${r.storage} on ${r.node} (${r.volid})`, r),
});
