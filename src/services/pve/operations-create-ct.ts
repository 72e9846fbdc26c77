/**
 * @module services/pve/operations-create-ct
 * `pve create ct`: a container from a template volume (`POST /nodes/{node}/lxc` with
 * `ostemplate`, `net0`, `rootfs`, `ssh-public-keys`). There is deliberately no password
 * option: access is by SSH key (`--ssh-key`) or `pct enter` on the node. The node, the
 * template, the storages and the bridge are checked before anything is created. A run
 * stopped before its `--start` was sent says so (clone-not-done).
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { text, type Block } from '../../core/render.js';
import { addressClashes, staticAddresses } from './address-clash.js';
import { createContainer, nextId, nodeBridges, storageContent } from './api-lifecycle.js';
import { cloneStopped, type CloneStage } from './clone-not-done.js';
import { pveClientFactory } from './factory.js';
import { nodeSchema, vmidSchema, waitSchema } from './inputs.js';
import { bridgeSchema, gatewaySchema, guestNameSchema, ipConfigSchema, storageIdSchema, vztmplVolidSchema } from './inputs-lifecycle.js';
import { pickNode, refuseNoWait, taskRunBlocks } from './lifecycle-common.js';
import { startNew } from './lifecycle-steps.js';
import { sshPublicKeysSchema } from './ssh-keys.js';
import { LONG_TASK_MS, runTask, type TaskRun } from './task-outcome.js';

/** JSON shape of `pve create ct`. */
export interface CreateCtOutcome extends TaskRun {
  vmid: number;
  hostname: string;
  node: string;
  template: string;
  /** `net0` as sent (`name=eth0,bridge=vmbr0,ip=dhcp,…`). */
  net0: string;
  /** `rootfs` as sent (`local-lvm:8`). */
  rootfs: string;
  sshKeys: number;
  start: TaskRun | null;
  /** A static `--ip` a running guest already has (as `pve clone` warns). */
  warnings: string[];
}

/** `pve create ct [<vmid>] --template <volid> --hostname H [...]`. */
export const pveCreateCt = defineOperation({
  id: 'pve.create.ct',
  summary: 'Create a container from a template (SSH key access; never a password)',
  args: ['vmid'],
  input: z.object({
    vmid: vmidSchema.optional().describe('id of the container (default: pve next-id)'),
    template: vztmplVolidSchema,
    hostname: guestNameSchema.describe('host name of the container'),
    cores: z.number({ error: 'cores must be an integer from 1 to 8192' }).int().min(1).max(8192).default(1).describe('CPU cores'),
    memory: z.number({ error: 'memory must be an integer of MiB from 16 to 4194304' }).int().min(16).max(4_194_304).default(512).describe('memory in MiB'),
    disk: z.number({ error: 'disk must be an integer of GiB from 1 to 65536' }).int().min(1).max(65_536).default(8).describe('root disk in GiB'),
    storage: storageIdSchema.default('local-lvm').describe('storage for the root disk'),
    bridge: bridgeSchema.default('vmbr0'),
    ip: ipConfigSchema.default('dhcp').describe('address: 10.5.0.30/24 or dhcp'),
    gw: gatewaySchema.optional().describe('IPv4 gateway (with a static --ip)'),
    sshKey: sshPublicKeysSchema.optional().describe("root's SSH public key(s) (on the CLI: a .pub file)"),
    // Optional, not default(true): help then shows --unprivileged, with what --no-unprivileged does.
    unprivileged: z.boolean().optional().describe('an unprivileged container, the default (--no-unprivileged: a privileged one)'),
    node: nodeSchema.optional(),
    start: z.boolean().default(false).describe('start the container when it is ready'),
    wait: waitSchema,
  }),
  risk: 'change',
  timeoutMs: LONG_TASK_MS,
  cliFiles: ['sshKey'],
  examples: ['pve create ct --template local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst --hostname web2 --ip 10.5.0.31/24 --gw 10.5.0.254 --ssh-key ~/.ssh/id_ed25519.pub --start'],
  confirm: (i) => `Create container ${i.vmid ?? '(next free id)'} ${i.hostname} from ${i.template}${i.node ? ` on ${i.node}` : ''}${i.start ? ' and start it' : ''}`,
  async run(ctx, input): Promise<CreateCtOutcome> {
    if (input.gw && input.ip === 'dhcp') throw new UsageError('--gw needs a static --ip (like 10.5.0.30/24)');
    refuseNoWait(input.wait, input.start ? ['--start'] : []);
    const client = await ctx.client(pveClientFactory);
    const node = await pickNode(client, input.node, ctx.signal);
    const [tmplStorage] = input.template.split(':') as [string];
    const [stores, bridges] = await Promise.all([client.storage(node, ctx.signal), nodeBridges(client, node, ctx.signal)]);
    if (!bridges.includes(input.bridge)) {
      throw new UsageError(`no bridge ${input.bridge} on ${node}`, `bridges on ${node}: ${bridges.join(', ') || 'none'}`);
    }
    const rootStore = stores.find((s) => s.storage === input.storage);
    if (!rootStore) throw new UsageError(`no storage ${input.storage} on ${node}`, 'pve storage lists them');
    if (!(rootStore.content ?? '').split(',').includes('rootdir')) {
      throw new UsageError(`storage ${input.storage} cannot hold container disks (no rootdir content)`, 'use a storage like local-lvm');
    }
    if (!stores.some((s) => s.storage === tmplStorage)) throw new UsageError(`no storage ${tmplStorage} on ${node}`, 'pve templates lists the container templates');
    const templates = await storageContent(client, node, tmplStorage, 'vztmpl', ctx.signal);
    if (!templates.some((v) => v.volid === input.template)) {
      throw new UsageError(`no template ${input.template} on ${node}`, 'pve templates lists them; pve download-template fetches one');
    }
    const net0 = `name=eth0,bridge=${input.bridge},firewall=1,ip=${input.ip}${input.gw ? `,gw=${input.gw}` : ''},type=veth`;
    const warnings = await addressClashes(client, staticAddresses({ net0 }), undefined, ctx.signal);
    for (const w of warnings) ctx.progress(`warning: ${w}`);
    const vmid = input.vmid ?? (await nextId(client, ctx.signal));
    const rootfs = `${input.storage}:${input.disk}`;
    // An error before the creation is done leaves --start not applied: it says so (clone-not-done).
    const rest = { made: 'container' as const, newid: vmid, node, cloudInit: {}, start: input.start };
    let stage: CloneStage = 'sent';
    const run = await runTask(ctx, client, `creation of CT ${vmid} (${input.hostname}) on ${node}`, input.wait, async () => {
      const upid = await createContainer(client, node, {
        vmid, ostemplate: input.template, hostname: input.hostname, cores: input.cores, memory: input.memory, rootfs, net0,
        'ssh-public-keys': input.sshKey, unprivileged: input.unprivileged ?? true,
      }, ctx.signal);
      stage = 'task';
      return upid;
    }, LONG_TASK_MS).catch((err: unknown) => { throw cloneStopped(err, rest, stage); });
    const start = input.start
      ? await startNew(ctx, client, { vmid, type: 'lxc', node, name: input.hostname, status: 'stopped', template: false })
      : null;
    return {
      vmid, hostname: input.hostname, node, template: input.template, net0, rootfs,
      sshKeys: input.sshKey ? input.sshKey.split('\n').length : 0, ...run, start, warnings,
    };
  },
  render: (r) => {
    const blocks: Block[] = taskRunBlocks(`creation of CT ${r.vmid} (${r.hostname}) on ${r.node} from ${r.template}`, r);
    if (r.start) blocks.push(...taskRunBlocks(`start of CT ${r.vmid}`, r.start));
    for (const w of r.warnings) blocks.push(text(`warning: ${w}`, 'warn'));
    return blocks;
  },
});
