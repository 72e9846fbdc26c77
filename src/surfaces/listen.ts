/**
 * @module surfaces/listen
 * Where a server of homelab's listens (the dashboard, MCP over HTTP), and why it could not.
 * The dashboard's `--host` takes an IPv6 address with
 * or without brackets (`[::1]`, `::1`): it listens on the bare address and writes it in
 * brackets in its URL. A link-local address needs its interface (its zone,
 * `fe80::1%eth0`): it is listened on as given and written `[fe80::1%25eth0]` in the URL
 * (RFC 6874, as curl takes it; browsers take no zone). A failure to listen is one line
 * naming the flag to change, with the exit code of its kind, never Node's own message: a
 * port in use or one it may not take (exit 1), an address this machine does not have or
 * cannot listen on (a link-local one without its interface, an interface it lacks, a
 * multicast address) or a name it cannot resolve (exit 2, a bad `--host`), a name lookup
 * that failed for now (exit 4).
 */
import { isIP } from 'node:net';
import { ExitCode, HomelabError, OperationError, UsageError } from '../core/errors.js';

/** `host` as `--host` may give it, brackets around an IPv6 address allowed; a UsageError for brackets around anything else. */
export function bindAddress(host: string): string {
  const bracketed = /^\[(.*)\]$/.exec(host);
  if (!bracketed) return host;
  const inner = bracketed[1] ?? '';
  if (isIP(inner) !== 6) throw new UsageError(`--host ${host}: brackets hold an IPv6 address only`, 'write an IPv4 address or a name without them (--host 127.0.0.1)');
  return inner;
}

/** The host without the brackets `--host` may put around an IPv6 address. */
const unbracketed = (host: string): string => host.replace(/^\[(.*)\]$/, '$1');

/** The host as a message shows it: an IPv6 address in brackets, its zone as typed. */
function shownHost(host: string): string {
  const bare = unbracketed(host);
  return bare.includes(':') ? `[${bare}]` : bare;
}

/** The host as a URL writes it: an IPv6 address in brackets, a zone's `%` as `%25` (RFC 6874). */
export function urlHost(host: string): string {
  return shownHost(host).replace('%', '%25');
}

/** What to do about an address the machine cannot listen on (EINVAL): a link-local one needs its interface, and that interface must exist. */
function unusableHint(host: string): string {
  const [address = '', zone] = unbracketed(host).split('%');
  if (/^fe[89ab][0-9a-f]:/i.test(address)) {
    return zone === undefined
      ? `a link-local address needs its interface: --host ${address}%eth0 (ip -br addr lists them)`
      : `this machine has no interface ${zone}: name one it has after the % (ip -br addr lists them)`;
  }
  return 'pick one it has with --host (127.0.0.1 by default)';
}

/** Why the server could not listen on `host` and `port`, in one line with what to do. */
export function listenError(err: NodeJS.ErrnoException, host: string, port: number): HomelabError {
  const where = shownHost(host);
  switch (err.code) {
    case 'EADDRINUSE':
      return new OperationError(`port ${port} is in use on ${where}`, 'pick another with --port (or stop what listens there)');
    case 'EACCES':
    case 'EPERM':
      return new OperationError(`not allowed to listen on port ${port} of ${where}`, 'pick a port above 1023 with --port');
    case 'EADDRNOTAVAIL':
      return new UsageError(`--host ${where} is not an address of this machine`, 'pick one it has with --host (127.0.0.1 by default)');
    case 'EINVAL':
      return new UsageError(`--host ${where} is not an address this machine can listen on`, unusableHint(host));
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new UsageError(`--host ${where} is neither an address nor a name this machine resolves`, 'give an address it has with --host (127.0.0.1 by default)');
    case 'EAI_AGAIN':
      return new HomelabError(`--host ${where}: the name could not be looked up just now`, ExitCode.unreachable, 'try again, or give an address with --host');
    default:
      return new OperationError(`cannot listen on ${where} port ${port} (${err.code ?? 'unknown error'})`, 'check --host and --port');
  }
}
