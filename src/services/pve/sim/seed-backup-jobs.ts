/**
 * @module services/pve/sim/seed-backup-jobs
 * The cluster's scheduled backup job, the one whose nightly runs the seeded task history
 * shows: every guest with a backup group in PBS, snapshot mode, to storage `pbs`, notes
 * `{{guestname}}`, keeping seven dailies. Guests it leaves out (the PBS container itself,
 * the template) are what `GET /cluster/backup-info/not-backed-up` reports.
 */
import { guests as labGuests } from '../../../lab/inventory.js';
import type { SimBackupJob } from './state.js';

const HOUR = 3_600;
/** Hours since the job's last nightly run (the newest run in the seeded task history). */
export const LAST_RUN_HOURS_AGO = 5;

/** `HH:MM` (UTC) of an epoch time: a daily calendar event. */
function dailyAt(epoch: number): string {
  const d = new Date(epoch * 1000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** The seeded jobs at `now` (Unix seconds). */
export function seedBackupJobs(now: number): SimBackupJob[] {
  const members = labGuests.filter((g) => g.lastBackupHoursAgo !== undefined && !g.template).map((g) => g.vmid);
  return [{
    id: 'backup-7c1e5a2f-93d4', schedule: dailyAt(now - LAST_RUN_HOURS_AGO * HOUR - 300), storage: 'pbs', mode: 'snapshot', enabled: true,
    vmid: members, comment: 'nightly to PBS', 'notes-template': '{{guestname}}', 'prune-backups': 'keep-daily=7',
  }];
}

/** The next run of a daily `HH:MM` (UTC) schedule after `now`; undefined for other calendar events. */
export function nextDailyRun(schedule: string, now: number): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(schedule);
  if (!m) return undefined;
  const day = Math.floor(now / 86_400) * 86_400;
  const at = day + Number(m[1]) * HOUR + Number(m[2]) * 60;
  return at > now ? at : at + 86_400;
}
