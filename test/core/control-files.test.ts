/**
 * The files besides credentials that decide who controls the lab (core/private-file): the
 * bot's allowlist, the dashboard's password file, the MCP token and an SSH private key. Each
 * is refused (exit 3, with the fix) when others could change it (its mode, or a folder others
 * may write) or it belongs to someone homelab does not trust, by the built CLI, by the readers
 * themselves and by doctor; followed, the fix is accepted. Another owner is played by handing
 * the file to uid 65534 when the test runs as root, else by another uid injected against the
 * test's own files.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { ALLOWLIST, MCP_TOKEN, PASSWORDS, SSH_KEY, statPrivateFile, type PrivateKind } from '../../src/core/private-file.js';
import { generateKeyPair } from '../../src/lab/ssh-target/keys.js';
import type { DoctorCheck } from '../../src/services/setup/doctor/check.js';
import { runDoctor } from '../../src/services/setup/doctor/operation.js';
import { allowUser, authorizedUsersFile, isAllowed, readAuthorizedUsers } from '../../src/services/telegram/allowlist.js';
import { sessionOptions } from '../../src/services/updates/targets.js';
import { loadOrCreateToken, mcpConfig } from '../../src/surfaces/mcp/config.js';
import { Logins } from '../../src/surfaces/web/logins.js';
import { loadPasswords, passwordsFile, setPassword } from '../../src/surfaces/web/passwords.js';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'control-files-'));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const asRoot = process.getuid?.() === 0;
/** The name of group `gid`, as /etc/group has it. */
const groupOf = (gid: number): string => readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[2] === String(gid))?.split(':')[0] ?? `gid ${gid}`;
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

/** The doctor check `name` of the `files` area. */
const doctorFile = async (env: Record<string, string>, name: string): Promise<DoctorCheck | undefined> =>
  (await runDoctor(env, new AbortController().signal)).checks.find((c) => c.area === 'files' && c.name === name);

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
      `homelab: allowlist file ${file} is writable by others (mode 666): anyone could change who may use the bot`,
      `  run: chmod o-w ${file}`]);
    expect(mode.stdout).not.toContain('666666');
    const allow = await runCli(['telegram', 'allow', '4242', '--yes'], env);
    expect(allow.code).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe('666666\n');
    const doctor = (await runDoctor(env, new AbortController().signal)).checks.find((c) => c.area === 'files' && c.name === 'allowlist');
    expect(doctor).toMatchObject({ status: 'fail', exitCode: 3, fix: `run: chmod o-w ${file}` });
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

  it('of another member of a group you are in that may write it: shared as config.yaml is; 0640, the owner is asked to let the group write it', () => {
    const { env } = home();
    const file = authorizedUsersFile(env.HOMELAB_DATA_HOME);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, '4242\n');
    chmodSync(file, 0o660);
    if (asRoot) chownSync(file, NOBODY, 4300);
    const owner = asRoot ? NOBODY : me;
    const member = { uid: owner + 1, groups: [statSync(file).gid] };
    expect(refusal(file, ALLOWLIST, env, member)).toBeUndefined();
    chmodSync(file, 0o640);
    const refused = refusal(file, ALLOWLIST, env, member);
    expect(refused?.message).toBe(`allowlist file ${file} belongs to another user (uid ${owner}), not you (uid ${owner + 1}) or root: whoever owns it decides who may use the bot`);
    expect(refused?.hint).toMatch(/^check what it says, then ask its owner \(.+\) to make it group-writable: chmod g\+w /);
    // Not of your group: refused, with the chown fix; never "it is 0600" (the allowlist need not be).
    expect(refusal(file, ALLOWLIST, env, { uid: owner + 1, groups: [] })?.hint).toBe(`check what it says, then run: sudo chown ${owner + 1} ${file}`);
  });

  it('doctor names who may change it: its owner, the group when it may write it, and root', async () => {
    const { env } = home();
    const file = authorizedUsersFile(env.HOMELAB_DATA_HOME);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, '4242\n');
    chmodSync(file, 0o600);
    const mine = asRoot ? 'only root may change it' : `only ${userInfo().username} (its owner) and root may change it`;
    expect((await doctorFile(env, 'allowlist'))?.detail).toBe(`${file}: ${mine}, which decides who may use the bot`);
    if (!asRoot) return;
    // As root, a file of the config home's owner (the deploy/ units' homelab user) is theirs, not "yours".
    chownSync(env.HOMELAB_CONFIG_HOME, NOBODY, NOBODY);
    chownSync(file, NOBODY, NOBODY);
    chmodSync(file, 0o660);
    expect((await doctorFile(env, 'allowlist'))?.detail).toBe(`${file}: only nobody (its owner), the group ${groupOf(NOBODY)} and root may change it, which decides who may use the bot`);
  });

  it('the bot judges it with its own environment: as root, the config home it was given decides whose file it trusts', () => {
    if (!asRoot) return;
    const { env } = home();
    const file = authorizedUsersFile(env.HOMELAB_DATA_HOME);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, '4242\n', { mode: 0o600 });
    chownSync(env.HOMELAB_CONFIG_HOME, NOBODY, NOBODY);
    chownSync(file, NOBODY, NOBODY);
    const tg = { api_root: 'http://127.0.0.1:9', allowed_users: [], timeout_seconds: 30, operation_timeouts: {}, max_file_mb: 20 };
    expect(isAllowed(tg, env.HOMELAB_DATA_HOME, 4242, env)).toBe(true);
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
    // Where a name made of the pid alone would go, a folder no one can remove as a file: the name is random, so nothing is in the way.
    mkdirSync(`${file}.${process.pid}.tmp`);
    expect(await allowUser(env.HOMELAB_DATA_HOME, 4242, env)).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(readAuthorizedUsers(env.HOMELAB_DATA_HOME, env)).toEqual([4242]);
    // A temporary file a killed writer left is removed by the next write; the planted ones are left as they are.
    const left = `${file}.0123456789ab.999999999.tmp`;
    writeFileSync(left, '1\n');
    expect(await allowUser(env.HOMELAB_DATA_HOME, 4343, env)).toBe(true);
    expect(readdirSync(dirname(file)).sort()).toEqual(['authorized_users', `authorized_users.${process.pid}.tmp`, `authorized_users.tmp-${process.pid}`]);
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

  it('serve passwd writes through no name planted beside it (its temporary file\'s name is random)', async () => {
    const { dir, env } = home();
    const file = passwordsFile(env);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me\n', { mode: 0o600 });
    symlinkSync(victim, `${file}.tmp-${process.pid}`);
    mkdirSync(`${file}.${process.pid}.tmp`);
    await setPassword('admin', 'correct horse', env);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect([...(loadPasswords(env)?.keys() ?? [])]).toEqual(['admin']);
  });

  it('the dashboard judges it with its own environment: as root, the config home it was given decides whose file it trusts', async () => {
    if (!asRoot) return;
    const { env } = home();
    const file = passwordsFile(env);
    await setPassword('admin', 'correct horse', env);
    chownSync(env.HOMELAB_CONFIG_HOME, NOBODY, NOBODY);
    chownSync(dirname(file), NOBODY, NOBODY);
    chownSync(file, NOBODY, NOBODY);
    const logins = new Logins({ file, env, loopback: false, checkMs: 0, log: () => undefined });
    expect([...(logins.current()?.keys() ?? [])]).toEqual(['admin']);
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

  it('as OpenSSH judges it: yours 0600; root\'s (or, as root, the config home owner\'s) may be read by its group, never by others nor written; another user\'s: the chown fix', () => {
    const { env, key } = home();
    // Yours, readable by its group: refused (OpenSSH's UNPROTECTED PRIVATE KEY FILE), fixed by chmod 600.
    chmodSync(key, 0o640);
    const mine = refusal(key, SSH_KEY, env);
    expect([mine?.message, mine?.hint]).toEqual([`SSH key file ${key} is readable by group (mode 640)`, `run: chmod 600 ${key}`]);
    const other = { uid: me + 1, groups: [] as number[] };
    if (asRoot) {
      // The deploy layout: root:homelab 0640, read by the homelab user it was made for.
      expect(refusal(key, SSH_KEY, env, other)).toBeUndefined();
      chmodSync(key, 0o644);
      const open = refusal(key, SSH_KEY, env, other);
      expect([open?.message, open?.hint]).toEqual([`SSH key file ${key} is readable by others (mode 644)`, `run: sudo chmod g-w,o-rwx ${key}`]);
      chmodSync(key, 0o660);
      expect(refusal(key, SSH_KEY, env, other)?.message).toBe(`SSH key file ${key} is writable by group (mode 660): its group could change who may log in to the hosts as homelab`);
      // As root, a key of the config home's owner may be read by its group too; not by others.
      chownSync(env.HOMELAB_CONFIG_HOME, NOBODY, NOBODY);
      chownSync(key, NOBODY, NOBODY);
      chmodSync(key, 0o640);
      expect(refusal(key, SSH_KEY, env)).toBeUndefined();
      chmodSync(key, 0o604);
      expect(refusal(key, SSH_KEY, env)?.hint).toBe(`run: chmod g-w,o-rwx ${key}`);
      chmodSync(key, 0o640);
    }
    // Another user's (not root): refused whatever its mode, with the chown fix; shared by a group, never (only root's may be).
    const stranger = { uid: (asRoot ? NOBODY : me) + 1, groups: [] as number[] };
    if (!asRoot) chmodSync(key, 0o600);
    expect(refusal(key, SSH_KEY, env, stranger)?.hint).toBe(`check what it says, then run: sudo chown ${stranger.uid} ${key}`);
    const member = refusal(key, SSH_KEY, env, { uid: stranger.uid, groups: [statSync(key).gid] });
    expect(member?.message).toContain('(a key a group shares must be root\'s)');
    expect(member?.hint).toContain(`take it: sudo chown ${stranger.uid} ${key}`);
  });

  it('the lab\'s generated keys are 0600 already', () => {
    const { key } = home();
    expect(refusal(key, SSH_KEY, {})).toBeUndefined();
  });
});
