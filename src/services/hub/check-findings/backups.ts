/**
 * @module services/hub/check-findings/backups
 * Backups against PVE: a guest set to start on boot (so it matters) that no enabled PVE
 * backup job includes (none, or only disabled ones), and one whose newest backup (on any
 * PVE backup storage, or as its own PBS group in a namespace this cluster's PBS storages
 * write to) is older than the configured age, or missing although an enabled job includes it.
 */
import { formatDuration } from '../../../core/format.js';
import { findingKey, guestLabel, type BackupView, type CheckFinding, type GuestView } from './types.js';

/** Onboot guests without a job, and onboot guests whose newest backup is too old. */
export function backupFindings(guests: readonly GuestView[], backups: BackupView, nowSeconds: number): CheckFinding[] {
  const out: CheckFinding[] = [];
  const uncovered = new Set(backups.notCovered);
  for (const g of guests.filter((x) => x.onboot && !x.template)) {
    const newest = backups.newest.get(g.vmid);
    const last = newest ? `newest backup ${formatDuration(nowSeconds - newest.time)} ago on ${newest.where}` : 'no backup anywhere';
    if (uncovered.has(g.vmid)) {
      const disabled = backups.disabledJobs?.get(g.vmid) ?? [];
      const jobs = `job${disabled.length === 1 ? '' : 's'} ${disabled.join(', ')}`;
      out.push({
        key: findingKey('guest-not-backed-up', g.vmid), kind: 'guest-not-backed-up', severity: 'error', subject: String(g.vmid),
        message: disabled.length
          ? `${guestLabel(g)} starts on boot but only disabled backup ${jobs} include${disabled.length === 1 ? 's' : ''} it`
          : `${guestLabel(g)} starts on boot but no backup job includes it`,
        evidence: [
          { service: 'pve', says: `${guestLabel(g)} has onboot: 1; no enabled backup job includes ${g.vmid}${disabled.length ? ` (${jobs} disabled)` : ''}` },
          { service: 'backups', says: last },
        ],
        fix: disabled.length
          ? `homelab pve backup ${g.vmid}, and enable backup ${jobs} or add ${g.vmid} to an enabled one (PVE: Datacenter → Backup)`
          : `homelab pve backup ${g.vmid}, and add ${g.vmid} to a backup job (PVE: Datacenter → Backup)`,
      });
      continue;
    }
    if (!backups.recent.has(g.vmid) && (!newest || nowSeconds - newest.time > backups.maxAgeHours * 3600)) {
      out.push({
        key: findingKey('backup-too-old', g.vmid), kind: 'backup-too-old', severity: 'error', subject: String(g.vmid),
        message: `${guestLabel(g)}: ${last} (limit ${backups.maxAgeHours} h)`,
        evidence: [
          { service: 'pve', says: `${guestLabel(g)} has onboot: 1 and an enabled backup job includes it` },
          { service: 'backups', says: `${last}; older than ${backups.maxAgeHours} h` },
        ],
        fix: `homelab pve backup ${g.vmid}, then see why the job missed it: homelab pve tasks --errors`,
      });
    }
  }
  return out;
}
