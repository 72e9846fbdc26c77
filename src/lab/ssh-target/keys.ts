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

/** Length of an ssh-ed25519 public key blob: type string (4 + 11) and the 32-byte key (4 + 32). */
const ED25519_BLOB_BYTES = 51;

/** Generates an ed25519 key pair at `path` (and `path.pub`), without a passphrase. */
export function generateKeyPair(path: string, comment: string): KeyPair {
  const keys = freshEd25519(comment);
  writeFileSync(path, keys.private.endsWith('\n') ? keys.private : `${keys.private}\n`, { mode: 0o600 });
  const [type = '', blob = ''] = keys.public.trim().split(/\s+/);
  const publicLine = `${type} ${blob} ${comment}`;
  writeFileSync(`${path}.pub`, `${publicLine}\n`, { mode: 0o644 });
  return { privatePath: path, publicLine, type, blob };
}

/**
 * One ed25519 pair from ssh2's generator that ssh2 itself can read back. About one pair in 256
 * comes out malformed (a key whose first byte is zero is written as 31 bytes, which neither
 * ssh2 nor OpenSSH accepts), so such a pair is thrown away and another one made.
 */
function freshEd25519(comment: string): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const keys = ssh2.utils.generateKeyPairSync('ed25519', { comment });
    const blob = Buffer.from(keys.public.trim().split(/\s+/)[1] ?? '', 'base64');
    if (blob.length === ED25519_BLOB_BYTES && !(ssh2.utils.parseKey(keys.private) instanceof Error)) return keys;
  }
  throw new Error('could not generate a well-formed ed25519 key pair');
}
