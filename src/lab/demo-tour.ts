/**
 * @module lab/demo-tour
 * The steps of `npm run demo`: each a command line run against the simulated lab, with
 * a sentence saying what it shows. Services add their steps here.
 */

import { guests } from './inventory.js';

/** `a`, `a and b`, `a, b and c`. */
const andList = (items: readonly string[]): string => (items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/**
 * The caption of `pve backup-coverage`, from the seeded guests (so that it names what the
 * output lists): the guests no job covers (the seeded job holds those with backups, templates
 * aside) and those whose newest backup is older than the default 26 h.
 */
export function coverageCaption(): string {
  const uncovered = guests.filter((g) => g.template || g.lastBackupHoursAgo === undefined)
    .map((g) => (g.template ? 'the template' : `${g.name} (${g.vmid})`));
  const stale = guests.filter((g) => !g.template && (g.lastBackupHoursAgo ?? 0) > 26).map((g) => `${g.name}'s`);
  return `Which guests would a disaster lose? No job covers ${andList(uncovered)}; ${andList(stale)} backups are stale:`;
}

/** One step of the tour. */
export interface TourStep {
  /** What the step shows, printed above it. */
  say: string;
  /** The command line, without `homelab`. */
  args: string[];
  /**
   * The exit code the step shows on purpose (`check` finding the seeded trouble: 1; bad
   * input: 2); default 0. Any other code is a failure of the demo, which then exits 1.
   */
  exitCode?: number;
}

/** The tour, in order. */
export const tour: TourStep[] = [
  { say: 'The whole lab at a glance: every service asked at once, one line each, the seeded trouble in every headline:', args: ['status'] },
  { say: 'Does the lab agree with itself? check reads PVE, DNS, the proxy, Kuma, PBS and Beszel at once (--probe: and tries each proxy target, here at the lab\'s loopback stand-ins); each finding says what every service involved reports, and the command that fixes it:', args: ['check', '--probe'], exitCode: 1 },
  { say: 'Every guest across the two-node cluster (note media: onboot, but stopped; media-next, its clone, kept its address):', args: ['pve', 'list'] },
  { say: 'Start it, waiting for the Proxmox task with progress:', args: ['pve', 'start', '201'] },
  { say: 'Snapshots of the Home Assistant VM:', args: ['pve', 'snapshots', '200'] },
  { say: 'The nodes:', args: ['pve', 'nodes'] },
  { say: 'A new VM from the cloud-init template 9000, with an address, started:', args: ['pve', 'clone', '9000', '120', '--name', 'web1', '--ip', '10.5.0.30/24', '--gw', '10.5.0.254', '--start'] },
  { say: 'Its addresses, from the QEMU guest agent:', args: ['pve', 'ip', '120'] },
  { say: 'Back it up now, to the PBS storage, with progress from the vzdump log:', args: ['pve', 'backup', '120', '--notes', 'first boot'] },
  { say: 'Its backups, newest first; PBS holds the same snapshot:', args: ['pve', 'backups', '120'] },
  { say: 'PBS sees it as well (one lab, one datastore):', args: ['pbs', 'snapshots', '--group', 'vm/120'] },
  { say: 'Destroy it (stopping it first) and purge it from backup jobs; --yes since the demo has no terminal to ask on:', args: ['pve', 'destroy', '120', '--stop', '--purge', '--yes'] },
  { say: coverageCaption(), args: ['pve', 'backup-coverage'] },
  { say: 'Bad input is one clear line and exit code 2, nothing sent:', args: ['pve', 'start', '42'], exitCode: 2 },
  { say: 'The home.lan zone in Technitium DNS: a record per guest, CNAMEs for apps behind the proxy:', args: ['dns', 'records'] },
  { say: 'Add a host the way the old helper did, with its reverse record:', args: ['dns', 'add', 'myhost', '10.5.0.50', '--ptr'] },
  { say: 'Proxy hosts in Nginx Proxy Manager: git.home.lan\'s certificate expires in 5 days:', args: ['proxy', 'list'] },
  { say: 'Put an app behind the proxy in one step (a plan: DNS record, proxy host under the wildcard certificate, Uptime Kuma monitor, each marked as homelab\'s; a failed step undoes the ones before it):', args: ['expose', 'pad', 'dockge:9001', '--yes'] },
  { say: 'The apps homelab manages, found by their markers, with the state of each part:', args: ['exposed'] },
  { say: 'Are the backups OK? PBS answers: dockge (ct/106) is stale, its last snapshot failed verification, last night\'s backup failed:', args: ['pbs', 'status'] },
  { say: 'Its snapshots, newest first, with size and verify state:', args: ['pbs', 'snapshots', '--group', 'ct/106'] },
  { say: 'Beszel, from the short keys it stores: media is still down (started above, its agent has not reported yet), so is homeassistant although it runs (its agent stopped), pbs\'s root disk is 94% full:', args: ['beszel', 'systems'] },
  { say: 'Uptime Kuma from /metrics with an API key, no login: media still down (started above, its monitor has not seen it up yet), git.home.lan\'s certificate expires in 5 days:', args: ['kuma', 'status'] },
  { say: 'Add a push monitor over Socket.IO; it prints the URL a cron job calls:', args: ['kuma', 'add', 'push', 'nightly-backup', '--interval', '90000'] },
  { say: 'Pending updates: nodes through the PVE apt API, guests over SSH (host keys checked); forgejo has security updates and wants a reboot:', args: ['updates', 'check'] },
];
