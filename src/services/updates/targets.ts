/**
 * @module services/updates/targets
 * The SSH targets from `ssh:` in config.yaml, resolved to what a session needs: the
 * private key (the target's `key`, else ~/.ssh/id_ed25519, id_ecdsa, id_rsa), or the
 * ssh-agent when there is no key file, and the known_hosts file (default
 * ~/.ssh/known_hosts). A key file is judged as OpenSSH judges it, and more strictly
 * (`core/private-file`): yours must be 0600 (the `chmod 600` fix); root's (as root, also the
 * config home's owner's) may be readable by its group (`root:homelab 0640`, for a service
 * user), never by others nor writable but by its owner; another user's is refused (the
 * `chown` fix), and so is a key in a folder others may write. A file ssh2 cannot read as a
 * private key (a `.pub` file, garbage) is refused too, naming `ssh.targets[].key`. Each
 * refusal exits 3.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { HomelabConfig, SshTarget } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { expandHome } from '../../core/paths.js';
import { SSH_KEY, statPrivateFile } from '../../core/private-file.js';
import type { SessionOptions } from './ssh/session.js';

/** Default key files, in the order ssh tries them. */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** The known_hosts file homelab verifies host keys against. */
export function knownHostsPath(config: HomelabConfig): string {
  return expandHome(config.ssh.known_hosts ?? '~/.ssh/known_hosts');
}

/** The key file a target uses, if any. */
export function keyPathOf(target: SshTarget): string | undefined {
  if (target.key) return expandHome(target.key);
  return DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k)).find((p) => existsSync(p));
}

/** Session options for a target; throws ConfigError when it has no usable key. */
export function sessionOptions(config: HomelabConfig, target: SshTarget, env: NodeJS.ProcessEnv, signal?: AbortSignal): SessionOptions {
  const keyPath = keyPathOf(target);
  let privateKey: Buffer | undefined;
  if (keyPath) {
    // OpenSSH refuses an UNPROTECTED PRIVATE KEY FILE of yours, and so does homelab (core/private-file): a key others may read is theirs too.
    checkKey(keyPath, target, config, env);
    try {
      privateKey = readFileSync(keyPath);
    } catch (err) {
      throw new ConfigError(`SSH key ${keyPath} of target ${target.name} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        `fix ssh.targets[].key for ${target.name} in ${config.path}`);
    }
    if (/ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(privateKey.toString('latin1', 0, 400)) || isEncryptedOpenSsh(privateKey)) {
      throw new ConfigError(`SSH key ${keyPath} is protected by a passphrase; homelab runs unattended and cannot type it`,
        'use a key without passphrase for homelab, or load the key into ssh-agent (SSH_AUTH_SOCK) and drop `key:` from the target');
    }
    checkParses(privateKey, keyPath, target, config);
  } else if (!env.SSH_AUTH_SOCK) {
    throw new ConfigError(`no SSH key for target ${target.name}: no key: set, no ~/.ssh/id_ed25519 (or id_ecdsa, id_rsa), no ssh-agent`,
      `set key: ~/.ssh/<file> for ${target.name} under ssh.targets in ${config.path}`);
  }
  return {
    name: target.name,
    host: target.host,
    port: target.port,
    user: target.user,
    privateKey,
    keyPath,
    agent: privateKey ? undefined : env.SSH_AUTH_SOCK,
    knownHostsPath: knownHostsPath(config),
    timeoutMs: config.ssh.timeout_seconds * 1000,
    signal,
  };
}

/**
 * Throws a ConfigError (exit 3) when the key at `keyPath` is open to more than its kind allows
 * (yours: 0600; root's: its group may read it), belongs to someone homelab does not trust, or
 * sits in a folder others may write; the message names the target. A missing or unreadable
 * key is left to the read that follows.
 */
function checkKey(keyPath: string, target: SshTarget, config: HomelabConfig, env: NodeJS.ProcessEnv): void {
  try {
    statPrivateFile(keyPath, SSH_KEY, env);
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`target ${target.name}: ${err.message}`, err.hint ?? `fix ssh.targets[].key for ${target.name} in ${config.path}`);
  }
}

/** ssh2's key parser (ssh2 is loaded here, when a session is about to be opened, not at start-up). */
type ParseKey = (typeof import('ssh2'))['utils']['parseKey'];

/** Throws a ConfigError (exit 3) naming ssh.targets[].key when `key` is not a private key ssh2 can use. */
function checkParses(key: Buffer, keyPath: string, target: SshTarget, config: HomelabConfig): void {
  const parseKey = (createRequire(import.meta.url)('ssh2') as { utils: { parseKey: ParseKey } }).utils.parseKey;
  const parsed = parseKey(key);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  const problem = first instanceof Error ? first.message : !first ? 'no key in it' : !first.isPrivateKey() ? 'it is a public key' : undefined;
  if (problem) {
    throw new ConfigError(`ssh.targets[].key of ${target.name}: ${keyPath} is not a private key ssh can use (${problem})`,
      `point key: of ${target.name} under ssh.targets in ${config.path} at the private key file (not the .pub), e.g. ~/.ssh/id_ed25519`);
  }
}

/** Whether an OpenSSH-format private key is encrypted (its cipher name is not `none`). */
function isEncryptedOpenSsh(pem: Buffer): boolean {
  const text = pem.toString('utf8');
  const body = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END/.exec(text)?.[1];
  if (!body) return false;
  const raw = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (raw.toString('latin1', 0, magic.length) !== magic) return false;
  const len = raw.readUInt32BE(magic.length);
  return raw.toString('latin1', magic.length + 4, magic.length + 4 + len) !== 'none';
}
