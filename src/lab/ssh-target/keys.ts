/**
 * @module lab/ssh-target/keys
 * Fresh ed25519 key pairs in OpenSSH format, made in-process with ssh2's own key
 * generator (no `ssh-keygen`, which a bare machine may lack), for the simulated
 * targets' host keys and the user key homelab logs in with. OpenSSH's sshd reads them
 * as host keys and authorised keys like any others.
 */
import { writeFileSync } from 'node:fs';
// ssh2 is CommonJS: Node's ESM loader gives it as a default export only.
import ssh2 from 'ssh2';

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
export function generateKeyPair(path: string, comment: string): KeyPair {
  const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment });
  writeFileSync(path, keys.private.endsWith('\n') ? keys.private : `${keys.private}\n`, { mode: 0o600 });
  const [type = '', blob = ''] = keys.public.trim().split(/\s+/);
  const publicLine = `${type} ${blob} ${comment}`;
  writeFileSync(`${path}.pub`, `${publicLine}\n`, { mode: 0o644 });
  return { privatePath: path, publicLine, type, blob };
}
