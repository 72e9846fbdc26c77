/**
 * @module test/services/updates/scripted-guest
 * A guest that misbehaves on purpose, on ssh2's Server on 127.0.0.1 (the real protocol):
 * its ed25519 host key (or one it is told to offer), public-key authentication with the
 * lab's user key (the signature verified), and every exec request answered by the test's
 * own handler, which sees the command and its stdin and writes, exits, is killed or drops
 * the connection as the case needs. `runSh` runs a request in a real `sh`, with the
 * environment a guest's login gives (its locale, a bin folder of fake package managers).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type Connection, type ServerChannel } from 'ssh2';
import { generateKeyPair, type KeyPair } from '../../../src/lab/ssh-target/keys.js';

/** One exec request: its command and everything written to its stdin. */
export interface GuestRequest {
  command: string;
  stdin: string;
}

/** Answers one request on its channel; `drop` cuts the whole connection. */
export type GuestHandler = (request: GuestRequest, channel: ServerChannel, drop: () => void) => void;

/** A running scripted guest. */
export interface ScriptedGuest {
  port: number;
  /** The host key it offers, as a known_hosts line for 127.0.0.1:port. */
  knownHostsLine: string;
  /** The user key it accepts. */
  userKey: KeyPair;
  /** Every command it was asked to run, in order. */
  commands: string[];
  /** The handler for the next requests. */
  handle: GuestHandler;
  close(): Promise<void>;
}

/** Starts a guest on a free port of 127.0.0.1, answering with `handle` (replaceable). */
export async function startScriptedGuest(handle: GuestHandler): Promise<ScriptedGuest> {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-guest-'));
  const userKey = generateKeyPair(join(dir, 'id_ed25519'), 'homelab-test');
  const hostKey = generateKeyPair(join(dir, 'host_ed25519'), 'host');
  const allowed = ssh2.utils.parseKey(readFileSync(`${userKey.privatePath}.pub`));
  if (allowed instanceof Error) throw allowed;
  const connections = new Set<Connection>();
  const guest: ScriptedGuest = {
    port: 0, knownHostsLine: '', userKey, commands: [], handle,
    close: () => new Promise<void>((resolve) => {
      for (const c of connections) c.end();
      server.close(() => { rmSync(dir, { recursive: true, force: true }); resolve(); });
    }),
  };
  const server = new ssh2.Server({ hostKeys: [readFileSync(hostKey.privatePath)] }, (client) => {
    connections.add(client);
    client.on('error', () => undefined);
    client.on('close', () => connections.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || !ctx.key.data.equals(allowed.getPublicSSH())) return ctx.reject(['publickey']);
      if (!ctx.signature) return ctx.accept();
      if (!ctx.blob || allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(['publickey']);
      ctx.accept();
    });
    client.on('ready', () => client.on('session', (accept) => {
      accept().on('exec', (acceptExec, _reject, info) => {
        const channel = acceptExec();
        guest.commands.push(info.command);
        let stdin = '';
        channel.on('data', (d: Buffer) => { stdin += d.toString(); });
        channel.on('error', () => undefined);
        channel.once('end', () => guest.handle({ command: info.command, stdin }, channel, () => client.end()));
      });
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  guest.port = (server.address() as AddressInfo).port;
  guest.knownHostsLine = `[127.0.0.1]:${guest.port} ${hostKey.type} ${hostKey.blob}`;
  return guest;
}

/** Answers with `stdout` (and `stderr`), then exit `code`. */
export function answer(channel: ServerChannel, stdout: string, code = 0, stderr = ''): void {
  if (stdout) channel.write(stdout);
  if (stderr) channel.stderr.write(stderr);
  channel.exit(code);
  channel.end();
}

/** Runs the request in a real `sh` (the probe on stdin of `sh -s`), relaying output and exit status. */
export function runSh(request: GuestRequest, channel: ServerChannel, env: NodeJS.ProcessEnv): void {
  const child = spawn('sh', ['-c', request.command], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdout.on('data', (d: Buffer) => channel.write(d));
  child.stderr.on('data', (d: Buffer) => channel.stderr.write(d));
  child.on('close', (code) => { channel.exit(code ?? 1); channel.end(); });
  child.stdin.end(request.stdin);
}

/** A probe answer as the probe script prints it, for an apt guest. */
export function aptProbe(list: string, options: { listRc?: number; reboot?: 'yes' | 'no' } = {}): string {
  return `@@pm apt\n@@os\nPRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n@@list\nListing...\n${list}@@rc ${options.listRc ?? 0}\n@@reboot\n${options.reboot ?? 'no'}\n@@end\n`;
}

/** One upgradable package as `apt list --upgradable` prints it. */
export const OPENSSL = 'openssl/stable-security 3.5.1-1+deb13u1 amd64 [upgradable from: 3.5.1-1]\n';
