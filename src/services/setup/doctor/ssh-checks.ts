/**
 * @module services/setup/doctor/ssh-checks
 * The SSH targets of `updates`: known_hosts exists, each target's key is usable, and a
 * handshake proves the host key is known (unknown or changed keys fail with the
 * fingerprint and the command to trust it) and the key is accepted. Each handshake waits
 * `ssh.timeout_seconds`, but never more than the probes' 8 s.
 */
import { existsSync } from 'node:fs';
import type { HomelabConfig } from '../../../core/config.js';
import { ExitCode } from '../../../core/errors.js';
import { knownHostsPath, sessionOptions, SshSession } from '../../updates/index.js';
import { mapLimit } from '../../../core/map-limit.js';
import { check, failed, type DoctorCheck } from './check.js';
import { PROBE_REQUEST_CAP_MS } from './probes/types.js';

/** Checks every SSH target (concurrently, with the configured limit). */
export async function sshChecks(config: HomelabConfig, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<DoctorCheck[]> {
  if (!config.ssh.targets.length) return [];
  const known = knownHostsPath(config);
  const out: DoctorCheck[] = [];
  if (!existsSync(known)) {
    out.push(check('ssh', 'known_hosts', 'fail', `${known} does not exist, so no host key is known`,
      `connect once with ssh to each target and compare the fingerprint, or set ssh.known_hosts in ${config.path}`, ExitCode.config));
  }
  const perTarget = await mapLimit(config.ssh.targets, config.ssh.concurrency, async (t) => {
    const name = `host ${t.name}`;
    let options;
    try {
      // A doctor answers quickly: the handshake waits ssh.timeout_seconds only up to the probes' cap.
      const base = sessionOptions(config, t, env, signal);
      options = { ...base, timeoutMs: Math.min(PROBE_REQUEST_CAP_MS, base.timeoutMs) };
    } catch (err) {
      return failed('ssh', name, err);
    }
    try {
      const session = await SshSession.open(options);
      session.close();
      return check('ssh', name, 'pass', `${t.user}@${t.host}:${t.port}: host key known, key ${options.keyPath ?? '(agent)'} accepted`);
    } catch (err) {
      return failed('ssh', name, err);
    }
  });
  return [...out, ...perTarget];
}
