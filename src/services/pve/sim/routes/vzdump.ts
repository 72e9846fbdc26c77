/**
 * @module services/pve/sim/routes/vzdump
 * Backups now: `POST /nodes/{node}/vzdump` (the guests in `vmid` that live on this node,
 * to `storage`, default `local`) runs a `vzdump` task that holds `lock: backup` on the
 * guest and, when it ends OK, writes the backup volume (for the lab's `pbs` storage: a
 * new snapshot in the PBS simulator's datastore). A guest locked by another task fails
 * its backup in the log (`ERROR: Backup of VM 200 failed - VM is locked (snapshot)`) and
 * the job ends `job errors`, as vzdump does; so does a backup to PBS not newer than the
 * guest's last snapshot there (`backup timestamp is older than last backup.`: two backups
 * of a guest within one second). Stop mode shuts a running guest down while
 * the task runs and starts it again at its end. `GET /nodes/{node}/vzdump/extractconfig`
 * returns the config file an archive holds.
 *
 * Simplifications (see docs/pve-simulator.md): one guest per task is logged in full;
 * guests of other nodes in `vmid` are refused in the call; `compress`, `bwlimit`,
 * `fleecing` and friends are accepted and ignored.
 */
import { shellWord as quoted } from '../../../../core/shell-word.js';
import { backupConfig, findBackup, newBackupVolume, pbsRefusal, storeBackup } from '../backup-volumes.js';
import { bool, req, str, type RouteContext, type RouteTable } from '../context.js';
import { die } from '../errors.js';
import { splitList } from '../formats.js';
import { withLock } from '../guest-lock.js';
import { lockError } from '../guest-lookup.js';
import { markStarted, markStopped } from '../guest-power.js';
import { checkPrivs } from '../permissions.js';
import type { GuestConfig, SimGuest, SimStorage } from '../state.js';
import type { TaskSpec } from '../tasks.js';
import { backupDisks, sizeBytes, vzdumpLines } from '../vzdump-log.js';

/** The notes vzdump writes for a template (`{{guestname}}`, `{{vmid}}`, `{{node}}`, `{{cluster}}`; `\n` escapes). */
export function renderNotes(template: string, g: SimGuest, cluster: string): string {
  const vars: Record<string, string> = { guestname: g.name, vmid: String(g.vmid), node: g.node, cluster };
  return template
    .replace(/\{\{(\w+)\}\}/g, (all, name: string) => vars[name] ?? all)
    .replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

function backupStorage(ctx: RouteContext, node: string): SimStorage {
  const id = str(ctx, 'storage') ?? 'local';
  const s = ctx.state.storages.find((x) => x.storage === id);
  if (!s) throw die(`storage '${id}' does not exist`);
  if (!s.nodes.includes(node)) throw die(`storage '${id}' is not available on node '${node}'`);
  if (!s.content.includes('backup')) throw die(`storage '${id}' does not support backups`);
  return s;
}

function vzdump(ctx: RouteContext) {
  const node = req(ctx, 'node');
  const vmids = splitList(str(ctx, 'vmid') ?? '').map(Number);
  if (vmids.length === 0 || bool(ctx, 'all')) throw die('only backups of listed guests (vmid) are simulated');
  const storage = backupStorage(ctx, node);
  checkPrivs(ctx.identity, `/storage/${storage.storage}`, ['Datastore.AllocateSpace'], false);
  const guests = vmids.map((vmid) => {
    checkPrivs(ctx.identity, `/vms/${vmid}`, ['VM.Backup'], false);
    const g = ctx.state.guests.get(vmid);
    if (!g || g.node !== node) throw die(`guest ${vmid} is not on node '${node}'`);
    return g;
  });
  const g = guests[0] as SimGuest;
  const mode = (str(ctx, 'mode') ?? 'snapshot') as 'snapshot' | 'suspend' | 'stop';
  const template = str(ctx, 'notes-template');
  const time = Math.floor(Date.now() / 1000);
  const diskBytes = backupDisks(g).reduce((sum, [, , size]) => sum + sizeBytes(size), 0);
  const args = ['vzdump', vmids.join(' '), '--storage', storage.storage, '--mode', mode];
  if (template !== undefined) args.push('--notes-template', quoted(template));
  args.push('--node', node);
  const locked = lockError(g);
  // PBS refuses a backup not newer than the guest's last one there (two within one second) as it starts.
  const refused = locked ? undefined : pbsRefusal(ctx.state, storage, g, time);
  const lines = vzdumpLines({ g, storage, mode, time, command: args.join(' '), diskBytes, notes: Boolean(template), ...(locked ? { locked } : {}), ...(refused ? { refused } : {}) });
  // Stop mode shuts a running guest down for the backup and starts it again, whatever the outcome.
  const stops = mode === 'stop' && g.status === 'running' && !locked && !refused;
  const spec: TaskSpec = {
    node, type: 'vzdump', id: vmids.length === 1 ? String(g.vmid) : '', user: ctx.identity.authid, lines,
    ...(stops ? { begin: () => markStopped(g), end: () => markStarted(g) } : {}),
    check: () => (locked || refused ? 'job errors' : undefined),
    apply: () => {
      const size = Math.max(1, Math.round(diskBytes * 0.45));
      const notes = template === undefined ? undefined : renderNotes(template, g, ctx.state.clusterName);
      storeBackup(ctx.state, storage, newBackupVolume(storage, g, time, size, notes), g, 4 + Math.round(diskBytes / 2 ** 33));
    },
  };
  // A locked guest is not touched (no lock of ours to take or release): its backup just fails.
  return { data: ctx.tasks.start(locked ? spec : withLock(spec, () => [ctx.state.guests.get(g.vmid)], 'backup')).upid };
}

/** The config file text an archive holds, as `qm`/`pct` write it (sorted `key: value` lines). */
export function configFileText(config: GuestConfig): string {
  return Object.keys(config).sort().map((k) => `${k}: ${String(config[k])}\n`).join('');
}

/** The backup routes. */
export const vzdumpRoutes: RouteTable = {
  'POST /nodes/{node}/vzdump': vzdump,
  'GET /nodes/{node}/vzdump/extractconfig': (ctx) => {
    const volid = req(ctx, 'volume');
    const v = findBackup(ctx.state, volid);
    if (!v) throw die(`volume '${volid}' does not exist`);
    checkPrivs(ctx.identity, `/vms/${v.vmid ?? ''}`, ['VM.Backup'], false);
    const config = backupConfig(v);
    if (!config) throw die(`unable to extract configuration from '${volid}'`);
    return { data: configFileText(config) };
  },
};
