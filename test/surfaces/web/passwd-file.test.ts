/**
 * `homelab serve passwd` and the password file, through the built CLI: parallel runs each
 * keep their user (the file's lock), and a damaged or empty file, which the dashboard
 * refuses, is repaired by the very command its error names.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { hashPassword, loadPasswords, passwordsFile, verifyPassword } from '../../../src/surfaces/web/passwords.js';
import { runCli } from '../../helpers/cli.js';

const PASSWORD = 'a long password';

/** A config home of its own, with `text` (when given) as its password file, mode 0600. */
function configHome(text?: string): Record<string, string> {
  const env = { HOMELAB_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'homelab-passwd-')) };
  if (text !== undefined) {
    mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'web'), { recursive: true, mode: 0o700 });
    writeFileSync(passwordsFile(env), text, { mode: 0o600 });
  }
  return env;
}

const passwd = (user: string, env: Record<string, string>): ReturnType<typeof runCli> => runCli(['serve', 'passwd', '--user', user], env, { input: `${PASSWORD}\n` });

describe('serve passwd', () => {
  it('run for six users at once keeps all six', async () => {
    const env = configHome();
    const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
    const runs = await Promise.all(users.map((u) => passwd(u, env)));
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(users.map(() => [0, '']));
    const stored = loadPasswords(env);
    expect([...(stored?.keys() ?? [])].sort()).toEqual(users);
    expect(await verifyPassword(PASSWORD, stored?.get('u4'))).toBe(true);
  });

  it('repairs a file whose line of that user is damaged, as the error says', async () => {
    const env = configHome('alice:scrypt$bad\n');
    const refused = (() => { try { loadPasswords(env); } catch (e) { return e; } return undefined; })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).hint).toBe('set the password again with: homelab serve passwd --user alice');
    const run = await passwd('alice', env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(await verifyPassword(PASSWORD, loadPasswords(env)?.get('alice'))).toBe(true);
  });

  it('drops the damaged lines of other users with a warning naming them, never their text', async () => {
    const carol = await hashPassword('carol password');
    const env = configHome(`alice:scrypt$bad\ncarol:${carol}\nscrypt$1$2$3$leakedsalt$leakedkey\n`);
    const run = await passwd('bob', env);
    expect(run.code).toBe(0);
    const file = passwordsFile(env);
    expect(run.stderr).toBe([
      `homelab serve passwd: warning: dropped line 1 of ${file} (alice): not a user:scrypt-hash line; set it again with: homelab serve passwd --user alice`,
      `homelab serve passwd: warning: dropped line 3 of ${file}: not a user:scrypt-hash line`,
      '',
    ].join('\n'));
    expect(run.stderr + run.stdout).not.toMatch(/scrypt\$|leaked/);
    const stored = loadPasswords(env);
    expect([...(stored?.keys() ?? [])]).toEqual(['carol', 'bob']);
    expect(readFileSync(file, 'utf8')).toContain(`carol:${carol}\n`);
    expect(await verifyPassword(PASSWORD, stored?.get('bob'))).toBe(true);
  });

  it('names the file and exits 3 when a directory stands where the password file should be', async () => {
    const env = configHome();
    mkdirSync(passwordsFile(env), { recursive: true });
    expect(() => loadPasswords(env)).toThrow(/cannot read .*web\/passwords: is a directory/);
    const run = await passwd('alice', env);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot read .*web\/passwords: is a directory/);
    expect(run.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });

  it('refuses a line whose scrypt cost scrypt cannot run, naming its user; checking such a hash is a wrong password', async () => {
    const good = await hashPassword(PASSWORD);
    const [, , , , salt, key] = good.split('$');
    const costs = [
      ['3', '8', '1'], // N not a power of two
      ['0', '8', '1'],
      ['1', '8', '1'],
      ['65536', '1', '1'], // N must be below 2^(16·r)
      ['2097152', '8', '1'], // beyond 2^20: could hang the server
      ['32768', '0', '1'],
      ['32768', '8', '0'],
      ['32768', '33', '1'],
      ['32768', '8', '17'],
    ];
    const bad = [
      ...costs.map(([N, r, p]) => `scrypt$${N}$${r}$${p}$${salt}$${key}`),
      `scrypt$32768$8$1$${salt}$AAAA`, // a key shorter than hashPassword makes
    ];
    for (const hash of bad) {
      const env = configHome(`carol:${good}
alice:${hash}
`);
      const refused = (() => { try { loadPasswords(env); } catch (e) { return e; } return undefined; })();
      expect(refused, hash).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).message, hash).toMatch(/line 2: not a user:scrypt-hash line$/);
      expect((refused as ConfigError).hint, hash).toBe('set the password again with: homelab serve passwd --user alice');
      expect(await verifyPassword(PASSWORD, hash), hash).toBe(false);
    }
  });

  it('gives an empty file its first user', async () => {
    const env = configHome('');
    expect(() => loadPasswords(env)).toThrow(/has no users/);
    const run = await passwd('alice', env);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect([...(loadPasswords(env)?.keys() ?? [])]).toEqual(['alice']);
  });
});
