/**
 * The files besides credentials that decide who controls the lab (core/private-file): the
 * bot's allowlist, the dashboard's password file, the MCP token and an SSH private key. Each
 * is refused (exit 3, with the fix) when others could change it (its mode, or a folder others
 * may write) or it belongs to someone homelab does not trust, by the built CLI, by the readers
 * themselves and by doctor; followed, the fix is accepted. Another owner is played by handing
 * the file to uid 65534 when the test runs as root, else by another uid injected against the
 * test's own files.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { ALLOWLIST, MCP_TOKEN, PASSWORDS, SSH_KEY, statPrivateFile, type PrivateKind } from '../../src/core/private-file.js';
import { generateKeyPair } from '../../src/lab/ssh-target/keys.js';
import { runDoctor } from '../../src/services/general/doctor/operation.js';
import { allowUser, authorizedUsersFile, readAuthorizedUsers } from '../../src/services/telegram/allowlist.js';
import { sessionOptions } from '../../src/services/updates/targets.js';
import { loadOrCreateToken, mcpConfig } from '../../src/surfaces/mcp/config.js';
import { loadPasswords, passwordsFile, setPassword } from '../../src/surfaces/web/passwords.js';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'control-files-'));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const asRoot = process.getuid?.() === 0;
const me = process.getuid?.() ?? 0;
const NOBODY = 65534;

/** A config home and data folder; config.yaml has the bot (on a closed loopback port) and an SSH target `dns` using `key`. */
function home(): { dir: string; env: { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string }; key: string } {
  const dir = mkdtempSync(join(root, 'h-'));
  const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
  const key = join(dir, 'keys', 'id_ed25519');
  mkdirSync(dirname(key), { mode: 0o700 });
  generateKeyPair(key, 'control-files@test');
  writeFileSync(join(dir, 'known_hosts'), '');
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true, mode: 0o755 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), [
    'telegram: { api_root: "http://127.0.0.1:9", allowed_users: [1001] }',
    'ssh:',
    `  known_hosts: ${JSON.stringify(join(dir, 'known_hosts'))}`,
    `  targets: [{ name: dns, host: 127.0.0.1, port: 9, user: root, key: ${JSON.stringify(key)} }]`,
    '',
  ].join('\n'), { mode: 0o600 });
  return { dir, env, key };
}

/** What the check says of `path` for `who`: the ConfigError, or undefined when accepted. */
function refusal(path: string, kind: PrivateKind, env: Record<string, string>, who = { uid: me, groups: [] as number[] }): ConfigError | undefined {
  try {
    statPrivateFile(path, kind, env, who);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  return undefined;
}

/** The first two lines of a refusal on stderr: the message and the fix. */
const said = (stderr: string): string[] => stderr.split('\n').slice(0, 2);

/** Hands `path` to another owner (root only), and returns who "you" are for the injected check: yourself as root, else another uid. */
function foreign(path: string): { uid: number; groups: number[] } {
  if (asRoot) chownSync(path, NOBODY, NOBODY);
  return asRoot ? { uid: 0, groups: [0] } : { uid: me + 1, groups: [] };
}

describe('the bot\'s allowlist', () => {
  it('in a folder others may write, or writable by others: refused by telegram users, allow and doctor; fixed, it is read', async () => {
    const { env } = home();
    const file = authorizedUsersFile(env.HOMELAB_DATA_HOME);
    mkdirSync(dirname(file), { recursive: true });
    chmodSync(dirname(file), 0o777);
    writeFileSync(file, '666666\n');
    chmodSync(file, 0o666);
    const mode = await runCli(['telegram', 'users'], env);
    expect([mode.code, ...said(mode.stderr)]).toEqual([3,
      `homelab: allowlist file ${file} is writable by group or others (mode 666): anyone could change who may use the bot`,
      `  run: chmod 600 ${file}`]);
    expect(mode.stdout).not.toContain('666666');
    const allow = await runCli(['telegram', 'allow', '4242', '--yes'], env);
    expect(allow.code).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe('666666\n');
    const doctor = (await runDoctor(env, new AbortController().signal)).checks.find((c) => c.area === 'files' && c.name === 'allowlist');
    expect(doctor).toMatchObject({ status: 'fail', exitCode: 3, fix: `run: chmod 600 ${file}` });
    // Readable by others is no harm (ids, no secret): the original bot's 0644 is read, once the folder is safe too.
    chmodSync(file, 0o644);
    const folder = await runCli(['telegram', 'users'], env);
    expect([folder.code, ...said(folder.stderr)]).toEqual([3,
      `homelab: folder ${dirname(file)} of the allowlist file is writable by others (mode 777): anyone could replace the allowlist file, which decides who may use the bot`,
      `  run: chmod o-w ${dirname(file)}`]);
    expect((await runCli(['telegram', 'allow', '4242', '--yes'], env)).code).toBe(3);
    chmodSync(dirname(file), 0o700);
    const fixed = await runCli(['telegram', 'users'], env);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('666666');
    expect((await runDoctor(env, new AbortController().signal)).checks.find((c) => c.area === 'files' && c.name === 'allowlist')?.status).toBe('pass');
  });

  it('belonging to someone else: refused, with the chown or run-as-owner fix', async () => {
    const { env } = home();
    const file = authorizedUsersFile(env.HOMELAB_DATA_HOME);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, '666666\n', { mode: 0o600 });
    const who = foreign(file);
    const owner = asRoot ? NOBODY : me;
    expect(refusal(file, ALLOWLIST, env, who)?.message).toMatch(new RegExp(`^allowlist file ${file} belongs to another user \\(uid ${owner}\\), not you \\(uid ${who.uid}\\) or root.*: whoever owns it decides who may use the bot$`));
    if (asRoot) {
      expect(() => readAuthorizedUsers(env.HOMELAB_DATA_HOME, env)).toThrow(ConfigError);
      const run = await runCli(['telegram', 'users'], env);
      expect(run.code).toBe(3);
      expect(said(run.stderr)[1]).toBe(`  run homelab as its owner: sudo -u nobody homelab …`);
    }
  });

  it('telegram allow never follows a link planted where its temporary file goes', async () => {
    const { dir, env } = home();
    const file = authorizedUsersFile(env.HOMELAB_DATA_HOME);
    // A sticky folder, as /tmp: others may add files but not replace yours; it is accepted.
    mkdirSync(dirname(file), { recursive: true });
    chmodSync(dirname(file), 0o1777);
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me\n', { mode: 0o600 });
    symlinkSync(victim, `${file}.tmp-${process.pid}`);
    expect(await allowUser(env.HOMELAB_DATA_HOME, 4242, env)).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(readAuthorizedUsers(env.HOMELAB_DATA_HOME, env)).toEqual([4242]);
  });
});

describe('the dashboard\'s password file', () => {
  it('of another owner or in a folder others may write: refused (serve exits 3); yours, 0600, in your folder: read', async () => {
    const { env } = home();
    const file = passwordsFile(env);
    await setPassword('admin', 'correct horse', env);
    expect([...(loadPasswords(env)?.keys() ?? [])]).toEqual(['admin']);
    chmodSync(dirname(file), 0o777);
    expect(() => loadPasswords(env)).toThrow(`folder ${dirname(file)} of the password file is writable by others (mode 777): anyone could replace the password file, which decides who may log in to the dashboard`);
    const serve = await runCli(['serve', '--port', '0'], env, { timeoutMs: 15_000 });
    expect([serve.code, ...said(serve.stderr)]).toEqual([3, expect.stringContaining(`folder ${dirname(file)} of the password file is writable by others`), `  run: chmod o-w ${dirname(file)}`]);
    await expect(setPassword('eve', 'another one', env)).rejects.toThrow(ConfigError);
    chmodSync(dirname(file), 0o700);
    expect(refusal(file, PASSWORDS, env)).toBeUndefined();
    const who = foreign(file);
    expect(refusal(file, PASSWORDS, env, who)?.message).toMatch(new RegExp(`^password file ${file} belongs to another user .*: whoever owns it decides who may log in to the dashboard$`));
    if (asRoot) expect(() => loadPasswords(env)).toThrow(`password file ${file} belongs to another user (uid ${NOBODY})`);
  });
});

describe('the MCP token', () => {
  it('generated or configured, of another owner or in a folder others may write: refused; yours: read', async () => {
    const { dir, env } = home();
    const data = env.HOMELAB_DATA_HOME;
    const settings = mcpConfig(loadConfig(env));
    const made = loadOrCreateToken(settings, data, env);
    expect(made.created).toBe(true);
    expect(loadOrCreateToken(settings, data, env).token).toBe(made.token);
    chmodSync(dirname(made.file), 0o777);
    expect(() => loadOrCreateToken(settings, data, env)).toThrow(`folder ${dirname(made.file)} of the token file is writable by others (mode 777)`);
    const mcp = await runCli(['mcp', '--http', '--port', '0'], env, { timeoutMs: 15_000 });
    expect([mcp.code, said(mcp.stderr)[1]]).toEqual([3, `  run: chmod o-w ${dirname(made.file)}`]);
    chmodSync(dirname(made.file), 0o700);
    // A token_file you manage, handed to someone else.
    const own = join(dir, 'mcp-token');
    writeFileSync(own, 'a-token-of-enough-length\n', { mode: 0o600 });
    const configured = { ...settings, token_file: own };
    expect(loadOrCreateToken(configured, data, env).token).toBe('a-token-of-enough-length');
    const who = foreign(own);
    expect(refusal(own, MCP_TOKEN, env, who)?.message).toMatch(new RegExp(`^token file ${own} belongs to another user .*: whoever owns it decides who may call the MCP server$`));
    if (asRoot) expect(() => loadOrCreateToken(configured, data, env)).toThrow(`token file ${own} belongs to another user (uid ${NOBODY})`);
  });
});

describe('an SSH private key', () => {
  it('readable by others: refused when a session starts (exit 3, not a connection attempt) and in doctor; 0600: used', async () => {
    const { env, key } = home();
    const config = loadConfig(env);
    const target = config.ssh.targets[0];
    if (!target) throw new Error('no target');
    expect(sessionOptions(config, target, env).keyPath).toBe(key);
    chmodSync(key, 0o644);
    expect(() => sessionOptions(config, target, env)).toThrow(`target dns: SSH key file ${key} is readable by group or others (mode 644)`);
    const run = await runCli(['updates', 'check', '--target', 'dns'], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`SSH key file ${key} is readable by group or others (mode 644)`);
    expect(run.stdout).toContain(`chmod 600 ${key}`);
    const doctor = (await runDoctor(env, new AbortController().signal)).checks.find((c) => c.area === 'ssh' && c.name === 'host dns');
    expect(doctor).toMatchObject({ status: 'fail', exitCode: 3, fix: `run: chmod 600 ${key}` });
    chmodSync(key, 0o600);
    const who = foreign(key);
    expect(refusal(key, SSH_KEY, env, who)?.message).toMatch(new RegExp(`^SSH key file ${key} belongs to another user .*: whoever owns it decides who may log in to the hosts as homelab$`));
    if (asRoot) expect(() => sessionOptions(config, target, env)).toThrow(`SSH key file ${key} belongs to another user (uid ${NOBODY})`);
  });

  it('the lab\'s generated keys are 0600 already', () => {
    const { key } = home();
    expect(refusal(key, SSH_KEY, {})).toBeUndefined();
  });
});
