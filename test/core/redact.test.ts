/**
 * Redaction: the userinfo of a URL up to its last `@` (a password may hold one), every
 * pattern linear on hostile input (server text reaches `redact`), and cuts that never
 * split a secret (`secretSafeCut`), so no beginning of a token survives a cut. In
 * structured data, strings under a secret's key (whole words: `password`, `apiToken`,
 * `pass`, and keys ending in `password`/`token`/`secret`… like `cipassword`) are masked, and
 * so are numbers there (`{otp: 123456}`); a count under the bare key `pass` or a key like
 * `bypass` is left alone.
 */
import { describe, expect, it } from 'vitest';
import { isSecretKey, redact, redactValue, registerSecret, secretSafeCut } from '../../src/core/redact.js';

/** Runs `fn` and returns how long it took (ms). */
function took(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

describe('URL userinfo', () => {
  it.each([
    ['https://admin:p@ss@host/', 'https://***@host/'],
    ['cannot reach https://admin:hunter2@10.5.0.1:8006/api2/json', 'cannot reach https://***@10.5.0.1:8006/api2/json'],
    ['https://a:b@c@d@10.0.0.1:8443/x?y=1#z', 'https://***@10.0.0.1:8443/x?y=1#z'],
    ['see http://token123@host/x and ftp://u:p@h', 'see http://***@host/x and ftp://***@h'],
    ['https://:only-a-password@host', 'https://***@host'],
    ['HTTPS://USER:PASS@HOST/', 'HTTPS://***@HOST/'],
    ['git+ssh://git:s3cr3t@forge.lan:22/repo.git', 'git+ssh://***@forge.lan:22/repo.git'],
    ['url="https://u:p@w@h/" next', 'url="https://***@h/" next'],
    ['<a href=https://u:p@h>link</a>', '<a href=https://***@h>link</a>'],
    ['https://u%40x:p%3Aw@h', 'https://***@h'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    'mail admin@home.lan, https://host/a@b',
    'https://host?user=a@b',
    'https://host#a@b',
    'https://host/path and then bob@example.org',
    'ssh root@10.5.0.2',
  ])('leaves %s alone', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('linear time on hostile input', () => {
  // Each of these took minutes or hours with the patterns that rescanned a run from each
  // position (measured: 80 KB of `a.` took 11.6 s). The bound is a correctness bound for
  // a loaded CI machine, not a benchmark: linear patterns take a few ms.
  it.each([
    ['scheme-like runs', 'a.'.repeat(100_000)],
    ['schemes without userinfo', 'a://'.repeat(100_000)],
    ['PVE token prefixes without a token', 'PVEAPIToken='.repeat(20_000)],
    ['PBS token prefixes without a token', 'PBSAPIToken='.repeat(20_000)],
    ['Bearer without a token', `Bearer${' '.repeat(200_000)}`],
  ])('%s', (_name, text) => {
    expect(took(() => redact(text))).toBeLessThan(2000);
  });
});

describe('cutting without splitting a secret', () => {
  const token = 'dnsTok-7f3a9c2e5b1d4a6f8e0c';
  registerSecret(token);

  it('cuts before a registered secret that straddles the limit, and nowhere else', () => {
    const text = `${'x'.repeat(90)}${token}${'y'.repeat(50)}`;
    for (const limit of [91, 100, 90 + token.length - 1]) expect(secretSafeCut(text, limit)).toBe(90);
    expect(secretSafeCut(text, 90)).toBe(90);
    expect(secretSafeCut(text, 90 + token.length)).toBe(90 + token.length);
    expect(secretSafeCut(text, 80)).toBe(80);
    expect(secretSafeCut(text, 10_000)).toBe(text.length);
    for (let limit = 0; limit <= text.length; limit++) {
      expect(redact(text.slice(0, secretSafeCut(text, limit)))).not.toContain(token.slice(0, 4));
    }
  });

  it('cuts before a URL userinfo or a bot token that straddles the limit', () => {
    const url = `${'x'.repeat(50)} https://admin:hunter2@host/`;
    expect(secretSafeCut(url, 60)).toBe(51);
    const bot = `${'x'.repeat(50)} bot123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
    expect(secretSafeCut(bot, 70)).toBe(51);
  });
});

describe('secrets in structured data', () => {
  it.each([
    'password', 'passwd', 'passphrase', 'pass', 'secret', 'token', 'apiToken', 'api_token', 'PVE_TOKEN_SECRET', 'KUMA_PASSWORD',
    'apiKey', 'api_key', 'apikey', 'privateKey', 'sessionCookie', 'authorization', 'totp', 'TOTP_SECRET', 'otp', 'db-pass', 'user.pass',
    'cipassword', 'apitoken', 'topsecret', 'rootpasswd', 'keypassphrase', 'mysecret',
    'passwords', 'secrets', 'tokens', 'apiTokens', 'DB_PASSWORDS', 'ticket', 'PVE_TICKET', 'tickets', 'privkey', 'sslprivkey', 'private_key',
    'ssh_key', 'sshKey', 'certificate_key', 'certificateKey', 'private_keys',
  ])('%s names a secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each([
    'bypass', 'compass', 'passed', 'passthrough', 'tokenId', 'token_id', 'PVE_TOKEN_ID', 'tokenIds', 'secretary', 'publicKey', 'sortKey', 'status', 'counts', '',
    'sshKeys', 'passes', 'ticketing', 'keys',
  ])('%s does not', (key) => {
    expect(isSecretKey(key)).toBe(false);
  });

  it("keeps doctor's counts as numbers (counts.pass is how many checks passed)", () => {
    const doctor = { ok: true, counts: { pass: 12, warn: 1, fail: 0, skip: 2 }, checks: [{ area: 'pve', name: 'tls', status: 'pass', detail: 'ok' }] };
    expect(redactValue(doctor)).toEqual(doctor);
  });

  it('masks numbers under a bare `pass` anywhere but in doctor\'s counts, and everything under plural and key-like secret keys', () => {
    expect(redactValue({ pass: 4242, db: { PASS: 99 }, counts: { pass: 'pa55word' } })).toEqual({ pass: '***', db: { PASS: '***' }, counts: { pass: '***' } });
    expect(redactValue({
      passwords: ['hunter2'], secrets: { db: 'pw-1', port: 5432 }, tokens: [{ id: 'root@pam!ci', value: 'xyz-123' }], ticket: 'PVE:root@pam:ABC',
      privkey: '-----BEGIN PRIVATE KEY-----', private_key: 'k', ssh_key: 'ssh-ed25519 AAAA', certificate_key: 'ck', tokenId: 'root@pam!homelab', sshKeys: 2,
    })).toEqual({
      passwords: ['***'], secrets: { db: '***', port: '***' }, tokens: [{ id: '***', value: '***' }], ticket: '***',
      privkey: '***', private_key: '***', ssh_key: '***', certificate_key: '***', tokenId: 'root@pam!homelab', sshKeys: 2,
    });
  });

  it('leaves values under keys that only end in "pass" alone', () => {
    const value = { bypass: 'cache', compass: 'north', proxyBypass: ['10.0.0.0/8'], passed: 3 };
    expect(redactValue(value)).toEqual(value);
  });

  it('still masks every string under a secret key, at any depth below it', () => {
    const masked = redactValue({
      user: 'alice',
      password: 'hunter2-long',
      pass: 'pa55word',
      apiToken: 'tok-123456',
      PVE_TOKEN_SECRET: 'aaaa-bbbb',
      kuma: { api_key: 'uk1_abcdef', totp: '123456', token: { id: 'root@pam!ci', value: 'xyz-123' } },
      secrets: [{ secret: 's3cr3t' }],
      empty: { password: '' },
    });
    expect(masked).toEqual({
      user: 'alice',
      password: '***',
      pass: '***',
      apiToken: '***',
      PVE_TOKEN_SECRET: '***',
      kuma: { api_key: '***', totp: '***', token: { id: '***', value: '***' } },
      secrets: [{ secret: '***' }],
      empty: { password: '' },
    });
  });

  it('masks numbers under a secret key (YAML makes `password: 4242` a number), not booleans or null', () => {
    const masked = redactValue({
      otp: 123456,
      password: 4242,
      cipassword: 'cloud-init-pw',
      apitoken: 9876543210,
      nested: { topsecret: { pin: 1234, enabled: true, hint: null } },
      pins: { token: [1111, 2222] },
      port: 8006,
    });
    expect(masked).toEqual({
      otp: '***',
      password: '***',
      cipassword: '***',
      apitoken: '***',
      nested: { topsecret: { pin: '***', enabled: true, hint: null } },
      pins: { token: ['***', '***'] },
      port: 8006,
    });
  });

  it('masks a string under the bare key `pass` but keeps a number there (a count)', () => {
    expect(redactValue({ pass: 'pa55word', counts: { pass: 3 }, db: { pass: { password: 77 } } })).toEqual({
      pass: '***',
      counts: { pass: 3 },
      db: { pass: { password: '***' } },
    });
  });

  it('masks a registered secret under any key', () => {
    registerSecret('reg-secret-9876');
    expect(redactValue({ note: 'rotated reg-secret-9876 today', bypass: 'reg-secret-9876' })).toEqual({ note: 'rotated *** today', bypass: '***' });
  });
});

describe('registered secrets that overlap', () => {
  it('hides a longer secret whole even when a shorter one inside it was registered first', () => {
    registerSecret('zq81734');
    registerSecret('zq81734:AAH-overlap-secret-part');
    expect(redact('token zq81734:AAH-overlap-secret-part and id zq81734')).toBe('token *** and id ***');
  });
});
