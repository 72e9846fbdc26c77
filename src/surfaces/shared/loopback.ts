/**
 * @module surfaces/shared/loopback
 * Which addresses and Host headers are loopback: `serve` binds a login-free dashboard to
 * loopback only, and that dashboard then answers only a Host that names loopback (DNS
 * rebinding: a name an attacker controls never passes); `homelab mcp --http` answers only
 * such a Host too. The whole of 127.0.0.0/8 is loopback, so `--host 127.0.0.2` serves
 * `Host: 127.0.0.2:<port>` too.
 *
 * In surfaces/shared/, the home of what more than one surface uses: a surface imports only
 * its own folder and this one, never another surface's modules, so no surface loads
 * another's code or closes an import cycle with it (test/services/import-cycles.test.ts
 * holds this).
 */
import { isIP } from 'node:net';

/** Whether `host` (an address or name, IPv6 with or without brackets) is loopback. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return bare === '::1';
}

/** Whether a Host header (`name[:port]`, `[v6][:port]`) names a loopback address or `localhost`. */
export function isLoopbackHostHeader(header: string): boolean {
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::\d{1,5})?$/.exec(header.trim());
  return match?.[1] !== undefined && isLoopback(match[1]);
}
