/**
 * @module services/updates/check-nodes
 * Pending updates of the Proxmox nodes through the PVE apt API (shared/api/pve.md §6.7):
 * `GET /nodes/{node}/apt/update` lists what the node's last `apt-get update` found (the
 * daily pveupdate), so it is stale unless refreshed with `POST …/apt/update` (a task).
 * Both need `Sys.Modify` on the node; a 403 is reported with that fix. A pending reboot
 * is read from `apt/versions`: an installed kernel newer than the running one.
 */
import { z } from 'zod';
import { AuthError, CancelledError, UnreachableError } from '../../core/errors.js';
import type { OpContext } from '../../core/operation.js';
import { waitForTask } from '../proxmox/tasks.js';
import type { PveClient } from '../pve/client.js';
import { pveClientFactory } from '../pve/factory.js';
import { upidOf } from '../pve/task-ids.js';
import type { PendingPackage } from './parsers.js';
import { countPackages, failedReport, type TargetReport } from './report.js';

const aptUpdateSchema = z.array(z.looseObject({
  Package: z.string(),
  Version: z.string(),
  OldVersion: z.string().optional(),
  Origin: z.string().optional(),
}));

const aptVersionsSchema = z.array(z.looseObject({
  Package: z.string(),
  Version: z.string().optional(),
  CurrentState: z.string().optional(),
  RunningKernel: z.string().optional(),
}));

/** Checks every online node (or only `only`); a node that fails gets its own error. */
export async function checkNodes(ctx: OpContext, refresh: boolean, only?: string): Promise<TargetReport[]> {
  const client = await ctx.client(pveClientFactory);
  const address = new URL(client.settings.url).host;
  // Reading a node's list needs no refresh first: it may start beside GET /nodes (eachNode).
  const read = (node: string): Promise<NodeRead> => readNode(client, `/nodes/${encodeURIComponent(node)}/apt`, ctx.signal);
  const nodes = (await client.eachNode((node) => (refresh || (only && node !== only) ? Promise.resolve(null) : read(node)), ctx.signal))
    .filter(({ node: n }) => !only || n.node === only);
  return Promise.all(nodes.map(async ({ node: n, run }): Promise<TargetReport> => {
    const started = Date.now();
    const base = { name: n.node, kind: 'node' as const, address };
    // PVE itself answered, but this node cannot be asked: unreachable (exit 4), as docs/exit-codes.md says.
    if (n.status !== 'online') {
      return failedReport(base, new UnreachableError('pve', `node ${n.node} is ${n.status}`, 'start the node or check its network; homelab pve nodes shows its status'), started);
    }
    const path = `/nodes/${encodeURIComponent(n.node)}/apt`;
    try {
      const notes: string[] = [];
      if (refresh) {
        ctx.progress(`${n.node}: apt-get update`);
        const upid = upidOf(await client.post(`${path}/update`, {}, ctx.signal));
        await waitForTask(client, upid, { label: `apt update on ${n.node}`, signal: ctx.signal, pollMs: client.settings.task_poll_ms, timeoutMs: 300_000 });
      } else {
        notes.push("the node's list as of its last apt-get update (daily); --refresh runs one now");
      }
      ctx.progress(`${n.node}: listing updates`);
      const { list, reboot, versionsRead } = (refresh ? null : await run()) ?? await read(n.node);
      if (!versionsRead) notes.push('could not read apt/versions (needs Sys.Audit) to tell whether a reboot is pending');
      const packages: PendingPackage[] = list.map((p) => ({ name: p.Package, from: p.OldVersion ?? null, to: p.Version, origin: p.Origin ?? null, security: null }));
      return {
        ...base, ok: true, manager: 'apt', os: 'Proxmox VE', packages, counts: countPackages(packages), rebootRequired: reboot,
        refreshed: refresh, notes, error: null, durationMs: Date.now() - started,
      };
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      if (err instanceof AuthError && /permission/i.test(err.message)) {
        return failedReport(base, new AuthError('pve', `${n.node}: ${err.message.replace(/^pve: /, '')}`,
          `listing and refreshing node updates needs Sys.Modify on /nodes/${n.node} (PVE asks for it even to read the list): ` +
          `pveum role add HomelabUpdates --privs "Sys.Audit Sys.Modify" && pveum acl modify /nodes/${n.node} --tokens '<token id>' --roles HomelabUpdates`), started);
      }
      return failedReport(base, err, started);
    }
  }));
}

/** Whether an installed kernel is newer than the running one; null when the node does not say. */
async function rebootPending(client: PveClient, path: string, signal: AbortSignal): Promise<boolean | null> {
  const versions = await client.get(`${path}/versions`, aptVersionsSchema, undefined, signal);
  const running = versions.find((v) => v.RunningKernel)?.RunningKernel;
  const runningVersion = running ? /^(\d+\.\d+\.\d+-\d+)/.exec(running)?.[1] : undefined;
  if (!runningVersion) return null;
  const installed = versions
    .filter((v) => v.CurrentState === 'Installed')
    .map((v) => /^(?:proxmox|pve)-kernel-(\d+\.\d+\.\d+-\d+)-pve/.exec(v.Package)?.[1])
    .filter((v): v is string => Boolean(v));
  return installed.some((v) => compareKernel(v, runningVersion) > 0);
}

/** Compares `6.17.4-1` with `6.17.2-1` numerically. */
export function compareKernel(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** What one node's apt API says. */
interface NodeRead {
  list: z.infer<typeof aptUpdateSchema>;
  reboot: boolean | null;
  /** False when apt/versions could not be read (the reboot state is then unknown). */
  versionsRead: boolean;
}

/** The pending list and apt/versions of one node, asked at once (they do not depend on each other). */
async function readNode(client: PveClient, path: string, signal: AbortSignal): Promise<NodeRead> {
  let versionsRead = true;
  const [list, reboot] = await Promise.all([
    client.get(`${path}/update`, aptUpdateSchema, undefined, signal),
    rebootPending(client, path, signal).catch((err: unknown) => {
      if (err instanceof CancelledError) throw err;
      versionsRead = false;
      return null;
    }),
  ]);
  return { list, reboot, versionsRead };
}
