/**
 * @module services/updates/ssh/known-hosts
 * OpenSSH `known_hosts` as ssh itself reads it: plain and hashed (`|1|salt|hash`) host
 * patterns, `[host]:port` for non-standard ports, `*`/`?` wildcards and `!` negation,
 * `@revoked` keys, comments. Also the OpenSSH fingerprint form (`SHA256:…`) and the line
 * to append to trust a key.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A host key: its type (`ssh-ed25519`) and the raw public key blob. */
export interface HostKey {
  type: string;
  blob: Buffer;
}

/** What known_hosts says about one host. */
export interface KnownHostKeys {
  /** Keys trusted for the host, with the line they came from. */
  keys: (HostKey & { line: number })[];
  /** Keys marked `@revoked`. */
  revoked: HostKey[];
}

/** The name ssh looks a host up by: `host`, or `[host]:port` when the port is not 22. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** OpenSSH's fingerprint of a key blob: `SHA256:` and unpadded base64. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside a public key blob (its first SSH string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** The line that trusts `key` for `host:port` in known_hosts. */
export function knownHostsLine(host: string, port: number, key: HostKey): string {
  return `${hostPattern(host, port)} ${key.type} ${key.blob.toString('base64')}`;
}

/** Reads the keys known for `host:port`; a missing file knows nothing. */
export function lookupKnownHosts(path: string, host: string, port: number): KnownHostKeys {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { keys: [], revoked: [] };
    throw err;
  }
  return lookupInText(text, host, port);
}

/** Looks `host:port` up in known_hosts text. */
export function lookupInText(text: string, host: string, port: number): KnownHostKeys {
  const name = hostPattern(host, port);
  const out: KnownHostKeys = { keys: [], revoked: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) marker = fields.shift();
    const [hosts, type, base64] = fields;
    if (!hosts || !type || !base64 || marker === '@cert-authority') return;
    if (!hostsMatch(hosts, name)) return;
    const key = { type, blob: Buffer.from(base64, 'base64') };
    if (marker === '@revoked') out.revoked.push(key);
    else out.keys.push({ ...key, line: index + 1 });
  });
  return out;
}

function hostsMatch(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    if (globMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name.toLowerCase());
}
