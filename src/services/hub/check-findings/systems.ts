/**
 * @module services/hub/check-findings/systems
 * Beszel against PVE: a system Beszel reports down while PVE says its guest runs (the
 * agent died, or the guest hangs), and one Beszel reports up while PVE says its guest is
 * stopped (Beszel watches another machine under that name or address). A system is
 * matched to a guest by address first (of two guests with the address, the one it is named
 * after), then by name; nodes and unmatched systems are not judged.
 */
import { findingKey, guestLabel, type CheckFinding, type GuestView, type SystemView } from './types.js';
import { shellWord } from '../../../core/shell-word.js';
import { shownWord } from '../../../core/words.js';

/** The guest a Beszel system is, if any. */
export function guestOfSystem(s: SystemView, guests: readonly GuestView[]): GuestView | undefined {
  const host = s.host.toLowerCase();
  const named = (g: GuestView): boolean => g.name.toLowerCase() === s.name.toLowerCase() || g.name.toLowerCase() === host.split('.')[0];
  // Two guests with one address (a conflict found on its own): the one the system is named after.
  const byAddress = guests.filter((g) => !g.template && g.addresses.includes(host));
  return byAddress.find(named) ?? byAddress[0] ?? guests.find((g) => !g.template && named(g));
}

/** Systems whose Beszel status contradicts PVE. */
export function systemFindings(systems: readonly SystemView[], guests: readonly GuestView[]): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const s of systems) {
    const g = guestOfSystem(s, guests);
    if (!g) continue;
    const beszel = { service: 'beszel', says: `system ${s.name} (${s.host}) is ${s.status}` };
    const pve = { service: 'pve', says: `${guestLabel(g)} on ${g.node} is ${g.status}` };
    if (s.status === 'down' && g.status === 'running') {
      out.push({
        key: findingKey('beszel-down-guest-running', s.name), kind: 'beszel-down-guest-running', severity: 'warning', subject: s.name,
        message: `Beszel reports ${s.name} down, but PVE says ${guestLabel(g)} is running`,
        evidence: [beszel, pve],
        fix: `restart the Beszel agent in ${guestLabel(g)} (systemctl restart beszel-agent); homelab beszel system ${shellWord(s.name)} shows its last report`,
      });
    } else if (s.status === 'up' && g.status !== 'running') {
      out.push({
        key: findingKey('beszel-up-guest-stopped', s.name), kind: 'beszel-up-guest-stopped', severity: 'warning', subject: s.name,
        message: `Beszel reports ${s.name} up, but PVE says ${guestLabel(g)} is ${g.status}`,
        evidence: [beszel, pve],
        fix: `Beszel's ${shownWord(s.name)} (${s.host}) is another machine than ${guestLabel(g)}: correct the system's host in Beszel, or rename it`,
      });
    }
  }
  return out;
}
