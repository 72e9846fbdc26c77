/**
 * The SSH server a bare machine's lab runs on (ssh2's Server), tested whether or not
 * OpenSSH is installed, so both servers stay covered wherever the suite runs: an SSH
 * client checks its host key, authenticates with the user key (another key, the user
 * key with a forged signature, and the user key for another user name are refused), and gets exit status, stdout, stderr and stdin relayed through the
 * fixture wrapper's environment; shell and pty requests are refused.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { Client, type ConnectConfig, type ParsedKey, type PublicKeyAuthMethod } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshLab, type SshLab, type SshTargetSim } from '../../../src/lab/ssh-target/index.js';
import { generateKeyPair } from '../../../src/lab/ssh-target/keys.js';
import type { UpdatesReport } from '../../../src/services/updates/index.js';
import { exec, runSettled, sshConfig, testContext } from './ssh-env.js';

const debian = { id: 'debian', prettyName: 'Debian GNU/Linux 13 (trixie)' };

/** Connects as the target's user with `key`, accepting only the target's host key. */
function connect(t: SshTargetSim, key: Buffer): Promise<Client> {
  const client = new Client();
  const config: ConnectConfig = {
    host: t.host, port: t.port, username: t.user, privateKey: key, readyTimeout: 5000,
    hostVerifier: (blob: Buffer) => blob.equals(Buffer.from(t.hostKey.blob, 'base64')),
  };
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect(config);
  });
}

/** Connects as `username` offering `key` (a parsed key, whose `sign` the caller may have replaced). */
function connectAs(t: SshTargetSim, username: string, key: ParsedKey): Promise<Client> {
  const client = new Client();
  const method: PublicKeyAuthMethod = { type: 'publickey', username, key };
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({
      host: t.host, port: t.port, username, readyTimeout: 5000,
      hostVerifier: (blob: Buffer) => blob.equals(Buffer.from(t.hostKey.blob, 'base64')),
      authHandler: [method],
    });
  });
}

/** A key file parsed by ssh2. */
function parsedKey(path: string): ParsedKey {
  const key = ssh2.utils.parseKey(readFileSync(path));
  if (key instanceof Error) throw key;
  return key;
}

describe("simulated targets on ssh2's Server", () => {
  let ssh: SshLab;
  let web: SshTargetSim;
  let client: Client;

  beforeAll(async () => {
    ssh = await startSshLab({
      server: 'ssh2',
      unknown: ['moved'],
      profiles: [
        { name: 'web', manager: 'apt', os: debian, packages: [{ name: 'openssl', from: '3.5.1-1', to: '3.5.1-1+deb13u1', repo: 'stable-security', security: true }], rebootRequired: true },
        { name: 'locked', manager: 'apt', os: debian, packages: [], authorized: false },
        { name: 'moved', manager: 'apt', os: debian, packages: [] },
      ],
    });
    const target = ssh.targets.get('web');
    if (!target) throw new Error('no web target');
    web = target;
    client = await connect(web, readFileSync(ssh.userKey.privatePath));
  });
  afterAll(async () => {
    client?.end();
    await ssh?.close();
  });

  it('runs every target on ssh2 when asked, whatever is installed', () => {
    expect(ssh.server).toBe('ssh2');
    expect([...ssh.targets.values()].map((t) => t.server)).toEqual(['ssh2', 'ssh2', 'ssh2']);
  });

  it('relays exit status, stdout and stderr', async () => {
    expect(await exec(client, 'echo out; echo err >&2; exit 7')).toEqual({ code: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('relays stdin to the command (the probe is sent as `sh -s`)', async () => {
    expect(await exec(client, 'sh -s', 'echo "from stdin: $((6 * 7))"\n')).toMatchObject({ code: 0, stdout: 'from stdin: 42\n' });
  });

  it("runs commands in the wrapper's environment: the fixture bin directory only, and the target's root", async () => {
    const r = await exec(client, 'echo "$PATH|$HOMELAB_SYSROOT"; cat "$HOMELAB_SYSROOT/etc/os-release"; apt list --upgradable 2>/dev/null; command -v dnf || echo no-dnf');
    expect(r.stdout.split('\n')[0]).toBe(`${join(web.dir, 'bin')}|${join(web.dir, 'root')}`);
    expect(r.stdout).toContain('PRETTY_NAME="Debian GNU/Linux 13 (trixie)"');
    expect(r.stdout).toContain('openssl/stable-security 3.5.1-1+deb13u1 amd64 [upgradable from: 3.5.1-1]');
    expect(r.stdout).toContain('no-dnf');
  });

  it('refuses an interactive shell and a pty', async () => {
    const shell = await new Promise<Error | undefined>((resolve) => client.shell(false, (err) => resolve(err)));
    expect(shell?.message).toBe('Unable to open shell');
    const pty = await new Promise<Error | undefined>((resolve) => client.exec('true', { pty: true }, (err) => resolve(err)));
    expect(pty?.message).toBe('Unable to request a pseudo-terminal');
  });

  it('refuses a key that is not authorised, and logs it in sshd\'s words', async () => {
    const other = readFileSync(join(web.dir, 'ssh_host_ed25519_key'));
    await expect(connect(web, other)).rejects.toThrow(/authentication methods failed/);
    expect(web.log()).toMatch(/Failed publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: ED25519 SHA256:/);
    expect(web.log()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1 port \d+ ssh2: ED25519 SHA256:/);
  });

  it('refuses the authorised public key offered with a signature made by another key (a forged signature)', async () => {
    const forged = parsedKey(ssh.userKey.privatePath);
    const attacker = parsedKey(join(web.dir, 'ssh_host_ed25519_key'));
    forged.sign = (data: Buffer | string, algo?: string): Buffer => attacker.sign(data, algo);
    const logged = web.log().split('\n').length;
    await expect(connectAs(web, web.user, forged)).rejects.toThrow(/authentication methods failed/);
    const lines = web.log().split('\n').slice(logged).join('\n');
    expect(lines).toMatch(new RegExp(`Failed publickey for ${web.user} from 127\\.0\\.0\\.1 port \\d+ ssh2: ED25519 SHA256:`));
    expect(lines).not.toMatch(/Accepted publickey/);
    // The same key signing for itself gets in: it was the signature that was refused.
    (await connectAs(web, web.user, parsedKey(ssh.userKey.privatePath))).end();
  });

  it('refuses the authorised key for any user name but the one it is authorised for', async () => {
    const logged = web.log().split('\n').length;
    const other = `${web.user}x`;
    await expect(connectAs(web, other, parsedKey(ssh.userKey.privatePath))).rejects.toThrow(/authentication methods failed/);
    const lines = web.log().split('\n').slice(logged).join('\n');
    expect(lines).toContain(`Failed publickey for ${other} from 127.0.0.1`);
    expect(lines).not.toMatch(/Accepted publickey/);
  });

  it('serves updates check: findings on the good target, key auth refused on one, unknown host key on another', async () => {
    const { ctx } = testContext(sshConfig(ssh));
    const { result: report, failure } = await runSettled<UpdatesReport>('updates.check', {}, ctx);
    expect(failure?.exitCode).toBe(4);
    expect(report.targets.map((t) => [t.name, t.ok, t.error?.exitCode ?? 0])).toEqual([['web', true, 0], ['locked', false, 5], ['moved', false, 4]]);
    expect(report.targets[0]).toMatchObject({ manager: 'apt', counts: { total: 1, security: 1 }, rebootRequired: true });
    expect(ssh.targets.get('moved')?.log()).not.toMatch(/publickey/);
  });
});

describe('lab key pairs', () => {
  it('are always well-formed ed25519 pairs (ssh2\'s generator makes a malformed one about once in 256)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-keys-'));
    try {
      const unreadable: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const pair = generateKeyPair(join(dir, `k${i}`), 'test');
        const parsed = ssh2.utils.parseKey(readFileSync(pair.privatePath));
        if (parsed instanceof Error || Buffer.from(pair.blob, 'base64').length !== 51) unreadable.push(pair.publicLine);
      }
      expect(unreadable).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
