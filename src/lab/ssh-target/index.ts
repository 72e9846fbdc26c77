/** @module lab/ssh-target — simulated SSH targets on 127.0.0.1 (OpenSSH's sshd when installed, else ssh2's Server) with package-manager fixtures. */
export { attachSshTargets, chooseSshServer, startSshLab, type SshLab, type SshLabOptions, type SshServerPreference, type SshTargetConfig } from './ssh-lab.js';
export { labProfiles, type FixturePackage, type PackageManagerName, type SshTargetProfile } from './profiles.js';
export { findSshd } from './sshd.js';
export type { SshServerChoice, SshTargetSim } from './target.js';
