/**
 * @module lab/ssh-target/ssh2-server
 * The SSH server of a simulated target on a machine without OpenSSH's sshd: ssh2's own
 * `Server` on 127.0.0.1 speaking the real protocol. Its ed25519 host key is the one
 * known_hosts holds; it accepts public-key authentication only, for the current user
 * and the one authorised key, and verifies the signature as ssh2's documentation
 * shows. An exec request runs through the same wrapper sshd's `ForceCommand` runs
 * (PATH = the fixture bin directory, `HOMELAB_SYSROOT`), with stdin, stdout, stderr and
 * the exit status relayed; shell, pty and subsystem requests are refused. It logs in
 * sshd's words (`Accepted publickey for …`, `Disconnected from … [preauth]`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
// ssh2 is CommonJS: Node's ESM loader gives it as a default export only.
import ssh2, { type Connection, type ParsedKey, type PublicKeyAuthContext, type ServerChannel } from 'ssh2';
import { fingerprint } from '../../services/updates/ssh/known-hosts.js';
import { killGroup } from './kill-group.js';

const { Server, utils } = ssh2;

/** What the server needs. */
export interface Ssh2ServerOptions {
  /** Private host key file (OpenSSH format). */
  hostKeyPath: string;
  /** The one `authorized_keys` line it accepts. */
  authorizedKey: string;
  /** The only user name it lets in. */
  user: string;
  /** The session wrapper (`SSH_ORIGINAL_COMMAND` in its environment, as sshd sets it). */
  wrapper: string;
}

/** A listening ssh2 server. */
export interface Ssh2ServerProcess {
  port: number;
  /** Last lines it logged. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the server on a free port of 127.0.0.1. */
export async function startSsh2Server(options: Ssh2ServerOptions): Promise<Ssh2ServerProcess> {
  const allowed = utils.parseKey(options.authorizedKey);
  if (allowed instanceof Error) throw new Error(`authorised key does not parse: ${allowed.message}`);
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
    if (lines.length > 200) lines.shift();
  };
  const connections = new Set<Connection>();
  const children = new Set<ChildProcess>();
  const server = new Server({ hostKeys: [readFileSync(options.hostKeyPath)] }, (client, info) => {
    const from = `${info.ip} port ${info.port}`;
    let user: string | undefined;
    connections.add(client);
    log(`Connection from ${from} on 127.0.0.1 port ${port}`);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
      const verdict = checkKey(ctx, allowed, options.user);
      const what = `publickey for ${ctx.username} from ${from} ssh2: ${keyLabel(ctx.key.algo)} ${fingerprint(ctx.key.data)}`;
      if (verdict === 'refuse') {
        log(`Failed ${what}`);
        return ctx.reject(['publickey']);
      }
      if (verdict === 'query') return ctx.accept();
      log(`Accepted ${what}`);
      user = ctx.username;
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('pty', (_accept, reject) => reject?.());
        session.on('shell', (_accept, reject) => reject?.());
        session.on('subsystem', (_accept, reject) => reject?.());
        session.on('x11', (_accept, reject) => reject?.());
        session.on('auth-agent', (_accept, reject) => reject?.());
        session.on('env', (_accept, reject) => reject?.());
        session.once('exec', (acceptExec, _reject, request) => {
          runCommand(acceptExec(), request.command, options, user ?? options.user, from, children);
        });
      });
    });
    client.on('error', () => undefined);
    client.on('close', () => {
      connections.delete(client);
      log(user ? `Disconnected from user ${user} ${from}` : `Disconnected from ${from} [preauth]`);
    });
  });
  server.on('error', (err: Error) => log(`error: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log(`Server listening on 127.0.0.1 port ${port}.`);
  return {
    port,
    log: () => lines.join('\n'),
    async stop() {
      for (const child of children) killGroup(child, 'SIGKILL');
      for (const client of connections) client.end();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `accept` for a signed request with the authorised key, `query` for an unsigned probe of it, else `refuse`. */
function checkKey(ctx: PublicKeyAuthContext, allowed: ParsedKey, user: string): 'accept' | 'query' | 'refuse' {
  const wanted = allowed.getPublicSSH();
  const sameKey = ctx.key.algo === allowed.type && ctx.key.data.length === wanted.length && timingSafeEqual(ctx.key.data, wanted);
  if (ctx.username !== user || !sameKey) return 'refuse';
  if (!ctx.signature || !ctx.blob) return 'query';
  return allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) === true ? 'accept' : 'refuse';
}

/** Runs `command` through the wrapper, relaying stdin, stdout, stderr and the exit status. */
function runCommand(stream: ServerChannel, command: string, options: Ssh2ServerOptions, user: string, from: string, children: Set<ChildProcess>): void {
  const child = spawn(options.wrapper, [], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: {
      SSH_ORIGINAL_COMMAND: command,
      SSH_CONNECTION: `${from.replace(' port ', ' ')} 127.0.0.1`,
      USER: user,
      LOGNAME: user,
      HOME: process.env.HOME ?? '/',
      SHELL: '/bin/sh',
      PATH: '/usr/bin:/bin',
    },
  });
  children.add(child);
  child.stdin.on('error', () => undefined);
  stream.on('data', (chunk: Buffer) => child.stdin.write(chunk));
  stream.on('end', () => child.stdin.end());
  child.stdout.on('data', (chunk: Buffer) => stream.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => stream.stderr.write(chunk));
  child.on('error', (err) => {
    children.delete(child);
    stream.stderr.write(`${err.message}\n`);
    stream.exit(127);
    stream.end();
  });
  child.on('close', (code, signal) => {
    children.delete(child);
    if (code !== null) stream.exit(code);
    else stream.exit((signal ?? 'KILL').replace(/^SIG/, ''), false, '');
    stream.end();
  });
  // The client hung up (a command timeout): end the command as sshd's session would.
  stream.on('close', () => {
    if (children.has(child)) killGroup(child, 'SIGKILL');
  });
}

function keyLabel(algo: string): string {
  return algo === 'ssh-ed25519' ? 'ED25519' : algo.startsWith('ecdsa') ? 'ECDSA' : algo.includes('rsa') ? 'RSA' : algo.toUpperCase();
}
