/**
 * @module lab/ssh-target/ssh-lab
 * A set of simulated SSH targets sharing one user key and one known_hosts file, and the
 * `ssh:` config section that points homelab at them. `attachSshTargets` adds them to a
 * running lab (demo, `homelab lab`, tests) by rewriting its config.yaml. The targets
 * run on OpenSSH's sshd when it is installed, else on ssh2's Server; either way homelab
 * speaks SSH to them, checks their host keys and runs its probe over an exec channel.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { RunningLab } from '../lab.js';
import { generateKeyPair, type KeyPair } from './keys.js';
import { labProfiles, type SshTargetProfile } from './profiles.js';
import { sshServerPreference, type SshServerPreference } from './server-preference.js';
import { findSshd } from './sshd.js';
import { startSshTarget, type SshServerChoice, type SshTargetSim } from './target.js';

export type { SshServerPreference } from './server-preference.js';

/** One entry of `ssh.targets` in config.yaml. */
export interface SshTargetConfig {
  name: string;
  host: string;
  port: number;
  user: string;
  key: string;
  vmid?: number;
}

/** Running targets plus what homelab needs to reach them. */
export interface SshLab {
  dir: string;
  /** The server the targets run on. */
  server: SshServerChoice['kind'];
  targets: Map<string, SshTargetSim>;
  userKey: KeyPair;
  /** known_hosts holding every target's host key (unless left out with `unknown`). */
  knownHosts: string;
  /** The `ssh:` section of config.yaml. */
  sshConfig: { targets: SshTargetConfig[]; known_hosts: string; concurrency: number; timeout_seconds: number };
  close(): Promise<void>;
}

/** Options of `startSshLab`. */
export interface SshLabOptions {
  /** Targets to start (default: the lab inventory's). */
  profiles?: SshTargetProfile[];
  /** Targets whose host keys are left out of known_hosts. */
  unknown?: readonly string[];
  /** `ssh.timeout_seconds` in the config section (default 60). */
  timeoutSeconds?: number;
  concurrency?: number;
  /** Extra config targets that point at nothing (a guest that is down). */
  down?: readonly { name: string; port: number }[];
  /** Default: `$HOMELAB_LAB_SSH_SERVER`, else `auto`. */
  server?: SshServerPreference;
}

/** Picks the server: sshd when installed (or asked for), ssh2's Server otherwise. */
export function chooseSshServer(preference: SshServerPreference = 'auto'): SshServerChoice {
  if (preference === 'ssh2') return { kind: 'ssh2' };
  const sshd = findSshd();
  if (sshd) return { kind: 'sshd', sshd };
  if (preference === 'sshd') throw new ConfigError('the SSH targets are to run on sshd, but the OpenSSH server is not installed (/usr/sbin/sshd)', 'apt-get install -y openssh-server, or leave the choice to auto');
  return { kind: 'ssh2' };
}

/** Starts the targets, on sshd when installed and on ssh2's Server otherwise. */
export async function startSshLab(options: SshLabOptions = {}): Promise<SshLab> {
  const server = chooseSshServer(options.server ?? sshServerPreference(process.env));
  const dir = mkdtempSync(join(tmpdir(), 'homelab-ssh-'));
  const profiles = options.profiles ?? labProfiles();
  const userKey = generateKeyPair(join(dir, 'id_ed25519'), 'homelab-lab');
  const started: SshTargetSim[] = [];
  try {
    for (const profile of profiles) {
      const targetDir = join(dir, profile.name);
      mkdirSync(targetDir);
      // A lab killed outright (SIGKILL) leaves no sshd and no user key behind (startSshd).
      started.push(await startSshTarget(server, targetDir, profile, userKey, { removeWhenOrphaned: dir }));
    }
  } catch (err) {
    await Promise.all(started.map((t) => t.close()));
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, started.filter((t) => !options.unknown?.includes(t.profile.name)).map((t) => `${t.knownHostsLine}\n`).join(''));
  const targets: SshTargetConfig[] = started.map((t) => ({
    name: t.profile.name, host: t.host, port: t.port, user: t.user, key: userKey.privatePath,
    ...(t.profile.vmid ? { vmid: t.profile.vmid } : {}),
  }));
  for (const down of options.down ?? []) targets.push({ name: down.name, host: '127.0.0.1', port: down.port, user: started[0]?.user ?? 'root', key: userKey.privatePath });
  return {
    dir,
    server: server.kind,
    targets: new Map(started.map((t) => [t.profile.name, t])),
    userKey,
    knownHosts,
    sshConfig: { targets, known_hosts: knownHosts, concurrency: options.concurrency ?? 4, timeout_seconds: options.timeoutSeconds ?? 60 },
    async close() {
      await Promise.all(started.map((t) => t.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the lab's SSH targets and writes them into the running lab's config (`ssh:`). */
export async function attachSshTargets(lab: RunningLab, options: SshLabOptions = {}): Promise<SshLab> {
  const ssh = await startSshLab(options);
  lab.writeConfig({ ssh: ssh.sshConfig });
  return ssh;
}
