/**
 * @module services/updates/ssh/errors
 * What can go wrong reaching an SSH target, as typed errors: a host key that is not
 * known, changed or revoked (refused before anything is sent, with the fingerprints and
 * the command that trusts it), key authentication refused, unreachable, timed out, and
 * the connection refused, reset or dropped mid-command (`SshDropped`: a read may retry).
 */
import { AuthError, HomelabError, TimeoutError, UnreachableError } from '../../../core/errors.js';
import { shellWord } from '../../../core/shell-word.js';
import { fingerprint, hostPattern, knownHostsLine, type HostKey } from './known-hosts.js';

/** Why a host key was refused. */
export type HostKeyProblem = 'unknown' | 'changed' | 'revoked';

/** The host key did not verify against known_hosts: exit 4, nothing was sent. */
export class HostKeyError extends UnreachableError {
  override readonly name = 'HostKeyError';
  constructor(
    source: string,
    readonly problem: HostKeyProblem,
    /** `SHA256:…` of the key the host offered. */
    readonly fingerprint: string,
    readonly keyType: string,
    message: string,
    hint: string,
  ) {
    super(source, message, hint);
  }
}

/**
 * The connection was refused, reset, or dropped while a command ran: exit 4. A read may
 * be run again (`transient`); a change must not, as it may or may not have been done —
 * unless `sent` is false: the connection was gone before the command was sent.
 */
export class SshDropped extends UnreachableError {
  override readonly name = 'SshDropped';
  constructor(where: Where, reason?: string, readonly sent = true) {
    super(`ssh ${where.name}`, reason ?? `the connection to ${where.host}:${where.port} dropped while the command ran; it may or may not have completed`);
  }
}

/** Connection error codes worth a second try for a read. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Where a target is, for messages. */
export interface Where {
  name: string;
  host: string;
  port: number;
  user: string;
}

/** The error for a refused host key, with the fingerprints (offered, and known when it changed) and the fix. */
export function hostKeyError(where: Where, problem: HostKeyProblem, offered: HostKey, knownHostsPath: string, known: (HostKey & { line: number })[]): HostKeyError {
  const knownLines = known.map((k) => k.line);
  const knownKeys = known.map((k) => `${k.type} ${fingerprint(k.blob)}`).join(', ');
  const fp = fingerprint(offered.blob);
  const addr = `${where.host}:${where.port}`;
  const trust = `echo ${shellWord(knownHostsLine(where.host, where.port, offered))} >> ${shellWord(knownHostsPath)}`;
  if (problem === 'unknown') {
    return new HostKeyError(`ssh ${where.name}`, problem, fp, offered.type,
      `host key of ${addr} is not known (${offered.type} ${fp}); refused, nothing was sent`,
      `check the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_${shortType(offered.type)}_key.pub), then trust it: ${trust}`);
  }
  if (problem === 'revoked') {
    return new HostKeyError(`ssh ${where.name}`, problem, fp, offered.type,
      `host key of ${addr} (${offered.type} ${fp}) is marked @revoked in ${knownHostsPath}; refused`,
      'the host must get a new host key; do not trust this one');
  }
  return new HostKeyError(`ssh ${where.name}`, problem, fp, offered.type,
    `host key of ${addr} CHANGED: it now offers ${offered.type} ${fp}, but ${knownHostsPath} (line ${knownLines.join(', ')}) has ${knownKeys}; refused, nothing was sent (possible man-in-the-middle)`,
    `if the host was reinstalled on purpose: ssh-keygen -R ${shellWord(hostPattern(where.host, where.port))} -f ${shellWord(knownHostsPath)} && ${trust}`);
}

function shortType(type: string): string {
  return type === 'ssh-ed25519' ? 'ed25519' : type.startsWith('ecdsa') ? 'ecdsa' : type === 'ssh-rsa' ? 'rsa' : '*';
}

/** Maps an ssh2 connection error to a HomelabError. */
export function connectError(where: Where, err: unknown, timeoutMs: number, keyPath: string | undefined): HomelabError {
  if (err instanceof HomelabError) return err;
  const e = err as { level?: string; code?: string; message?: string };
  const source = `ssh ${where.name}`;
  if (e.level === 'client-authentication') {
    return new AuthError(source, `${where.host}:${where.port} refused key authentication as ${where.user}${keyPath ? ` with ${keyPath}` : ''}`,
      `add the public key (${keyPath ? `${keyPath}.pub` : 'your key'}) to ~${where.user}/.ssh/authorized_keys on ${where.name}`);
  }
  if (e.level === 'client-timeout' || /timed out/i.test(e.message ?? '')) return new TimeoutError(source, timeoutMs, 'connection');
  const code = e.code ?? '';
  const what = code || e.message || String(err);
  const message = `cannot connect to ${where.host}:${where.port}: ${what}`;
  return TRANSIENT.has(code) ? new SshDropped(where, message) : new UnreachableError(source, message);
}
