/**
 * @module test/services/updates/ssh-env
 * Shared set-up of the SSH tests: an operation context whose config points at the
 * simulated targets (OpenSSH's sshd each when installed, ssh2's Server otherwise).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client, ClientChannel } from 'ssh2';
import { configSchema, type HomelabConfig } from '../../../src/core/config.js';
import { createContext } from '../../../src/core/context.js';
import { PartialFailureError } from '../../../src/core/errors.js';
import { invoke } from '../../../src/core/invoke.js';
import type { OpContext } from '../../../src/core/operation.js';
import type { SshLab } from '../../../src/lab/ssh-target/index.js';
import { getRegistry } from '../../../src/services/index.js';
import { fingerprint } from '../../../src/services/updates/ssh/known-hosts.js';

/** A config holding the SSH lab's `ssh:` section plus `services`. */
export function sshConfig(ssh: SshLab, overrides: Partial<SshLab['sshConfig']> = {}, services: Record<string, unknown> = {}): HomelabConfig {
  return { ...configSchema.parse({ services, ssh: { ...ssh.sshConfig, ...overrides } }), path: join(ssh.dir, 'config.yaml') };
}

/** A CLI-like context over `config` (nested operations found in the registry), collecting progress notes; state goes next to the config file unless `env` says otherwise. */
export function testContext(config: HomelabConfig, env: NodeJS.ProcessEnv = {}): { ctx: OpContext; notes: string[] } {
  const notes: string[] = [];
  const ctx = createContext({
    actor: { surface: 'cli', id: 'test' },
    config,
    env: { HOMELAB_DATA_HOME: join(dirname(config.path), 'data'), ...env },
    progress: (note) => notes.push(note),
    operations: getRegistry(),
  });
  return { ctx, notes };
}

/** Runs an operation by id through the registry, as a surface would. */
export function run<T>(id: string, input: Record<string, unknown>, ctx: OpContext): Promise<T> {
  const op = getRegistry().get(id);
  if (!op) throw new Error(`no operation ${id}`);
  return invoke(op, input, ctx) as Promise<T>;
}

/** Runs a fan-out operation whose parts may fail: its result either way, and the partial failure when there was one. */
export async function runSettled<T>(id: string, input: Record<string, unknown>, ctx: OpContext): Promise<{ result: T; failure?: PartialFailureError }> {
  try {
    return { result: await run<T>(id, input, ctx) };
  } catch (err) {
    if (err instanceof PartialFailureError) return { result: err.result as T, failure: err };
    throw err;
  }
}

/** Whether OpenSSH's `ssh-keygen` is on PATH (a bare machine has none). */
export function hasSshKeygen(): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, 'ssh-keygen')));
}

/**
 * The fingerprint as OpenSSH's ssh-keygen computes it; where ssh-keygen is missing, homelab's own
 * `fingerprint` (checked against ssh-keygen's output in known-hosts.test.ts, on every machine).
 */
export function opensshFingerprint(pubFile: string): string {
  if (hasSshKeygen()) {
    return execFileSync('ssh-keygen', ['-lf', pubFile], { encoding: 'utf8' }).split(/\s+/)[1] ?? '';
  }
  return fingerprint(Buffer.from(readFileSync(pubFile, 'utf8').split(/\s+/)[1] ?? '', 'base64'));
}

/** Runs `command` over an open SSH connection, writing `stdin`, and collects what comes back. */
export function exec(client: Client, command: string, stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err: Error | undefined, stream: ClientChannel) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      stream.on('data', (d: Buffer) => { stdout += d.toString(); });
      stream.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      stream.on('close', (code: number | null) => resolve({ code, stdout, stderr }));
      stream.end(stdin);
    });
  });
}
