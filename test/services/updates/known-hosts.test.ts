/**
 * known_hosts lookups checked against OpenSSH's own tools: files hashed by
 * `ssh-keygen -H`, fingerprints from `ssh-keygen -lf`, ports, wildcards, negation and
 * `@revoked` markers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, lookupInText, lookupKnownHosts } from '../../../src/services/updates/ssh/known-hosts.js';

describe('known_hosts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-kh-'));
  const keys: Record<string, { type: string; blob: string; file: string }> = {};

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(() => {
    for (const name of ['a', 'b']) {
      const file = join(dir, name);
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
      const [type = '', blob = ''] = readFileSync(`${file}.pub`, 'utf8').split(' ');
      keys[name] = { type, blob, file };
    }
  });

  const blobOf = (name: string): string => keys[name]?.blob ?? '';

  it('finds keys in a file hashed by ssh-keygen -H, on port 22 and on another port', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `web.home.lan ssh-ed25519 ${blobOf('a')}\n[10.5.0.12]:2222 ssh-ed25519 ${blobOf('b')}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(readFileSync(file, 'utf8')).not.toContain('web.home.lan');
    expect(lookupKnownHosts(file, 'web.home.lan', 22).keys.map((k) => k.blob.toString('base64'))).toEqual([blobOf('a')]);
    expect(lookupKnownHosts(file, '10.5.0.12', 2222).keys.map((k) => k.blob.toString('base64'))).toEqual([blobOf('b')]);
    expect(lookupKnownHosts(file, '10.5.0.12', 22).keys).toEqual([]);
  });

  it('computes the fingerprint ssh-keygen prints', () => {
    const printed = execFileSync('ssh-keygen', ['-lf', `${keys.a?.file}.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprint(Buffer.from(blobOf('a'), 'base64'))).toBe(printed);
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
    const found = lookupInText(text, 'web', 22);
    expect(found.revoked.map((k) => k.blob.toString('base64'))).toEqual([blobOf('b')]);
    expect(found.keys[0]?.line).toBe(2);
    expect(lookupKnownHosts(join(dir, 'absent'), 'web', 22)).toEqual({ keys: [], revoked: [] });
  });
});
