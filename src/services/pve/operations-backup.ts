/**
 * @module services/pve/operations-backup
 * Backups: `pve backup <vmid>` (back up now, `vzdump`, to the configured PBS storage by
 * default, with progress from the task log; a locked guest, a storage the node lacks or
 * one that holds no backups are refused before the confirmation asks, which names the
 * guest, its node and the storage) and `pve backups <vmid>` (the backups of a guest,
 * newest first, with size, notes, verification and protection).
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';
import { OperationError, UsageError } from '../../core/errors.js';
import { formatBytes, formatTime } from '../../core/format.js';
import { defineOperation, type OpContext } from '../../core/operation.js';
import { fields, table, toned } from '../../core/render.js';
import { parseUpid } from '../proxmox/upid.js';
import { backupContent, defaultBackupStorage, startVzdump } from './api-backup.js';
import { creationTime, isBackupOf, listBackups } from './backup-listing.js';
import type { PveClient } from './client.js';
import { pveClientFactory } from './factory.js';
import { explainTaskLock, toBackupEntry, type BackupEntry } from './backup-entries.js';
import { guestLabel, refuseIfLocked } from './guest-lock.js';
import { vmidSchema, waitSchema } from './inputs.js';
import { storageIdSchema } from './inputs-lifecycle.js';
import { taskRunBlocks } from './lifecycle-common.js';
import { checkBackupStorage } from './storage-checks.js';
import type { GuestRef, StorageEntry } from './schemas.js';
import { LONG_TASK_MS, runTask, type TaskRun } from './task-outcome.js';

/** JSON shape of `pve backup`. */
export interface BackupOutcome extends TaskRun {
  vmid: number;
  name: string;
  type: 'qemu' | 'lxc';
  node: string;
  storage: string;
  mode: 'snapshot' | 'suspend' | 'stop';
  /** The new backup, when waited for and found on the storage. */
  backup: BackupEntry | null;
}

/** A notes template as vzdump wants it: one line, `\` and newlines escaped. */
function notesTemplate(notes: string): string {
  return notes.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');
}

/** PVE's limit on `notes-template` (maxLength in the schema), counted after escaping. */
const NOTES_TEMPLATE_MAX = 1024;

/** `--notes`: PVE counts the escaped template, in which a `\` or a line break takes two characters. */
const notesSchema = freeText(z.string()).refine((notes) => notesTemplate(notes).length <= NOTES_TEMPLATE_MAX, {
  error: (issue) => `notes must be at most ${NOTES_TEMPLATE_MAX} characters as PVE gets them (each \\ and line break counts twice): these are ${notesTemplate(String(issue.input)).length}`,
});

/** The guest and the storage to back up to (`--storage`, checked on the guest's node, or the default); a locked guest is refused. */
async function checkBackup(client: PveClient, vmid: number, wanted: string | undefined, signal: AbortSignal): Promise<{ guest: GuestRef; storage: StorageEntry }> {
  const guest = await client.resolveGuest(vmid, signal);
  await refuseIfLocked(client, guest, await client.config(guest, signal), signal);
  const storage = wanted ? await checkBackupStorage(client, guest.node, wanted, signal) : await defaultBackupStorage(client, guest.node, signal);
  return { guest, storage };
}

/** The backup a finished vzdump wrote: the guest's newest on the storage, not older than the task. */
async function findNewBackup(client: PveClient, guest: GuestRef, storage: StorageEntry, upid: string, signal: AbortSignal): Promise<BackupEntry | null> {
  const since = (parseUpid(upid)?.starttime ?? 0) - 2;
  const volumes = await backupContent(client, guest.node, storage.storage, guest.vmid, signal);
  const newest = volumes.filter((v) => (v.ctime ?? 0) >= since).sort((a, b) => (b.ctime ?? 0) - (a.ctime ?? 0))[0];
  return newest ? toBackupEntry(storage.storage, newest, storage.shared === 1 ? null : guest.node) : null;
}

/**
 * A backup PBS refused as it started because the guest's group already has a snapshot of
 * that second or later (`backup timestamp is older than last backup.`), or of that very
 * second (`backup directory already exists.`, when the last one failed verification): PBS
 * names snapshots by the second, so two backups within one. Said plainly, with what to do,
 * instead of vzdump's `job errors`. Other failures pass as they are.
 */
function explainNotNewer(err: unknown, guest: GuestRef, storage: string): unknown {
  if (!(err instanceof OperationError)) return err;
  const said = (text: string): boolean => err.details?.some((l) => l.includes(text)) ?? false;
  const notNewer = said('backup timestamp is older than last backup');
  if (!notNewer && !said('backup directory already exists')) return err;
  const group = `${guest.type === 'qemu' ? 'vm' : 'ct'}/${guest.vmid}`;
  return new OperationError(
    `${storage} refused the backup of ${guestLabel(guest)}: group ${group} already has a snapshot from this second${notNewer ? ' or later' : ''} (PBS names snapshots by the second)`,
    `back it up again in a moment; homelab pbs snapshots --group ${group} shows the last one`,
    err.details,
  );
}

/** Progress without vzdump's `INFO: ` prefixes. */
function cleanProgress(ctx: OpContext): OpContext {
  return { ...ctx, progress: (note) => ctx.progress(note.replace(/: (INFO|WARN): +/, ': ')) };
}

/** `pve backup <vmid> [--storage S] [--mode M] [--notes T]`. */
export const pveBackup = defineOperation({
  id: 'pve.backup',
  summary: 'Back up a guest now (to the PBS storage unless --storage)',
  description: 'Runs vzdump for one guest and waits for it, showing its progress. The default storage is services.pve.backup_storage, else the one PBS storage of the cluster.',
  args: ['vmid'],
  input: z.object({
    vmid: vmidSchema,
    storage: storageIdSchema.optional().describe('backup storage (default: services.pve.backup_storage, else the PBS storage)'),
    mode: z.enum(['snapshot', 'suspend', 'stop'], { error: 'mode must be snapshot, suspend or stop' }).default('snapshot').describe('snapshot (no downtime), suspend or stop'),
    notes: notesSchema.optional().describe('notes stored with the backup ({{guestname}}, {{vmid}}, {{node}} are filled in; default: the guest name)'),
    wait: waitSchema,
  }),
  risk: 'change',
  timeoutMs: LONG_TASK_MS,
  examples: ['pve backup 201', 'pve backup 107 --notes "before Forgejo 10"', 'pve backup 200 --storage local --mode stop'],
  confirm: (input) => `Back up guest ${input.vmid} to ${input.storage ?? 'the PBS storage'} (${input.mode} mode)`,
  async preview(ctx, input) {
    const client = await ctx.client(pveClientFactory);
    const { guest, storage } = await checkBackup(client, input.vmid, input.storage, ctx.signal);
    return `Back up ${guestLabel(guest)} on ${guest.node} to ${storage.storage} (${storage.type}, ${input.mode} mode)`;
  },
  async run(ctx, input): Promise<BackupOutcome> {
    const client = await ctx.client(pveClientFactory);
    const { guest, storage } = await checkBackup(client, input.vmid, input.storage, ctx.signal);
    const label = `backup of ${guestLabel(guest)} to ${storage.storage}`;
    const run = await explainTaskLock(client, guest, () => runTask(cleanProgress(ctx), client, label, input.wait, () => startVzdump(client, guest.node, {
      vmid: guest.vmid, storage: storage.storage, mode: input.mode,
      notesTemplate: notesTemplate(input.notes ?? '{{guestname}}'),
      ...(storage.type === 'pbs' ? {} : { compress: 'zstd' as const }),
    }, ctx.signal), LONG_TASK_MS), ctx.signal).catch((err: unknown) => { throw explainNotNewer(err, guest, storage.storage); });
    const backup = run.waited ? await findNewBackup(client, guest, storage, run.upid, ctx.signal) : null;
    return { vmid: guest.vmid, name: guest.name, type: guest.type, node: guest.node, storage: storage.storage, mode: input.mode, ...run, backup };
  },
  render: (o) => [
    ...taskRunBlocks(`backup of ${guestLabel(o)} to ${o.storage}`, o),
    ...(o.backup ? [fields([['backup', o.backup.volid], ['size', formatBytes(o.backup.size)], ['notes', o.backup.notes ?? '']])] : []),
  ],
});

/** `pve backups <vmid> [--storage S]`. */
export const pveBackups = defineOperation({
  id: 'pve.backups',
  summary: "List a guest's backups, newest first (every backup storage unless --storage)",
  description: 'Shared storages (PBS) are asked once, node-local ones (local) on every online node; those backups name their node, where pve restore runs. '
    + 'When the guest exists, backups of an earlier guest that had its id are left out: another type (a container\'s under a VM\'s id), or for a VM older than its creation (meta ctime).',
  args: ['vmid'],
  input: z.object({
    vmid: vmidSchema,
    storage: storageIdSchema.optional().describe('only this storage'),
  }),
  risk: 'read',
  pages: true,
  examples: ['pve backups 201', 'pve backups 106 --storage pbs'],
  async run(ctx, input): Promise<BackupEntry[]> {
    const client = await ctx.client(pveClientFactory);
    // A destroyed guest's backups are still there (that is when they matter): no guest, every backup of the id.
    const guest = await client.resolveGuest(input.vmid, ctx.signal).catch((err: unknown) => {
      if (err instanceof UsageError) return undefined;
      throw err;
    });
    const [entries, created] = await Promise.all([
      listBackups(client, input.vmid, input.storage, ctx.signal),
      guest?.type === 'qemu' ? client.config(guest, ctx.signal).then(creationTime) : undefined,
    ]);
    return entries.filter((b) => !guest || isBackupOf(b, guest, created)).sort((a, b) => (b.time ?? 0) - (a.time ?? 0));
  },
  render: (rows) => [
    table(
      ['time', 'storage', 'size>', 'verified', 'protected', 'notes', 'volid'],
      rows.map((b) => [
        formatTime(b.time), b.node ? `${b.storage} (${b.node})` : b.storage, formatBytes(b.size),
        toned(b.verification ?? '-', b.verification === 'ok' ? 'ok' : b.verification ? 'bad' : 'dim'),
        b.protected ? toned('yes', 'accent') : '', b.notes ?? '', b.volid,
      ]),
      { empty: 'no backups' },
    ),
  ],
});
