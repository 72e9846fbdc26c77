/**
 * @module lab/ssh-target/profiles
 * What a simulated SSH target is: its package manager, OS, pending packages and
 * quirks (slow commands, a key that is not authorised). `labProfiles` derives the lab's
 * targets from the inventory: every guest marked `ssh`, Debian containers with apt,
 * and the seeded trouble (security updates and a pending reboot on Forgejo).
 */
import { guests } from '../inventory.js';
import { trouble } from '../trouble.js';

/** Package managers the fixtures simulate. */
export type PackageManagerName = 'apt' | 'dnf' | 'apk' | 'pacman';

/** A pending package update. */
export interface FixturePackage {
  name: string;
  from: string;
  to: string;
  /** apt suite (`stable-security`), dnf repo (`updates`); default `stable`. */
  repo?: string;
  arch?: string;
  security?: boolean;
  /** Upgrading it leaves a pending reboot. */
  reboot?: boolean;
}

/** One simulated target. */
export interface SshTargetProfile {
  name: string;
  /** The PVE guest it is (for `updates apply --snapshot`). */
  vmid?: number;
  manager: PackageManagerName;
  os: { id: string; prettyName: string };
  packages: FixturePackage[];
  /** A reboot is already pending. */
  rebootRequired?: boolean;
  /** Listing commands sleep this long first (timeout tests). */
  slowSeconds?: number;
  /** False: homelab's key is not in authorized_keys (auth failure tests). */
  authorized?: boolean;
}

const DEBIAN = { id: 'debian', prettyName: 'Debian GNU/Linux 13 (trixie)' };

/** Routine updates every Debian guest has pending. */
const ROUTINE: FixturePackage[] = [
  { name: 'tzdata', from: '2025b-4', to: '2026a-0+deb13u1', repo: 'stable-updates', arch: 'all' },
  { name: 'curl', from: '8.14.1-2', to: '8.14.1-2+deb13u1', repo: 'stable' },
  { name: 'libcurl4t64', from: '8.14.1-2', to: '8.14.1-2+deb13u1', repo: 'stable' },
];

/** Security updates of the troubled guest. */
const SECURITY: FixturePackage[] = [
  { name: 'openssl', from: '3.5.1-1', to: '3.5.1-1+deb13u1', repo: 'stable-security', security: true },
  { name: 'libssl3t64', from: '3.5.1-1', to: '3.5.1-1+deb13u1', repo: 'stable-security', security: true },
  { name: 'libc6', from: '2.41-12', to: '2.41-12+deb13u1', repo: 'stable-security', security: true, reboot: true },
  { name: 'git', from: '1:2.47.2-0.2', to: '1:2.47.3-0+deb13u1', repo: 'stable-security', arch: 'amd64', security: true },
];

/** The lab's SSH targets, from the inventory's guests marked `ssh`. */
export function labProfiles(): SshTargetProfile[] {
  return guests
    .filter((g) => g.ssh)
    .map((g): SshTargetProfile => {
      const troubled = g.vmid === trouble.securityUpdatesGuest;
      return {
        name: g.name,
        vmid: g.vmid,
        manager: 'apt',
        os: DEBIAN,
        packages: troubled ? [...SECURITY, ...ROUTINE] : g.vmid % 2 === 0 ? ROUTINE.slice(0, 1) : [],
        rebootRequired: troubled,
      };
    });
}
