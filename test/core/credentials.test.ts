import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCredentials, parseCredentials, registerStoredSecrets } from '../../src/core/credentials.js';
import { ConfigError } from '../../src/core/errors.js';
import { redact } from '../../src/core/redact.js';

function home(content: string | undefined, mode = 0o600): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-cred-'));
  if (content !== undefined) {
    mkdirSync(join(dir, 'pve'));
    writeFileSync(join(dir, 'pve', 'credentials'), content);
    chmodSync(join(dir, 'pve', 'credentials'), mode);
  }
  return { HOMELAB_CONFIG_HOME: dir };
}

describe('credentials files', () => {
  it('parses KEY=value lines with comments, export and quotes, splitting at the first =', () => {
    const values = parseCredentials('# pve\nexport PVE_TOKEN_ID=root@pam!homelab\nPVE_TOKEN_SECRET="a=b"\n\nX=\'q\'\n', 'f');
    expect(values).toEqual({ PVE_TOKEN_ID: 'root@pam!homelab', PVE_TOKEN_SECRET: 'a=b', X: 'q' });
  });

  it('names the line of a malformed entry', () => {
    expect(() => parseCredentials('OK=1\nnot a pair\n', '/x/credentials')).toThrow('/x/credentials:2: expected KEY=value');
  });

  it('refuses a file readable by group or others with the chmod fix', () => {
    const env = home('PVE_TOKEN_ID=a@pam!b\nPVE_TOKEN_SECRET=s3cret-value\n', 0o644);
    const err = (() => { try { loadCredentials('pve', ['PVE_TOKEN_ID'], undefined, env); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('readable by group or others (mode 644)');
    expect((err as ConfigError).hint).toBe(`run: chmod 600 ${join(env.HOMELAB_CONFIG_HOME as string, 'pve', 'credentials')}`);
    expect((err as ConfigError).exitCode).toBe(3);
  });

  it('refuses a file in a folder others may write (the file could be swapped between check and read)', () => {
    const env = home('PVE_TOKEN_ID=a@pam!b\nPVE_TOKEN_SECRET=s3cret-value\n');
    const dir = join(env.HOMELAB_CONFIG_HOME as string, 'pve');
    chmodSync(dir, 0o777);
    const err = (() => { try { loadCredentials('pve', ['PVE_TOKEN_ID'], undefined, env); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(`folder ${dir} of the credentials file is writable by others (mode 777)`);
    expect((err as ConfigError).hint).toBe(`run: chmod o-w ${dir}`);
    chmodSync(dir, 0o1777);
    expect(loadCredentials('pve', ['PVE_TOKEN_ID'], undefined, env).PVE_TOKEN_ID).toBe('a@pam!b');
  });

  it('names the path of a missing file and the keys it needs', () => {
    const env = home(undefined);
    expect(() => loadCredentials('pve', ['PVE_TOKEN_ID', 'PVE_TOKEN_SECRET'], undefined, env)).toThrow(
      `credentials file ${join(env.HOMELAB_CONFIG_HOME as string, 'pve', 'credentials')} does not exist`,
    );
  });

  it('names a missing key and registers secret values, not ids, as secrets', () => {
    const env = home('PVE_TOKEN_ID=a@pam!b\nPVE_TOKEN_SECRET=9f1c2a9e-secret-uuid\n');
    expect(() => loadCredentials('pve', ['PVE_TOKEN_ID', 'OTHER'], undefined, env)).toThrow('has no OTHER');
    expect(redact('failed with 9f1c2a9e-secret-uuid in it')).toBe('failed with *** in it');
    expect(redact('task of a@pam!b')).toBe('task of a@pam!b');
  });

  it('accepts one complete alternative of anyOf and refuses none', () => {
    const env = home('DNS_USER=admin\n');
    expect(() => loadCredentials('pve', [], [['DNS_TOKEN'], ['DNS_USER', 'DNS_PASSWORD']], env)).toThrow('needs DNS_TOKEN, or DNS_USER and DNS_PASSWORD');
  });

  it("registers the bot's shared token when config.yaml names only contexts (no lab called default)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-cred-'));
    mkdirSync(join(dir, 'homelab'));
    writeFileSync(join(dir, 'homelab', 'config.yaml'), 'contexts:\n  home:\n    services: {}\ncurrent_context: home\n');
    mkdirSync(join(dir, 'telegram'));
    const token = '123456:AAsharedBotTokenOnlyContexts';
    writeFileSync(join(dir, 'telegram', 'credentials'), `TELEGRAM_BOT_TOKEN=${token}\n`, { mode: 0o600 });
    registerStoredSecrets({ HOMELAB_CONFIG_HOME: dir });
    expect(redact(`text=${token}`)).not.toContain(token);
  });
});
