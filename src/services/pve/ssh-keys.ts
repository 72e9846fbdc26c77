/**
 * @module services/pve/ssh-keys
 * OpenSSH public keys as `--ssh-key` takes them: one key per line
 * (`ssh-ed25519 AAAA… comment`, `ssh-rsa`, `ecdsa-sha2-nistp*`, `sk-…@openssh.com`),
 * blank lines and `#` comments ignored. The base64 blob must decode and name the same
 * key type, so a private key, a certificate or any other file is refused. Messages
 * never quote the text (it may be a private key given by mistake).
 */
import { z } from 'zod';
import { freeText } from '../../core/free-text.js';

const KEY_TYPES = new Set([
  'ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
]);

/** Most keys a file may hold, and its largest size (an authorized_keys file, not a disk image). */
const MAX_KEYS = 32;
const MAX_CHARS = 64 * 1024;

/** Why `line` is not an OpenSSH public key, or undefined when it is one. */
function lineProblem(line: string): string | undefined {
  const [type, blob] = line.split(/\s+/);
  if (!type || !KEY_TYPES.has(type)) return 'does not start with a public key type (ssh-ed25519, ssh-rsa, ecdsa-sha2-…, sk-…)';
  if (!blob || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return 'has no base64 key after the type';
  const raw = Buffer.from(blob, 'base64');
  const len = raw.length >= 4 ? raw.readUInt32BE(0) : -1;
  if (len <= 0 || raw.subarray(4, 4 + len).toString('latin1') !== type) return 'has a key blob that does not match its type';
  return undefined;
}

/** The key lines of a text, or the first problem (with its line number, never its content). */
export function parsePublicKeys(text: string): { keys: string[] } | { problem: string } {
  if (text.length > MAX_CHARS) return { problem: `is larger than ${MAX_CHARS / 1024} KiB; an authorized_keys file is expected` };
  if (/PRIVATE KEY/.test(text)) return { problem: 'is a private key: give the public key (the .pub file)' };
  const keys: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const problem = lineProblem(line);
    if (problem) return { problem: `line ${i + 1} ${problem}` };
    keys.push(line);
  }
  if (keys.length === 0) return { problem: 'holds no public key' };
  if (keys.length > MAX_KEYS) return { problem: `holds more than ${MAX_KEYS} keys` };
  return { keys };
}

/** OpenSSH public key text, normalised to one key per line. */
export const sshPublicKeysSchema = freeText(z.string()).transform((text, ctx) => {
  const parsed = parsePublicKeys(text);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', message: `the SSH key ${parsed.problem}` });
    return z.NEVER;
  }
  return parsed.keys.join('\n');
}).describe('OpenSSH public key(s), one per line (on the CLI: a .pub file)');
