/**
 * @module lab/ssh-target/target
 * One simulated SSH target: a real `sshd` on 127.0.0.1 with its own host key and
 * config in a directory of its own, accepting only the given user key. Every command
 * runs through a wrapper (`ForceCommand`) that sets the target's PATH to its fixture
 * directory only, so the host's real package managers are never seen.
 */
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { writeFixtures } from './fixtures.js';
import { generateKeyPair, type KeyPair } from './keys.js';
import type { FixturePackage, SshTargetProfile } from './profiles.js';
import { freePort, sshdVersion, startSshd, type SshdProcess } from './sshd.js';

/** A running simulated target. */
export interface SshTargetSim {
  profile: SshTargetProfile;
  host: '127.0.0.1';
  port: number;
  /** The user sshd lets in (the current user). */
  user: string;
  /** Its host key (public). */
  hostKey: KeyPair;
  /** The known_hosts line for it: `[127.0.0.1]:PORT ssh-ed25519 AAAA…`. */
  knownHostsLine: string;
  dir: string;
  /** Pending packages as the fixture state holds them now. */
  pending(): FixturePackage[];
  /** Whether the target's reboot-required file exists. */
  rebootPending(): boolean;
  /** sshd's recent log lines. */
  log(): string;
  close(): Promise<void>;
}

/** Starts one target in `dir`, authorising `userKey` unless the profile says not to. */
export async function startSshTarget(sshd: string, dir: string, profile: SshTargetProfile, userKey: KeyPair): Promise<SshTargetSim> {
  const hostKey = await generateKeyPair(join(dir, 'ssh_host_ed25519_key'), `${profile.name}-host`);
  const { bin, root, state } = writeFixtures(dir, profile);
  const authorized = profile.authorized === false ? (await generateKeyPair(join(dir, 'someone_else'), 'someone-else')).publicLine : userKey.publicLine;
  writeFileSync(join(dir, 'authorized_keys'), `${authorized}\n`, { mode: 0o600 });
  const wrapper = join(dir, 'session.sh');
  writeFileSync(wrapper, [
    '#!/bin/sh',
    `PATH='${bin}'; export PATH`,
    `HOMELAB_SYSROOT='${root}'; export HOMELAB_SYSROOT`,
    'if [ -z "$SSH_ORIGINAL_COMMAND" ]; then echo "simulated target: no interactive shell" >&2; exit 1; fi',
    'exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"',
    '',
  ].join('\n'));
  chmodSync(wrapper, 0o755);
  const [major, minor] = sshdVersion(sshd);
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const configPath = join(dir, 'sshd_config');
    writeFileSync(configPath, sshdConfig(dir, port, hostKey.privatePath, wrapper, major * 100 + minor >= 908));
    let proc: SshdProcess;
    try {
      proc = await startSshd(sshd, configPath);
    } catch (err) {
      lastError = err as Error;
      if (/bind|address already in use/i.test(lastError.message)) continue;
      throw err;
    }
    return {
      profile, host: '127.0.0.1', port, user: userInfo().username, hostKey, dir,
      knownHostsLine: `[127.0.0.1]:${port} ${hostKey.type} ${hostKey.blob}`,
      pending: () => readFileSync(join(state, 'packages'), 'utf8').split('\n').filter(Boolean).map(parseLine),
      rebootPending: () => {
        try {
          readFileSync(join(root, 'var', 'run', 'reboot-required'));
          return true;
        } catch {
          return false;
        }
      },
      log: () => proc.log(),
      close: () => proc.stop(),
    };
  }
  throw lastError ?? new Error('sshd could not bind a port');
}

function sshdConfig(dir: string, port: number, hostKey: string, wrapper: string, hasPenalties: boolean): string {
  return [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'PermitTTY no',
    'MaxStartups 50',
    'LogLevel INFO',
    `ForceCommand ${wrapper}`,
    ...(hasPenalties ? ['PerSourcePenalties no'] : []),
    '',
  ].join('\n');
}

function parseLine(line: string): FixturePackage {
  const [name = '', from = '', to = '', repo = '', arch = '', sec = '0', reboot = '0'] = line.split('|');
  return { name, from, to, repo, arch, security: sec === '1', reboot: reboot === '1' };
}
