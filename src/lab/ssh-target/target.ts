/**
 * @module lab/ssh-target/target
 * One simulated SSH target on 127.0.0.1: its own ed25519 host key, package-manager
 * fixtures and `authorized_keys` in a directory of its own, served by a real OpenSSH
 * `sshd` when one is installed, else by ssh2's `Server` (`ssh2-server.ts`). Either way
 * every command runs through the same wrapper, which sets PATH to the target's fixture
 * directory only (the host's real package managers are never seen) and
 * `HOMELAB_SYSROOT` to its root directory.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { writeFixtures } from './fixtures.js';
import { generateKeyPair, type KeyPair } from './keys.js';
import type { FixturePackage, SshTargetProfile } from './profiles.js';
import { shellWord } from '../../core/shell-word.js';
import { startSsh2Server } from './ssh2-server.js';
import { startSshdServer } from './sshd-server.js';
import type { StartSshdOptions } from './sshd.js';

/** Which SSH server serves the targets: OpenSSH's sshd (its path), or ssh2's Server. */
export type SshServerChoice = { kind: 'sshd'; sshd: string } | { kind: 'ssh2' };

/** A running simulated target. */
export interface SshTargetSim {
  profile: SshTargetProfile;
  /** The server behind it. */
  server: SshServerChoice['kind'];
  host: '127.0.0.1';
  port: number;
  /** The user the server lets in (the current user). */
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
  /** The server's recent log lines, in sshd's words. */
  log(): string;
  close(): Promise<void>;
}

/**
 * Starts one target in `dir`, authorising `userKey` unless the profile says not to. An sshd
 * ends with this process however that ends (`orphaned`: what else then goes, startSshd).
 */
export async function startSshTarget(server: SshServerChoice, dir: string, profile: SshTargetProfile, userKey: KeyPair, orphaned: StartSshdOptions = {}): Promise<SshTargetSim> {
  const hostKey = generateKeyPair(join(dir, 'ssh_host_ed25519_key'), `${profile.name}-host`);
  const { bin, root, state } = writeFixtures(dir, profile);
  const authorized = profile.authorized === false ? generateKeyPair(join(dir, 'someone_else'), 'someone-else').publicLine : userKey.publicLine;
  writeFileSync(join(dir, 'authorized_keys'), `${authorized}\n`, { mode: 0o600 });
  const wrapper = join(dir, 'session.sh');
  writeFileSync(wrapper, [
    '#!/bin/sh',
    `PATH=${shellWord(bin)}; export PATH`,
    `HOMELAB_SYSROOT=${shellWord(root)}; export HOMELAB_SYSROOT`,
    'if [ -z "$SSH_ORIGINAL_COMMAND" ]; then echo "simulated target: no interactive shell" >&2; exit 1; fi',
    'exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"',
    '',
  ].join('\n'));
  chmodSync(wrapper, 0o755);
  const user = userInfo().username;
  const running = server.kind === 'sshd'
    ? await startSshdServer(server.sshd, dir, hostKey.privatePath, wrapper, orphaned)
    : await startSsh2Server({ hostKeyPath: hostKey.privatePath, authorizedKey: authorized, user, wrapper });
  return {
    profile, server: server.kind, host: '127.0.0.1', port: running.port, user, hostKey, dir,
    knownHostsLine: `[127.0.0.1]:${running.port} ${hostKey.type} ${hostKey.blob}`,
    pending: () => readFileSync(join(state, 'packages'), 'utf8').split('\n').filter(Boolean).map(parseLine),
    rebootPending: () => {
      try {
        readFileSync(join(root, 'var', 'run', 'reboot-required'));
        return true;
      } catch {
        return false;
      }
    },
    log: () => running.log(),
    close: () => running.stop(),
  };
}

function parseLine(line: string): FixturePackage {
  const [name = '', from = '', to = '', repo = '', arch = '', sec = '0', reboot = '0'] = line.split('|');
  return { name, from, to, repo, arch, security: sec === '1', reboot: reboot === '1' };
}
