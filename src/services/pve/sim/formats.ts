/**
 * @module services/pve/sim/formats
 * PVE's named parameter formats (`pve-vmid`, `pve-node`, `pve-configid`, …; rules and
 * messages from pve-common's `PVE::JSONSchema` and pve-storage) and the translation of
 * the schema's Perl regexes to JavaScript. A named format the simulator does not know
 * is accepted (see docs/pve-simulator.md).
 */
import { isIPv4, isIPv6 } from 'node:net';

type FormatCheck = (value: string) => string | undefined;

/** An IPv4 address with a prefix length (`10.5.0.30/24`). */
function cidr4(v: string): boolean {
  const m = /^(.+)\/(\d{1,2})$/.exec(v);
  return m !== null && isIPv4(m[1] as string) && Number(m[2]) <= 32;
}

const CONTENT_TYPES = new Set(['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import', 'none']);
const ID_RE = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;

/** Named formats: each returns the error text (as the Perl `die` message) or undefined. */
const named: Record<string, FormatCheck> = {
  'pve-node': (v) => (/^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/.test(v) ? undefined : 'value does not look like a valid node name'),
  'pve-vmid': (v) => (/^[1-9][0-9]{2,8}$/.test(v) ? undefined : 'value does not look like a valid VM ID'),
  'pve-configid': (v) => (/^[a-z][a-z0-9_-]+$/i.test(v) ? undefined : `invalid configuration ID '${v}'`),
  'pve-storage-id': (v) => (ID_RE.test(v) ? undefined : `storage ID '${v}' contains illegal characters`),
  'pve-realm': (v) => (ID_RE.test(v) ? undefined : `realm ID '${v}' contains illegal characters`),
  'pve-storage-content': (v) => (CONTENT_TYPES.has(v) ? undefined : `invalid content type '${v}'`),
  'pve-task-status-type': (v) => (/^(ok|error|warning|unknown)$/i.test(v) ? undefined : `invalid status type '${v}'`),
  'pve-priv': (v) => (/^[A-Z][A-Za-z]*\.[A-Za-z.]+$/.test(v) ? undefined : `invalid privilege '${v}'`),
  'dns-name': (v) => (/^(([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)\.)*([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/.test(v) ? undefined : 'value does not look like a valid DNS name'),
  CIDR: (v) => {
    const m = /^(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]+)\/(\d+)$/.exec(v);
    const bits = Number(m?.[2]);
    const max = m?.[1]?.includes(':') ? 128 : 32;
    return m && bits > 7 && bits <= max ? undefined : 'value does not look like a valid CIDR network';
  },
  // Guest lifecycle formats (cloud-init and container networks, sshkeys).
  urlencoded: (v) => (/^[-%a-zA-Z0-9_.!~*'()]*$/.test(v) ? undefined : `invalid urlencoded string: ${v}`),
  ipv4: (v) => (isIPv4(v) ? undefined : `value does not look like a valid IPv4 address`),
  ipv6: (v) => (isIPv6(v) ? undefined : `value does not look like a valid IPv6 address`),
  'pve-ipv4-config': (v) => (v === 'dhcp' || v === 'manual' || cidr4(v) ? undefined : 'value does not look like a valid ipv4 network configuration'),
  'pve-ipv6-config': (v) => (['auto', 'dhcp', 'manual'].includes(v) || /^[0-9a-fA-F:]+\/\d+$/.test(v) ? undefined : 'value does not look like a valid ipv6 network configuration'),
  'mac-addr': (v) => (/^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i.test(v) ? undefined : `value '${v}' does not look like a valid unicast MAC address`),
  'pve-qm-ipconfig': (v) => {
    const parts = new Map<string, string>();
    for (const part of v.split(',')) {
      const [key, value] = part.split('=', 2);
      if (!key || value === undefined || !['ip', 'gw', 'ip6', 'gw6'].includes(key)) return `invalid format - unknown key '${part}'`;
      parts.set(key, value);
    }
    const ip = parts.get('ip');
    if (ip !== undefined && ip !== 'dhcp' && !cidr4(ip)) return `ip: invalid format - value does not look like a valid ipv4 network configuration`;
    const gw = parts.get('gw');
    if (gw !== undefined && !isIPv4(gw)) return `gw: value does not look like a valid IPv4 address`;
    if (gw !== undefined && (ip === undefined || ip === 'dhcp')) return ip === 'dhcp' ? 'gateway specified together with DHCP' : 'gateway specified without specifying an IP address';
    return undefined;
  },
  'storage-pair': (v) => {
    if (v === '1') return undefined;
    const ids = v.includes(':') ? v.split(':') : [v];
    const bad = ids.find((id) => !ID_RE.test(id));
    return ids.length <= 2 && !bad ? undefined : `entry '${v}' contains invalid ID - storage ID '${bad ?? v}' contains illegal characters`;
  },
};

/** PVE's `split_list`: items separated by `,`, `;`, whitespace (or NUL). */
export function splitList(value: string): string[] {
  const text = value.trim();
  if (text === '') return [];
  return text.includes('\0') ? text.split('\0') : text.split(/[,;\s]+/).filter((x) => x !== '');
}

/** Checks a value against a named format (`-list` variants check every item); returns the error text. */
export function checkNamedFormat(format: string, value: string): string | undefined {
  const list = /^(.*)-a?list$/.exec(format);
  if (list) {
    const check = named[list[1] ?? ''];
    if (!check) return undefined;
    for (const item of splitList(value)) {
      const err = check(item);
      if (err) return err;
    }
    return undefined;
  }
  if (format.endsWith('-opt') && value === '') return undefined;
  return named[format.replace(/-opt$/, '')]?.(value);
}

/**
 * A schema pattern as PVE applies it (`m/^${pattern}$/`), in JavaScript: stringified Perl
 * groups `(?^:…)` / `(?^i:…)` and atomic groups `(?>…)` become plain groups (`i` makes the
 * whole pattern case-insensitive).
 */
export function perlPattern(pattern: string): RegExp {
  const insensitive = pattern.includes('(?^i:');
  const js = pattern.replace(/\(\?\^i?:/g, '(?:').replace(/\(\?>/g, '(?:');
  return new RegExp(`^${js}$`, insensitive ? 'i' : '');
}
