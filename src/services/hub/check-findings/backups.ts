/**
 * @module services/hub/check-findings/backups
 * Backups against PVE: a guest set to start on boot (so it matters) that no enabled PVE
 * backup job includes, and one whose newest backup (on any PVE backup storage or as a
 * PBS group) is older than the configured age, or missing although a job includes it.
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
      out.push({
        key: findingKey('guest-not-backed-up', g.vmid), kind: 'guest-not-backed-up', severity: 'error', subject: String(g.vmid),
        message: `${guestLabel(g)} starts on boot but no backup job includes it`,
        evidence: [
          { service: 'pve', says: `${guestLabel(g)} has onboot: 1; no enabled backup job includes ${g.vmid}` },
          { service: 'backups', says: last },
        ],
        fix: `homelab pve backup ${g.vmid}, and add ${g.vmid} to a backup job (PVE: Datacenter → Backup)`,
      });
      continue;
    }
    if (!backups.recent.has(g.vmid) && (!newest || nowSeconds - newest.time > backups.maxAgeHours * 3600)) {
      out.push({
        key: findingKey('backup-too-old', g.vmid), kind: 'backup-too-old', severity: 'error', subject: String(g.vmid),
        message: `${guestLabel(g)}: ${last} (limit ${backups.maxAgeHours} h)`,
        evidence: [
          { service: 'pve', says: `${guestLabel(g)} has onboot: 1 and a backup job includes it` },
          { service: 'backups', says: `${last}; older than ${backups.maxAgeHours} h` },
        ],
        fix: `homelab pve backup ${g.vmid}, then see why the job missed it: homelab pve tasks --errors`,
      });
    }
  }
  return out;
}
