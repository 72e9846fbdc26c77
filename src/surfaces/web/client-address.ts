/**
 * @module surfaces/web/client-address
 * Who is signing in: the address the login rate limit counts. Behind a reverse proxy every
 * visitor arrives from the proxy's address, so the proxy's `X-Forwarded-For` names the
 * client; but anyone can send that header, and believing a forged one would let an
 * attacker pose as a fresh address on every try. So it is read only when the peer is a
 * proxy this dashboard trusts: one given with `--trust-proxy` (addresses or CIDR ranges).
 * Loopback is not trusted unless named (`--trust-proxy 127.0.0.1` for a proxy on the same
 * machine): a visitor that reaches the dashboard through a tunnel (`ssh -L`, socat) arrives
 * from loopback too, and could otherwise name any address on every try. For the same reason
 * a trusted range must hold proxies only. The header is read from the right: each trusted hop
 * is skipped, and the first address that is not trusted is the client.
 *
 * A login-free dashboard serves this machine only, so it refuses a request that came through
 * a reverse proxy (`relayed`): from a trusted proxy, or carrying a proxy's headers. A proxy on
 * the same machine would otherwise hand every remote visitor the local user's session. This
 * is a best effort: a proxy that adds no header and is not named with `--trust-proxy` looks
 * like a local browser.
 *
 * `X-Forwarded-Proto` (security `viaHttps`) is believed from any peer on purpose: a forged
 * `https` only makes the sender's own cookies `Secure`. A forged `X-Forwarded-For` would
 * dodge the rate limit, hence the trust rule here.
 */
import { BlockList, isIP } from 'node:net';

/** Which peers may say who the client is. */
export class TrustedProxies {
  private readonly list = new BlockList();

  /** `entries`: addresses (`10.5.0.2`, `fd00::2`, `127.0.0.1`) or CIDR ranges (`10.5.0.0/24`); nothing else is trusted, loopback neither. */
  constructor(readonly entries: readonly string[] = []) {
    for (const entry of entries) {
      const parsed = parseTrusted(entry);
      if (!parsed) throw new Error(`not an address or CIDR range: ${entry}`);
      if (parsed.prefix === undefined) this.list.addAddress(parsed.address, parsed.family);
      else this.list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** Whether `address` is a trusted proxy. */
  has(address: string): boolean {
    const bare = plain(address);
    const family = isIP(bare);
    return family !== 0 && this.list.check(bare, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** An address or CIDR range, or undefined when `entry` is neither. */
export function parseTrusted(entry: string): { address: string; prefix?: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  const family = isIP(address);
  if (family === 0 || rest.length) return undefined;
  const kind = family === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, family: kind };
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  return prefix <= (family === 4 ? 32 : 128) ? { address, prefix, family: kind } : undefined;
}

/** An IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`) as plain IPv4; others as they are. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the last address in
 * `X-Forwarded-For` that is not itself a trusted proxy. An entry that is not an address ends
 * the walk at the hop that sent it.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  let client = plain(peer ?? 'unknown');
  if (!trusted.has(client) || !forwardedFor) return client;
  const hops = forwardedFor.split(',').map((h) => plain(h.trim().replace(/^\[(.*)\]$/, '$1')));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) break;
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return client;
}

/**
 * Headers a reverse proxy adds to say whom and what it relays (nginx with the usual
 * `proxy_set_header` lines, Nginx Proxy Manager, Caddy, Traefik, HAProxy's `forwardfor`,
 * any proxy that sets `Via`). A proxy that adds none (a bare nginx `proxy_pass`) cannot be
 * told from a browser on this machine: the README says to set a login before putting one in front.
 */
const RELAY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-server', 'via'] as const;

/**
 * Whether a request came through a reverse proxy: its peer is a trusted one, or it carries a
 * proxy's headers (a program on this machine that sends them only loses what it could get
 * without them).
 */
export function relayed(peer: string | undefined, header: (name: string) => string | undefined, trusted: TrustedProxies): boolean {
  return (peer !== undefined && trusted.has(peer)) || RELAY_HEADERS.some((name) => header(name) !== undefined);
}
