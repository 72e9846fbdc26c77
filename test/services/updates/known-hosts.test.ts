/**
 * known_hosts lookups checked against OpenSSH's own output: lines hashed by
 * `ssh-keygen -H` and fingerprints printed by `ssh-keygen -lf` (recorded once, so they
 * are checked on every machine, and produced afresh where ssh-keygen is installed),
 * files hashed by hand the way `ssh-keygen -H` hashes them, ports, wildcards, negation
 * and `@revoked` markers. Keys come from ssh2's generator, as in the lab.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/lab/ssh-target/keys.js';
import { fingerprint, lookupInText, lookupKnownHosts } from '../../../src/services/updates/ssh/known-hosts.js';
import { hasSshKeygen } from './ssh-env.js';

/** A public key and what OpenSSH 9.2's `ssh-keygen -lf` printed for it. */
const RECORDED_KEYS = [
  { blob: 'AAAAC3NzaC1lZDI1NTE5AAAAILbxK5RvkWh3h4E7tG9Z1GA1e9RGd3/fD16qmAuxjN+P', printed: 'SHA256:Fm8ZG6ilvZgwpOJ3yXF+lPj9VxzdAFL21y8xKvr9ebU' },
  {
    blob: 'AAAAB3NzaC1yc2EAAAADAQABAAAAgQDRlsHa0JkjrYsv/8OJiyjPrJogL+G46oHmUAA96jHJYKP/7bu9ne7MFm7fnqxtv0BlpUSJ0caDctj5yA0EUfeWRF7hnncU7HIhja308oEgv59JAnbb6/BocV92oK7IqpdKI2dSeP4c1CenW1V+ebTNH/OtB5oZNPf69daxFO3Maw==',
    printed: 'SHA256:yRpI5XUxyjuGXLUqstK4NKUjorngUOle2dmttlHxzyc',
  },
];

/** `web.home.lan` and `[10.5.0.12]:2222` with the recorded ed25519 key, as `ssh-keygen -H` wrote them. */
const RECORDED_HASHED = [
  `|1|O5CcwPyiKSAaSw5zmrmSxd9J5Gw=|AkU3fBBfTIO3//LcwiJc03AMqLA= ssh-ed25519 ${RECORDED_KEYS[0]?.blob}`,
  `|1|vCmaB8tT/CPR7CmcNOxi/B4QyV4=|iwuWstflpEdwO/tfKcI2+MxEyZw= ssh-ed25519 ${RECORDED_KEYS[0]?.blob}`,
].join('\n');

/** A host name hashed as `ssh-keygen -H` does: `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. */
function hashHost(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-kh-'));
  const keys: Record<string, { blob: string; file: string }> = {};
  const keygen = hasSshKeygen();

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    for (const name of ['a', 'b']) {
      const pair = generateKeyPair(join(dir, name), name);
      keys[name] = { blob: pair.blob, file: pair.privatePath };
    }
  });

  const blobOf = (name: string): string => keys[name]?.blob ?? '';
  const found = (text: string, host: string, port: number): string[] => lookupInText(text, host, port).keys.map((k) => k.blob.toString('base64'));

  it('finds keys in lines hashed by ssh-keygen -H, on port 22 and on another port', () => {
    const recorded = RECORDED_KEYS[0]?.blob;
    expect(found(RECORDED_HASHED, 'web.home.lan', 22)).toEqual([recorded]);
    expect(found(RECORDED_HASHED, '10.5.0.12', 2222)).toEqual([recorded]);
    expect(found(RECORDED_HASHED, '10.5.0.12', 22)).toEqual([]);
    expect(found(RECORDED_HASHED, 'web.home.lan', 2222)).toEqual([]);
  });

  it('finds keys in a file hashed like ssh-keygen -H (by ssh-keygen itself where it is installed)', () => {
    const file = join(dir, 'known_hosts');
    const plain = `web.home.lan ssh-ed25519 ${blobOf('a')}\n[10.5.0.12]:2222 ssh-ed25519 ${blobOf('b')}\n`;
    const byHand = `${hashHost('web.home.lan')} ssh-ed25519 ${blobOf('a')}\n${hashHost('[10.5.0.12]:2222')} ssh-ed25519 ${blobOf('b')}\n`;
    const files: string[] = [byHand];
    if (keygen) {
      writeFileSync(file, plain);
      execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
      const hashed = readFileSync(file, 'utf8');
      // The hand-made hash is the one ssh-keygen writes: same salt, same line.
      const salt = Buffer.from(hashed.split('|')[2] ?? '', 'base64');
      expect(hashed.split('\n')[0]).toBe(`${hashHost('web.home.lan', salt)} ssh-ed25519 ${blobOf('a')}`);
      files.push(hashed);
    }
    for (const text of files) {
      writeFileSync(file, text);
      expect(text).not.toContain('web.home.lan');
      expect(lookupKnownHosts(file, 'web.home.lan', 22).keys.map((k) => k.blob.toString('base64'))).toEqual([blobOf('a')]);
      expect(lookupKnownHosts(file, '10.5.0.12', 2222).keys.map((k) => k.blob.toString('base64'))).toEqual([blobOf('b')]);
      expect(lookupKnownHosts(file, '10.5.0.12', 22).keys).toEqual([]);
    }
  });

  it('computes the fingerprint ssh-keygen prints (recorded, and afresh where ssh-keygen is installed)', () => {
    for (const { blob, printed } of RECORDED_KEYS) expect(fingerprint(Buffer.from(blob, 'base64'))).toBe(printed);
    if (keygen) {
      const printed = execFileSync('ssh-keygen', ['-lf', `${keys.a?.file}.pub`], { encoding: 'utf8' }).split(' ')[1];
      expect(fingerprint(Buffer.from(blobOf('a'), 'base64'))).toBe(printed);
    }
  });

  it('matches comma lists and wildcards, honours negation, skips @cert-authority', () => {
    const text = [
      '# comment',
      `*.home.lan,!git.home.lan ssh-ed25519 ${blobOf('a')}`,
      `@cert-authority *.home.lan ssh-ed25519 ${blobOf('b')}`,
      `dns?.home.lan ssh-ed25519 ${blobOf('b')}`,
    ].join('\n');
    expect(lookupInText(text, 'dns.home.lan', 22).keys).toHaveLength(1);
    expect(lookupInText(text, 'dns1.home.lan', 22).keys).toHaveLength(2);
    expect(lookupInText(text, 'git.home.lan', 22).keys).toEqual([]);
  });

  it('returns @revoked keys apart, and nothing for a missing file', () => {
    const text = `@revoked * ssh-ed25519 ${blobOf('b')}\nweb ssh-ed25519 ${blobOf('a')}\n`;
    const result = lookupInText(text, 'web', 22);
    expect(result.revoked.map((k) => k.blob.toString('base64'))).toEqual([blobOf('b')]);
    expect(result.keys[0]?.line).toBe(2);
    expect(lookupKnownHosts(join(dir, 'absent'), 'web', 22)).toEqual({ keys: [], revoked: [] });
  });
});
