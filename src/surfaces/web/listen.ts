/**
 * @module surfaces/web/listen
 * Where the dashboard listens, and why it could not. `--host` takes an IPv6 address with
 * or without brackets (`[::1]`, `::1`): it listens on the bare address and writes it in
 * brackets in its URL. A failure to listen is one line naming the flag to change, with
 * the exit code of its kind, never Node's own message: a port in use or one it may not
 * take (exit 1), an address this machine does not have or a name it cannot resolve
 * (exit 2, a bad `--host`), a name lookup that failed for now (exit 4).
 */
import { isIP } from 'node:net';
import { ExitCode, HomelabError, OperationError, UsageError } from '../../core/errors.js';

/** `host` as `--host` may give it, brackets around an IPv6 address allowed; a UsageError for brackets around anything else. */
export function bindAddress(host: string): string {
  const bracketed = /^\[(.*)\]$/.exec(host);
  if (!bracketed) return host;
  const inner = bracketed[1] ?? '';
  if (isIP(inner) !== 6) throw new UsageError(`--host ${host}: brackets hold an IPv6 address only`, 'write an IPv4 address or a name without them (--host 127.0.0.1)');
  return inner;
}

/** The host as a URL writes it: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return bare.includes(':') ? `[${bare}]` : bare;
}

/** Why the server could not listen on `host` and `port`, in one line with what to do. */
export function listenError(err: NodeJS.ErrnoException, host: string, port: number): HomelabError {
  const where = urlHost(host);
  switch (err.code) {
    case 'EADDRINUSE':
      return new OperationError(`port ${port} is in use on ${where}`, 'pick another with --port (or stop what listens there)');
    case 'EACCES':
    case 'EPERM':
      return new OperationError(`not allowed to listen on port ${port} of ${where}`, 'pick a port above 1023 with --port');
    case 'EADDRNOTAVAIL':
      return new UsageError(`--host ${where} is not an address of this machine`, 'pick one it has with --host (127.0.0.1 by default)');
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
