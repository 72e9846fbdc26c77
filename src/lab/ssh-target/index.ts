/** @module lab/ssh-target — simulated SSH targets: a real sshd on 127.0.0.1 with package-manager fixtures. */
export { attachSshTargets, startSshLab, type SshLab, type SshLabOptions, type SshTargetConfig } from './ssh-lab.js';
export { labProfiles, type FixturePackage, type PackageManagerName, type SshTargetProfile } from './profiles.js';
export { findSshd, requireSshd, SSHD_MISSING } from './sshd.js';
export type { SshTargetSim } from './target.js';
