/**
 * @module services/hub/check-findings/addresses
 * Names and addresses, PVE against DNS: a running guest no record names or points at;
 * an A/AAAA record whose address no guest and no known host has (stale, e.g. left behind
 * by a destroyed guest; a machine that is no guest, a NAS, is a known host once `check.hosts`
 * lists it); two guests with one address (a conflict: error) and two names
 * with one address (a second A record where a CNAME belongs: warning).
 */
import { shellWord } from '../../../core/shell-word.js';
import { andList, bothOrAll, findingKey, guestLabel, managedFix, relative, type CheckFinding, type GuestView, type LabView, type RecordView } from './types.js';

const isAddress = (r: RecordView): boolean => (r.type === 'A' || r.type === 'AAAA') && !r.disabled;
const inZone = (name: string, zone: string): boolean => name === zone || name.endsWith(`.${zone}`);

/** Running guests that no enabled record of the zone names (`<name>.<zone>`) or points at. */
export function guestsWithoutDns(guests: readonly GuestView[], records: readonly RecordView[], zone: string): CheckFinding[] {
  const names = new Set(records.filter((r) => !r.disabled && (isAddress(r) || r.type === 'CNAME')).map((r) => r.name));
  const pointed = new Set(records.filter(isAddress).map((r) => r.value.toLowerCase()));
  return guests
    .filter((g) => g.status === 'running' && !g.template && g.name)
    .filter((g) => !names.has(`${g.name.toLowerCase()}.${zone}`) && !g.addresses.some((a) => pointed.has(a)))
    .map((g) => {
      const address = g.addresses[0];
      return {
        key: findingKey('guest-without-dns', g.vmid),
        kind: 'guest-without-dns' as const,
        severity: 'warning' as const,
        subject: `${g.name}.${zone}`,
        message: `${guestLabel(g)} is running but has no DNS record`,
        evidence: [
          { service: 'pve', says: `${guestLabel(g)} on ${g.node} is running${g.addresses.length ? ` at ${g.addresses.join(', ')}` : ''}` },
          { service: 'dns', says: `no record ${g.name}.${zone}${g.addresses.length ? `, and no A/AAAA record points at ${g.addresses.join(', ')}` : ''}` },
        ],
        fix: address ? `homelab dns add ${shellWord(g.name)} ${shellWord(address)} --ptr` : `homelab pve ip ${g.vmid}, then homelab dns add ${shellWord(g.name)} <address> --ptr`,
      };
    });
}

/**
 * Enabled A/AAAA records of the zone whose address no guest and no known host has.
 * A record named after a guest whose address PVE cannot know (DHCP, stopped) is not judged.
 */
export function staleRecords(guests: readonly GuestView[], knownHosts: ReadonlyMap<string, string>, records: readonly RecordView[], zone: string): CheckFinding[] {
  const owners = new Map<string, string>();
  for (const g of guests) for (const a of g.addresses) owners.set(a, guestLabel(g));
  const unknownAddress = new Set(guests.filter((g) => g.addresses.length === 0).map((g) => `${g.name.toLowerCase()}.${zone}`));
  return records
    .filter((r) => isAddress(r) && inZone(r.name, zone))
    .filter((r) => {
      const ip = r.value.toLowerCase();
      return !owners.has(ip) && !knownHosts.has(ip) && !unknownAddress.has(r.name);
    })
    .map((r) => ({
      key: findingKey('stale-record', `${r.name}/${r.value}`),
      kind: 'stale-record' as const,
      severity: 'warning' as const,
      subject: r.name,
      message: `${r.name} points at ${r.value}, which no guest or known host has`,
      evidence: [
        { service: 'dns', says: `${r.type} ${r.name} → ${r.value}` },
        { service: 'pve', says: `no guest has ${r.value}, and it is not a node, a configured service or SSH target, a gateway, or in check.hosts` },
      ],
      // The address may be a machine that is no guest (a NAS): deleting its record would be wrong, so the other way out is named.
      fix: managedFix(r, `${r.type} ${relative(r.name, zone)} → ${r.value}`)
        ?? `homelab dns delete ${shellWord(relative(r.name, zone))} --type ${r.type} --value ${shellWord(r.value)} (or, if ${r.value} is a machine of the lab that is not a guest, add it to check.hosts in config.yaml)`,
    }));
}

/**
 * Addresses two guests have (an address conflict: error): configured (static, in PVE) or
 * reported by a running DHCP guest on its own network interface (`pve ip`). The wording tells
 * the two apart; a reported one's way out includes the DHCP server's reservation.
 */
export function duplicateGuestAddresses(guests: readonly GuestView[]): CheckFinding[] {
  const byAddress = new Map<string, GuestView[]>();
  for (const g of guests.filter((x) => !x.template)) for (const a of g.addresses) byAddress.set(a, [...(byAddress.get(a) ?? []), g]);
  return [...byAddress].filter(([, owners]) => owners.length > 1).map(([address, owners]) => {
    const isLearned = (g: GuestView): boolean => g.learned?.includes(address) ?? false;
    const anyLearned = owners.some(isLearned);
    return {
      key: findingKey('duplicate-address', `guests/${address}`),
      kind: 'duplicate-address' as const, severity: 'error' as const, subject: address,
      message: `${andList(owners.map(guestLabel))} ${anyLearned ? `${bothOrAll(owners.length)} have` : `are ${bothOrAll(owners.length)} configured with`} ${address}`,
      evidence: owners.map((g) => ({ service: 'pve', says: `${guestLabel(g)} on ${g.node} (${g.status}) ${isLearned(g) ? `reports ${address} (DHCP, pve ip ${g.vmid})` : `has ${address}`}` })),
      fix: `give all but one of ${owners.map((g) => g.vmid).join(', ')} another address (ipconfig0 / net0 of the guest in PVE${anyLearned ? ', or its reservation in the DHCP server' : ''})`,
    };
  });
}

/**
 * Addresses two or more names of the zone point at (warning): one A record per host, the
 * other names CNAMEs to it. An app's own A/AAAA record is never one of them: homelab writes it
 * at the proxy's address by design (`expose --dns a`). The record kept is the guest's own name
 * when the guests are known, else the proxy's `dns_name`, else one no app or lab.yaml manages.
 */
export function duplicateNames(records: readonly RecordView[], zone: string, guests: readonly GuestView[] | undefined, proxy?: LabView['proxyNames']): CheckFinding[] {
  const byAddress = new Map<string, RecordView[]>();
  for (const r of records.filter((x) => isAddress(x) && inZone(x.name, zone) && !x.app)) {
    const list = byAddress.get(r.value.toLowerCase()) ?? [];
    if (!list.some((x) => x.name === r.name)) list.push(r);
    byAddress.set(r.value.toLowerCase(), list);
  }
  return [...byAddress].filter(([, named]) => named.length > 1).map(([address, named]) => {
    const owner = guests?.find((g) => g.addresses.includes(address));
    const keep = named.find((r) => owner && r.name === `${owner.name.toLowerCase()}.${zone}`) ?? named.find((r) => proxy?.name && r.name === proxy.name)
      ?? named.find((r) => !r.labRecord) ?? (named[0] as RecordView);
    return {
      key: findingKey('duplicate-address', `names/${address}`),
      kind: 'duplicate-address' as const, severity: 'warning' as const, subject: address,
      message: `${andList(named.map((r) => r.name))} ${bothOrAll(named.length)} point at ${address}`,
      evidence: [
        { service: 'dns', says: named.map((r) => `${r.type} ${r.name} → ${address}`).join('; ') },
        ...(owner ? [{ service: 'pve', says: `${address} is ${guestLabel(owner)}` }] : []),
      ],
      fix: named.filter((r) => r !== keep)
        .map((r) => managedFix(r, `${r.type} ${relative(r.name, zone)} → ${address}`)
          ?? `homelab dns delete ${shellWord(relative(r.name, zone))} --type ${r.type} --value ${shellWord(address)} && homelab dns add-cname ${shellWord(relative(r.name, zone))} ${shellWord(relative(keep.name, zone))}`).join('; '),
    };
  });
}
