/**
 * @module services/updates/ssh/session
 * An SSH session to one target on ssh2 (imported lazily: it is heavy and only
 * `updates` needs it). Key authentication only; the host key must be in known_hosts —
 * unknown, changed or revoked keys are refused during the handshake, before any
 * credential or command is sent. Commands have a time limit and can stream output.
 */
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { CancelledError, TimeoutError } from '../../../core/errors.js';
import { connectError, hostKeyError, SshDropped, type HostKeyProblem, type Where } from './errors.js';
import { keyTypeOf, lookupKnownHosts, type HostKey } from './known-hosts.js';

/** How to reach and trust a target. */
export interface SessionOptions extends Where {
  /** Private key contents (OpenSSH or PEM), if a key file is used. */
  privateKey?: Buffer;
  keyPath?: string;
  /** ssh-agent socket, used when there is no key file. */
  agent?: string;
  knownHostsPath: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A command's outcome. */
export interface ExecResult {
  /** Exit status; null when the command died of a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Options of one command. */
export interface ExecOptions {
  /** Written to the command's stdin, which is then closed. */
  stdin?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Called with every complete output line (stdout and stderr) as it arrives; a line longer
   * than MAX_LINE is passed once, cut, and the rest of it up to its newline is dropped.
   */
  onLine?: (line: string) => void;
}

const MAX_OUTPUT = 2 * 1024 * 1024;

/** The longest output line passed to `onLine` (a guest may send megabytes without a newline). */
export const MAX_LINE = 4096;

/** What ends a line cut at MAX_LINE. */
export const LINE_CUT = ' … (line cut)';

const HOST_KEY_ALGORITHMS: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Every host key algorithm homelab accepts. */
const ALL_HOST_KEY_ALGORITHMS = Object.values(HOST_KEY_ALGORITHMS).flat();

/** An open, authenticated SSH connection. */
export class SshSession {
  private constructor(private readonly client: Client, private readonly where: Where) {}

  /** Connects, verifies the host key against known_hosts and authenticates with the key. */
  static async open(options: SessionOptions): Promise<SshSession> {
    const { Client: SshClient } = await import('ssh2');
    const known = lookupKnownHosts(options.knownHostsPath, options.host, options.port);
    // The known key's types first, then every other: a host that now offers only another
    // type is then refused by hostVerifier as a changed key, with its fingerprint and the fix.
    const knownTypes = known.keys.flatMap((k) => HOST_KEY_ALGORITHMS[k.type] ?? []);
    const preferred = knownTypes.length ? [...new Set([...knownTypes, ...ALL_HOST_KEY_ALGORITHMS])] : [];
    let refusal: { problem: HostKeyProblem; key: HostKey } | undefined;
    const config: ConnectConfig = {
      host: options.host,
      port: options.port,
      username: options.user,
      privateKey: options.privateKey,
      agent: options.privateKey ? undefined : options.agent,
      readyTimeout: options.timeoutMs,
      ...(preferred.length ? { algorithms: { serverHostKey: preferred as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] } } : {}),
      hostVerifier: (blob: Buffer) => {
        const offered = { type: keyTypeOf(blob), blob };
        if (known.revoked.some((k) => k.blob.equals(blob))) refusal = { problem: 'revoked', key: offered };
        else if (known.keys.some((k) => k.blob.equals(blob))) return true;
        else refusal = { problem: known.keys.length ? 'changed' : 'unknown', key: offered };
        return false;
      },
    };
    const client = new SshClient();
    return new Promise<SshSession>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => finish(new CancelledError());
      const finish = (err?: unknown): void => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        if (err === undefined) return resolve(new SshSession(client, options));
        client.end();
        if (refusal) return reject(hostKeyError(options, refusal.problem, refusal.key, options.knownHostsPath, known.keys));
        reject(connectError(options, err, options.timeoutMs, options.keyPath));
      };
      if (options.signal?.aborted) return finish(new CancelledError());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      client.once('ready', () => finish());
      client.on('error', (err) => finish(err));
      client.once('close', () => finish(new Error('connection closed during the handshake')));
      try {
        client.connect(config);
      } catch (err) {
        finish(err);
      }
    });
  }

  /**
   * Runs a command; rejects with TimeoutError (and drops the connection) when it runs too
   * long, and with SshDropped when the connection goes before the command's exit status
   * came (it may or may not have finished) or had already gone (`sent` false: it never ran).
   */
  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      let stdout = '';
      let stderr = '';
      const partial = { out: '', err: '' };
      // A line cut at MAX_LINE: the rest of it, up to its newline, is dropped.
      const cut = { out: false, err: false };
      let done = false;
      const onDrop = (): void => end(new SshDropped(this.where));
      const end = (err?: Error, result?: ExecResult): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.client.off('close', onDrop);
        this.client.off('error', onDrop);
        options.signal?.removeEventListener('abort', onAbort);
        if (err) {
          this.client.end();
          reject(err);
        } else resolve(result as ExecResult);
      };
      const onAbort = (): void => end(new CancelledError());
      const timer = setTimeout(() => end(new TimeoutError(`ssh ${this.where.name}`, options.timeoutMs, `command`)), options.timeoutMs);
      if (options.signal?.aborted) return end(new CancelledError());
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.client.once('close', onDrop);
      this.client.once('error', onDrop);
      const emit = (line: string): void => {
        options.onLine?.(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}${LINE_CUT}` : line.replace(/\r$/, ''));
      };
      // Linear in the output: a pending partial line never grows past MAX_LINE.
      const feed = (which: 'out' | 'err', chunk: string): void => {
        if (!options.onLine) return;
        const pieces = chunk.split('\n');
        const last = pieces.pop() ?? '';
        for (const piece of pieces) {
          if (!cut[which]) emit(partial[which] + piece);
          partial[which] = '';
          cut[which] = false;
        }
        if (cut[which]) return;
        partial[which] += last;
        if (partial[which].length > MAX_LINE) {
          emit(partial[which]);
          partial[which] = '';
          cut[which] = true;
        }
      };
      const started = (err: Error | undefined, stream: ClientChannel): void => {
        if (err) return end(connectError(this.where, err, options.timeoutMs, undefined));
        stream.setEncoding('utf8');
        stream.stderr.setEncoding('utf8');
        stream.on('data', (chunk: string) => { if (stdout.length < MAX_OUTPUT) stdout += chunk; feed('out', chunk); });
        stream.stderr.on('data', (chunk: string) => { if (stderr.length < MAX_OUTPUT) stderr += chunk; feed('err', chunk); });
        stream.on('close', (code: number | null | undefined, signal?: string) => {
          for (const rest of [partial.out, partial.err]) if (rest) emit(rest);
          // No exit status and no signal: the channel closed because the connection did.
          if (code === undefined && signal === undefined) return end(new SshDropped(this.where));
          end(undefined, { code: code ?? null, signal: signal ?? null, stdout, stderr });
        });
        stream.end(options.stdin ?? '');
      };
      try {
        this.client.exec(command, started);
      } catch {
        // ssh2 throws "Not connected" when the connection went while no command ran.
        end(new SshDropped(this.where, `the connection to ${this.where.host}:${this.where.port} had dropped; the command was not sent`, false));
      }
    });
  }

  /** Closes the connection. */
  close(): void {
    this.client.end();
  }
}
