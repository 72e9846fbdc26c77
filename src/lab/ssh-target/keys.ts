/**
 * @module lab/ssh-target/keys
 * Fresh ed25519 key pairs made with `ssh-keygen` (installed with OpenSSH), for the
 * simulated targets' host keys and the user key homelab logs in with.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A key pair on disk. */
export interface KeyPair {
  /** Private key file (mode 0600, as ssh-keygen writes it). */
  privatePath: string;
  /** `ssh-ed25519 AAAA… comment`. */
  publicLine: string;
  /** `ssh-ed25519` and the base64 blob, without the comment. */
  type: string;
  blob: string;
}

/** Generates an ed25519 key pair at `path` (and `path.pub`), without a passphrase. */
export async function generateKeyPair(path: string, comment: string): Promise<KeyPair> {
  try {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  } catch (err) {
    throw new Error(`ssh-keygen failed (is openssh-client installed?): ${(err as Error).message}`);
  }
  const publicLine = readFileSync(`${path}.pub`, 'utf8').trim();
  const [type = '', blob = ''] = publicLine.split(/\s+/);
  return { privatePath: path, publicLine, type, blob };
}
