/**
 * @module services/pve/sim/guest-net
 * A guest's addresses as its network stack reports them: the static address of its
 * config (`ipconfig0` for VMs, `net0`'s `ip=` for containers), a lease from the lab's
 * DHCP range for `ip=dhcp`, and link-local IPv6 from the MAC; answers of the guest
 * agent's `network-get-interfaces` and of the container's `interfaces`.
 */
import { lab } from '../../../lab/inventory.js';
import { hexBytes } from './noise.js';
import type { SimGuest } from './state.js';

/** An address with its prefix length. */
interface Addr { ip: string; prefix: number }

/** The `key=value` parts of a property string. */
export function propertyParts(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** The guest's MAC address on net0 (upper case, as in the config). */
export function macOfGuest(g: SimGuest): string {
  const net0 = String(g.config.net0 ?? '');
  const parts = propertyParts(net0);
  return parts.hwaddr ?? parts.virtio ?? parts.e1000 ?? `BC:24:11:${hexBytes(`mac-${g.vmid}`, 3, ':')}`;
}

/** The IPv4 address the guest holds: static from its config, a DHCP lease, or none. */
export function ipv4Of(g: SimGuest): Addr | undefined {
  const source = g.type === 'qemu' ? String(g.config.ipconfig0 ?? '') : String(g.config.net0 ?? '');
  const ip = propertyParts(source).ip;
  if (ip === 'dhcp') {
    const subnet = lab.subnet.split('.').slice(0, 3).join('.');
    return { ip: `${subnet}.${100 + (g.vmid % 100)}`, prefix: 24 };
  }
  const m = ip ? /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(ip) : null;
  if (m) return { ip: m[1] as string, prefix: Number(m[2]) };
  return g.ip ? { ip: g.ip, prefix: 24 } : undefined;
}

/** The EUI-64 link-local address of a MAC. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const hex = (i: number): string => (b[i] ?? 0).toString(16).padStart(2, '0');
  const first = ((b[0] ?? 0) ^ 0x02).toString(16).padStart(2, '0');
  const group = (x: string): string => x.replace(/^0+(?=.)/, '');
  return `fe80::${group(first + hex(1))}:${group(`${hex(2)}ff`)}:${group(`fe${hex(3)}`)}:${group(hex(4) + hex(5))}`;
}

/** `GET …/qemu/{vmid}/agent/network-get-interfaces`: the agent's `{result: [...]}`. */
export function agentInterfaces(g: SimGuest): Record<string, unknown> {
  const mac = macOfGuest(g).toLowerCase();
  const v4 = ipv4Of(g);
  const addresses = [
    ...(v4 ? [{ 'ip-address-type': 'ipv4', 'ip-address': v4.ip, prefix: v4.prefix }] : []),
    { 'ip-address-type': 'ipv6', 'ip-address': linkLocal(mac), prefix: 64 },
  ];
  const stats = { 'rx-bytes': 0, 'rx-dropped': 0, 'rx-errs': 0, 'rx-packets': 0, 'tx-bytes': 0, 'tx-dropped': 0, 'tx-errs': 0, 'tx-packets': 0 };
  return {
    result: [
      { name: 'lo', 'hardware-address': '00:00:00:00:00:00', statistics: stats, 'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 },
        { 'ip-address-type': 'ipv6', 'ip-address': '::1', prefix: 128 },
      ] },
      { name: 'eth0', 'hardware-address': mac, statistics: stats, 'ip-addresses': addresses },
    ],
  };
}

/** `GET …/lxc/{vmid}/interfaces`: the container's interfaces. */
export function containerInterfaces(g: SimGuest): Record<string, unknown>[] {
  const mac = macOfGuest(g).toLowerCase();
  const v4 = ipv4Of(g);
  const v6 = linkLocal(mac);
  const eth0: Record<string, unknown> = {
    name: 'eth0', hwaddr: mac, 'hardware-address': mac, inet6: `${v6}/64`,
    'ip-addresses': [
      ...(v4 ? [{ 'ip-address': v4.ip, 'ip-address-type': 'inet', prefix: v4.prefix }] : []),
      { 'ip-address': v6, 'ip-address-type': 'inet6', prefix: 64 },
    ],
  };
  if (v4) eth0.inet = `${v4.ip}/${v4.prefix}`;
  return [
    { name: 'lo', hwaddr: '00:00:00:00:00:00', 'hardware-address': '00:00:00:00:00:00', inet: '127.0.0.1/8', inet6: '::1/128',
      'ip-addresses': [{ 'ip-address': '127.0.0.1', 'ip-address-type': 'inet', prefix: 8 }, { 'ip-address': '::1', 'ip-address-type': 'inet6', prefix: 128 }] },
    eth0,
  ];
}
