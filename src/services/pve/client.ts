/**
 * @module services/pve/client
 * The typed wire client of the Proxmox VE API (see shared/api/pve.md): the calls the pve
 * operations need (guests, power, snapshots, configs, nodes, storage, tasks), on the
 * requests and `{data}` envelope of `transport.ts`. Responses the operations depend on are
 * checked with the zod schemas in `schemas.ts`.
 */
import { z } from 'zod';
import { UsageError } from '../../core/errors.js';
import { serverLine, type Params } from '../../core/http/index.js';
import type { TaskApi, TaskStatus } from '../proxmox/tasks.js';
import type { PowerAction } from './power-actions.js';
import {
  clusterResourceSchema, guestRefOf, nodeEntrySchema, nodeStatusSchema, snapshotSchema, storageConfigSchema, storageSchema, taskEntrySchema, taskStatusSchema,
  type ClusterResource, type GuestRef, type NodeEntry, type NodeStatus, type Snapshot, type StorageConfigEntry, type StorageEntry, type TaskEntry,
} from './schemas.js';
import type { HttpClient } from '../../core/http/index.js';
import type { NodeNamesStore } from './node-names.js';
import { nodeOfUpid, upidOf } from './task-ids.js';
import { PveTransport } from './transport.js';

const counter = z.number().finite().optional();

/**
 * `GET …/{vmid}/status/current` (shared/api/pve.md §6.2: the list fields and more): the fields
 * `pve status` shows are checked (the state, and usage as numbers: a number sent as a string
 * is an unexpected answer); every other field (`ha`, `pid`, `agent`, …) is passed through as
 * PVE sent it, so `--json` carries all of status/current.
 */
export const currentStatusSchema = z.looseObject({
  status: z.string().optional(),
  qmpstatus: z.string().optional(),
  lock: z.string().optional(),
  cpu: counter, cpus: counter, mem: counter, maxmem: counter, disk: counter, maxdisk: counter,
  uptime: counter, netin: counter, netout: counter,
});

/** A guest's checked current status. */
export type GuestCurrentStatus = z.infer<typeof currentStatusSchema>;

/** Client of one PVE cluster. */
export class PveClient extends PveTransport implements TaskApi {
  /** Node names from the last `GET /nodes` (see `eachNode`), or from `nodeNames` before the first. */
  private knownNodes?: string[];
  /** The names `nodeNames` holds, as last read or written. */
  private storedNodes?: string[];
  /** Config reads of each run, by its signal (`configOnce`); forgotten with the run. */
  private readonly runReads = new WeakMap<AbortSignal, Map<string, Promise<Record<string, unknown>>>>();

  constructor(
    http: HttpClient,
    settings: PveTransport['settings'],
    /** Where the node names are remembered between runs (`node-names.ts`); none: only in this client. */
    private readonly nodeNames?: NodeNamesStore,
  ) {
    super(http, settings);
  }

  /** Every guest (VMs and containers) in the cluster. */
  async guests(signal?: AbortSignal): Promise<ClusterResource[]> {
    const all = await this.get('/cluster/resources', z.array(clusterResourceSchema), { type: 'vm' }, signal);
    return all.filter((r) => r.type === 'qemu' || r.type === 'lxc');
  }

  /** Resolves a vmid to its type and node once, from cluster resources; unknown vmids are a usage error. */
  async resolveGuest(vmid: number, signal?: AbortSignal): Promise<GuestRef> {
    const found = (await this.guests(signal)).find((g) => g.vmid === vmid);
    const guest = found && guestRefOf(found);
    if (!guest || !guest.node) throw new UsageError(`no guest with vmid ${vmid} in the cluster`, 'homelab pve list shows the guests');
    return guest;
  }

  /** Path prefix of a guest: `/nodes/pve1/qemu/200`. */
  guestPath(guest: GuestRef): string {
    return `/nodes/${encodeURIComponent(guest.node)}/${guest.type}/${guest.vmid}`;
  }

  /** Starts a power action; returns its UPID. */
  async power(guest: GuestRef, action: PowerAction, signal?: AbortSignal): Promise<string> {
    return upidOf(await this.post(`${this.guestPath(guest)}/status/${action}`, {}, signal));
  }

  /** Snapshots of a guest, including PVE's `current` pseudo entry. */
  snapshots(guest: GuestRef, signal?: AbortSignal): Promise<Snapshot[]> {
    return this.get(`${this.guestPath(guest)}/snapshot`, z.array(snapshotSchema), undefined, signal);
  }

  /** Creates a snapshot; returns the UPID. */
  async createSnapshot(guest: GuestRef, name: string, description?: string, vmstate?: boolean, signal?: AbortSignal): Promise<string> {
    const form: Params = { snapname: name, description };
    if (guest.type === 'qemu' && vmstate) form.vmstate = true;
    return upidOf(await this.post(`${this.guestPath(guest)}/snapshot`, form, signal));
  }

  /** Rolls back to a snapshot; returns the UPID. */
  async rollback(guest: GuestRef, name: string, start?: boolean, signal?: AbortSignal): Promise<string> {
    return upidOf(await this.post(`${this.guestPath(guest)}/snapshot/${encodeURIComponent(name)}/rollback`, { start: start || undefined }, signal));
  }

  /** Deletes a snapshot; returns the UPID. */
  async deleteSnapshot(guest: GuestRef, name: string, force?: boolean, signal?: AbortSignal): Promise<string> {
    return upidOf(await this.delete(`${this.guestPath(guest)}/snapshot/${encodeURIComponent(name)}`, { force: force || undefined }, signal));
  }

  /** A guest's configuration (a running VM's pending changes applied, as PVE shows it by default). */
  config(guest: GuestRef, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.get(`${this.guestPath(guest)}/config`, z.record(z.string(), z.unknown()), undefined, signal);
  }

  /** A guest's configuration as it runs now (`current=1`: without the changes pending until its next start). */
  currentConfig(guest: GuestRef, signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.get(`${this.guestPath(guest)}/config`, z.record(z.string(), z.unknown()), { current: 1 }, signal);
  }

  /**
   * A guest's configuration, read once per run: reads passing the same `signal` (one command
   * and the operations it invokes: `check` reads every config, and backup coverage the VMs'
   * again for their creation time) share one request. For reads only: a change reads
   * `config`, which always asks.
   */
  configOnce(guest: GuestRef, signal: AbortSignal): Promise<Record<string, unknown>> {
    let reads = this.runReads.get(signal);
    if (!reads) {
      reads = new Map();
      this.runReads.set(signal, reads);
    }
    const path = `${this.guestPath(guest)}/config`;
    const held = reads.get(path);
    if (held) return held;
    const read = this.config(guest, signal);
    reads.set(path, read);
    // A failed read is not kept: the next reader asks again.
    read.catch(() => reads?.delete(path));
    return read;
  }

  /** A guest's current status: the fields `pve status` shows checked (a number sent as a string is an unexpected answer), the others as PVE sent them. */
  currentStatus(guest: GuestRef, signal?: AbortSignal): Promise<GuestCurrentStatus> {
    return this.get(`${this.guestPath(guest)}/status/current`, currentStatusSchema, undefined, signal);
  }

  /** Cluster nodes. */
  nodes(signal?: AbortSignal): Promise<NodeEntry[]> {
    return this.get('/nodes', z.array(nodeEntrySchema), undefined, signal);
  }

  /**
   * The cluster's nodes, each with a way to run read-only `work` on it. A PVE answer that
   * needs the node names first costs two round trips; with the names remembered from an
   * earlier call (the bot, MCP and watch keep their clients) or an earlier run (`nodeNames`),
   * `work` starts at once beside a fresh `GET /nodes`, so it costs one. The fresh list always decides: work started for
   * a node it no longer has is dropped, and a new node's work starts when it is asked for.
   * `work` must only read: it may run for a node that turns out to be gone or offline.
   */
  async eachNode<T>(work: (node: string) => Promise<T>, signal?: AbortSignal): Promise<{ node: NodeEntry; run(): Promise<T> }[]> {
    const early = new Map<string, Promise<T>>();
    if (!this.knownNodes) this.knownNodes = this.storedNodes = this.nodeNames?.read();
    for (const name of this.knownNodes ?? []) {
      const started = work(name);
      started.catch(() => undefined);
      early.set(name, started);
    }
    const nodes = await this.nodes(signal);
    // Only online nodes: asking an offline one goes through pveproxy to a timeout, for nothing.
    this.knownNodes = nodes.filter((n) => n.status === 'online').map((n) => n.node);
    if (this.nodeNames && this.knownNodes.join(' ') !== this.storedNodes?.join(' ')) {
      this.nodeNames.write(this.knownNodes);
      this.storedNodes = this.knownNodes;
    }
    return nodes.map((node) => ({ node, run: () => early.get(node.node) ?? work(node.node) }));
  }

  /** One node's status. */
  nodeStatus(node: string, signal?: AbortSignal): Promise<NodeStatus> {
    return this.get(`/nodes/${encodeURIComponent(node)}/status`, nodeStatusSchema, undefined, signal);
  }

  /** Storages of a node, with usage. */
  storage(node: string, signal?: AbortSignal): Promise<StorageEntry[]> {
    return this.get(`/nodes/${encodeURIComponent(node)}/storage`, z.array(storageSchema), undefined, signal);
  }

  /** The cluster's storage configuration (`GET /storage`), of one storage type when `type` is given. */
  storageConfig(type: string | undefined, signal?: AbortSignal): Promise<StorageConfigEntry[]> {
    return this.get('/storage', z.array(storageConfigSchema), { type }, signal);
  }

  /** Recent tasks of one node. */
  nodeTasks(node: string, query: { limit?: number; errors?: boolean; vmid?: number }, signal?: AbortSignal): Promise<TaskEntry[]> {
    return this.get(`/nodes/${encodeURIComponent(node)}/tasks`, z.array(taskEntrySchema), { limit: query.limit, errors: query.errors || undefined, vmid: query.vmid }, signal);
  }

  /** Recent tasks of the whole cluster. */
  clusterTasks(signal?: AbortSignal): Promise<TaskEntry[]> {
    return this.get('/cluster/tasks', z.array(taskEntrySchema), undefined, signal);
  }

  /** Status of a task (TaskApi). */
  async taskStatus(upid: string, signal?: AbortSignal): Promise<TaskStatus> {
    const status = await this.get(`/nodes/${encodeURIComponent(nodeOfUpid(upid))}/tasks/${encodeURIComponent(upid)}/status`, taskStatusSchema, undefined, signal);
    // The exit status is shown to the user when a task fails: server text, cleaned like any other.
    return typeof status.exitstatus === 'string' ? { ...status, exitstatus: serverLine(status.exitstatus) } : status;
  }

  /** Log lines of a task (TaskApi). */
  async taskLog(upid: string, start: number, limit: number, signal?: AbortSignal): Promise<{ lines: string[]; total: number }> {
    const { data, total } = await this.getWithTotal(
      `/nodes/${encodeURIComponent(nodeOfUpid(upid))}/tasks/${encodeURIComponent(upid)}/log`,
      z.array(z.object({ n: z.number(), t: z.string() })),
      { start, limit },
      signal,
    );
    return { lines: data.map((l) => serverLine(l.t)), total };
  }

  /** PVE version information. */
  version(signal?: AbortSignal): Promise<{ version: string; release?: string }> {
    return this.get('/version', z.object({ version: z.string(), release: z.string().optional() }), undefined, signal);
  }
}
