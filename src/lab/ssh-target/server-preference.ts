/**
 * @module lab/ssh-target/server-preference
 * Which SSH server the lab's targets run on, as `HOMELAB_LAB_SSH_SERVER` asks. Apart from
 * the targets themselves, so `homelab lab` and `homelab demo` check the variable in the CLI
 * bundle before they start anything from the lab's (dist/lab.cjs).
 */
import { ConfigError } from '../../core/errors.js';

/** Which server the targets run on: `auto` (sshd when installed, else ssh2), or one of them. */
export type SshServerPreference = 'auto' | 'sshd' | 'ssh2';

/** The preference `env` gives (`HOMELAB_LAB_SSH_SERVER`, default `auto`); any other value is a ConfigError (exit 3). */
export function sshServerPreference(env: NodeJS.ProcessEnv): SshServerPreference {
  const value = env.HOMELAB_LAB_SSH_SERVER;
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'sshd' || value === 'ssh2') return value;
  throw new ConfigError(`HOMELAB_LAB_SSH_SERVER must be auto, sshd or ssh2, not ${JSON.stringify(value)}`);
}
