/**
 * config.yaml decides where tokens are sent, so one that others may write is refused
 * (exit 3, with the chmod fix), as a credentials file others may read is; so is one in a
 * folder others may write (they could replace the file), unless the folder is sticky, up
 * to the config home (someone could replace the whole `homelab/` folder); and one whose
 * file, folder or config home another user than the running one or root owns (sshd's
 * StrictModes; the whole rule in config-owner.test.ts).
 * Group-writable files and folders are accepted.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { checkCredentialsOwner, loadCredentials } from '../../src/core/credentials.js';
import { ConfigError, ExitCode } from '../../src/core/errors.js';
import { linkStat } from '../../src/core/trusted-owner.js';
import { runCli } from '../helpers/cli.js';
import { refusalAs } from '../helpers/refusal.js';

const root = mkdtempSync(join(tmpdir(), 'config-mode-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function home(mode: number, folderMode = 0o755): { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string; path: string } {
  const dir = mkdtempSync(join(root, 'h-'));
  const path = join(dir, 'config', 'homelab', 'config.yaml');
  mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
  writeFileSync(path, 'services:\n  dns:\n    url: http://127.0.0.1:9\n');
  chmodSync(path, mode);
  chmodSync(join(dir, 'config', 'homelab'), folderMode);
  return { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data'), path };
}

const asRoot = process.getuid?.() === 0;
/**
 * Hands `path` to another user, really (as root: chown to uid 4242) or as the check sees it
 * (as anyone else, who cannot chown: the running uid it is given is another than the owner's).
 * Returns the uid to check as.
 */
function foreign(path: string): number {
  if (asRoot) {
    chownSync(path, 4242, 4242);
    return 0;
  }
  return statSync(path).uid + 1;
}

/** The error `loadConfig` throws for `env`. */
function refusal(env: NodeJS.ProcessEnv): unknown {
  try {
    loadConfig(env);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('config.yaml permissions', () => {
  it('refuses a config file that others may write, naming the fix', () => {
    const { path, ...env } = home(0o666);
    let error: unknown;
    try {
      loadConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.config);
    expect((error as ConfigError).message).toBe(`config file ${path} is writable by others (mode 666): it decides where credentials are sent`);
    expect((error as ConfigError).hint).toBe(`run: chmod o-w ${path}`);
  });

  it('accepts the usual modes', () => {
    for (const mode of [0o600, 0o640, 0o644, 0o664]) {
      const { path, ...env } = home(mode);
      expect(loadConfig(env).path).toBe(path);
    }
  });

  it('refuses a config file in a folder that others may write (anyone could replace the file), naming the fix', () => {
    const { path, ...env } = home(0o600, 0o777);
    const folder = dirname(path);
    const error = refusal(env);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(ExitCode.config);
    expect((error as ConfigError).message).toBe(`folder ${folder} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`);
    expect((error as ConfigError).hint).toBe(`run: chmod o-w ${folder}`);
    expect(refusal(home(0o600, 0o703))).toBeInstanceOf(ConfigError);
  });

  it('accepts a group-writable folder, and a sticky one (others cannot replace a file they do not own)', () => {
    for (const folderMode of [0o700, 0o750, 0o755, 0o770, 0o775, 0o1777]) {
      const { path, ...env } = home(0o600, folderMode);
      expect(refusal(env), `folder mode ${folderMode.toString(8)}`).toBeUndefined();
      expect(loadConfig(env).path).toBe(path);
    }
  });

  it('the CLI exits 3 with one line and the chmod fix for a world-writable folder', async () => {
    const { path, ...env } = home(0o600, 0o777);
    const result = await runCli(['dns', 'records', 'home.lan'], env);
    expect(result.code).toBe(3);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `homelab: folder ${dirname(path)} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`,
      `  run: chmod o-w ${dirname(path)}`,
    ]);
  });

  it('the CLI exits 3 with the chmod fix', async () => {
    const { path, ...env } = home(0o646);
    const result = await runCli(['dns', 'records', 'home.lan'], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`config file ${path} is writable by others (mode 646)`);
    expect(result.stderr).toContain(`run: chmod o-w ${path}`);
  });

  it('refuses a config file, its folder or its config home that another user owns (not the running one, not root), naming the fix', () => {
    const { path, HOMELAB_CONFIG_HOME: configHome } = home(0o644);
    const me = statSync(path).uid;
    expect(refusalAs(path, me)).toBeUndefined();
    const uid = foreign(path);
    const error = refusalAs(path, uid);
    expect(error).toBeInstanceOf(ConfigError);
    if (asRoot) {
      // Root: the file is a stranger's (the config home is root's); run as its owner (a chown would lock the owner's services out).
      expect(error?.message).toBe(`config file ${path} belongs to another user (uid 4242), not you (uid 0) or root: whoever owns it decides where credentials are sent`);
      expect(error?.hint).toBe(`run homelab as its owner: sudo -u '#4242' homelab …`);
      const other = home(0o600);
      foreign(dirname(other.path));
      expect(refusalAs(other.path, 0)?.message).toMatch(/^config folder .* belongs to another user \(uid 4242\)/);
    } else {
      // Anyone else, checked as another uid: the config home (outermost) is a stranger's first; take it.
      expect(error?.message).toBe(`config home ${configHome} belongs to another user (uid ${me}), not you (uid ${uid}) or root: whoever owns it decides where credentials are sent`);
      expect(error?.hint).toMatch(new RegExp(`^check what it says, then run: sudo chown \\S+ ${configHome.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
  });

  it('refuses a config home others may write: anyone could swap the homelab/ folder for their own', async () => {
    const { path, ...env } = home(0o600);
    const configHome = env.HOMELAB_CONFIG_HOME;
    chmodSync(configHome, 0o777);
    const error = refusal(env);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`folder ${configHome} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`);
    expect((error as ConfigError).hint).toBe(`run: chmod o-w ${configHome}`);
    const doctor = await runCli(['doctor'], env);
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toContain(`✗ config  parses`);
    chmodSync(configHome, 0o1777);
    expect(loadConfig(env).path).toBe(path);
  });

  it('refuses a credentials file another user owns, as the config file', () => {
    const { path, ...env } = home(0o600);
    const file = join(env.HOMELAB_CONFIG_HOME, 'dns', 'credentials');
    mkdirSync(dirname(file), { mode: 0o700 });
    writeFileSync(file, 'DNS_TOKEN=abc\n', { mode: 0o600 });
    expect(loadCredentials('dns', ['DNS_TOKEN'], undefined, env).DNS_TOKEN).toBe('abc');
    // As root the file is really handed to 4242; as anyone else, it is checked as another uid than its owner's.
    const uid = foreign(file);
    const owner = statSync(file).uid;
    const found = linkStat(file);
    expect(found).toBeDefined();
    if (found) expect(() => checkCredentialsOwner(file, found, env, { uid, groups: [] })).toThrow(`credentials file ${file} belongs to another user (uid ${owner}), not you (uid ${uid}) or root: whoever owns it chooses the account homelab acts as`);
    if (asRoot) expect(() => loadCredentials('dns', ['DNS_TOKEN'], undefined, env)).toThrow(`credentials file ${file} belongs to another user (uid 4242), not you (uid 0) or root`);
    expect(loadConfig(env).path).toBe(path);
  });
});
