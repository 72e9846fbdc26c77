/**
 * @module core/ip-address
 * One spelling of an IP address for comparing: PVE keeps `ip6=` as typed, Technitium
 * answers the compressed form, a user may write either. Everything that compares
 * addresses (check, lab.yaml, the DNS operations) goes through `canonicalAddress`.
 */
import { isIPv6 } from 'node:net';

/**
 * An address in one spelling, for comparing: IPv6 in its canonical form (`FD00:0::1` →
 * `fd00::1`, `::ffff:1.2.3.4` → `::ffff:102:304`, brackets dropped), anything else
 * (IPv4, a host name) lower-cased. Anything the URL parser refuses (a zone id,
 * `fe80::1%eth0`) is only lower-cased: this never throws.
 */
export function canonicalAddress(value: string): string {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (!isIPv6(bare) || bare.includes('%')) return value.toLowerCase();
  try {
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return bare.toLowerCase();
  }
}

/** Whether two addresses are the same, whatever their spelling (`fd00:0:0:0::50` and `FD00::50`). */
export function sameAddress(a: string, b: string): boolean {
  return canonicalAddress(a) === canonicalAddress(b);
}
