/**
 * Whose config.yaml and credentials homelab trusts (core/trusted-owner): yours, root's, the
 * config home's owner's when you or root gave them that folder (root running `homelab status`
 * against /etc/homelab, owned by the deploy/ units' `homelab` user), and any kept by a
 * group you are in that may write it (a config shared by admins: 0660, folders 2770).
 * A folder anyone could have made (in /tmp) vouches for no one. A symlinked config.yaml,
 * or a linked homelab/ folder, is judged where it really is too.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfigPermissions } from '../../src/core/config-permissions.js';
import { loadCredentials } from '../../src/core/credentials.js';
import { ConfigError } from '../../src/core/errors.js';
import { inspectCredentials } from '../../src/services/general/credentials-check.js';
import { serviceSpecs } from '../../src/services/general/service-specs.js';
import { CLI, cliEnv, runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'config-owner-'));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const asRoot = process.getuid?.() === 0;
const CONFIG = 'services:\n  dns:\n    url: http://127.0.0.1:9\n';

/** A config home `<tmp>/config` holding homelab/config.yaml; `path` is the file. */
function home(): { configHome: string; path: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'h-'));
  chmodSync(dir, 0o755);
  const configHome = join(dir, 'config');
  mkdirSync(join(configHome, 'homelab'), { recursive: true });
  const path = join(configHome, 'homelab', 'config.yaml');
  writeFileSync(path, CONFIG, { mode: 0o600 });
  return { configHome, path, env: { HOMELAB_CONFIG_HOME: configHome, HOMELAB_DATA_HOME: join(dir, 'data') } };
}

/** What `checkConfigPermissions` throws for `path` as `uid` in `groups`, or undefined. */
function refusalAs(path: string, uid: number, groups: readonly number[]): ConfigError | undefined {
  try {
    checkConfigPermissions(path, statSync(path), { uid, groups });
  } catch (err) {
    return err as ConfigError;
  }
  return undefined;
}

/** Runs the built CLI as `uid`:`gid` (root only: the child drops to them), with a home and cache it cannot write to. */
function runCliAs(uid: number, gid: number, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { uid, gid, env: { ...cliEnv(root), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('config kept by a group of admins', () => {
  it('accepts a file and folder another member owns when the group may write them and you are in it; not when the group may not write', () => {
    const { path } = home();
    // Owned by another member (root hands it to 4242:4300; anyone else keeps it and checks as the next uid).
    if (asRoot) for (const p of [path, dirname(path)]) chownSync(p, 4242, 4300);
    const { uid: owner, gid } = statSync(path);
    chmodSync(path, 0o660);
    chmodSync(dirname(path), 0o2770);
    // Another member of the group: uid owner+1 in the file's group.
    expect(refusalAs(path, owner + 1, [gid])).toBeUndefined();
    // Someone outside it is refused.
    expect(refusalAs(path, owner + 1, [gid + 1])?.message).toMatch(/^config file .* belongs to another user/);
    // Kept by the group but only the owner may write: not trusted, and the fix is the group's write, not a chown locking the owner out.
    chmodSync(path, 0o640);
    const error = refusalAs(path, owner + 1, [gid]);
    expect(error?.message).toBe(`config file ${path} belongs to another user (uid ${owner}), not you (uid ${owner + 1}) or root: whoever owns it decides where credentials are sent`);
    expect(error?.hint).toBe(`check what it says, then let its group (gid ${gid}) keep it: sudo chmod g+w ${path}`);
  });

  it('a real run as another member of the group (uid 4243 in 4300) uses a config 4242:4300 0660 in folders 2770', async () => {
    if (!asRoot) return; // only root can hand files to other users and run as them; the rule itself is checked above
    const { configHome, path, env } = home();
    // The config home is root's, kept by the group (as /srv/lab): only the group rule trusts 4242 here.
    chownSync(configHome, 0, 4300);
    chmodSync(configHome, 0o2770);
    for (const [p, mode] of [[dirname(path), 0o2770], [path, 0o660]] as const) {
      chownSync(p, 4242, 4300);
      chmodSync(p, mode);
    }
    const member = await runCliAs(4243, 4300, ['services'], env);
    expect(member.stderr).toBe('');
    expect(member.code).toBe(0);
    const stranger = await runCliAs(4244, 4301, ['services'], env);
    expect(stranger.code).toBe(3); // cannot even read it
    // The group may not write it: another member is refused, with the group's fix.
    chmodSync(path, 0o640);
    const refused = await runCliAs(4243, 4300, ['services'], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toBe(`homelab: config file ${path} belongs to another user (uid 4242), not you (uid 4243) or root: whoever owns it decides where credentials are sent\n  check what it says, then let its group (gid 4300) keep it: sudo chmod g+w ${path}\n`);
  });
});

describe('a config home given to a service user', () => {
  it('root uses /etc/homelab-like files owned by the config home owner (a folder only root could give them)', async () => {
    const { configHome, path, env } = home();
    if (asRoot) for (const p of [configHome, dirname(path), path]) chownSync(p, 4242, 4242);
    const owner = statSync(path).uid;
    // The one running (root, or an uid that is not the owner), with the folder above owned by root or them and not writable by others.
    const runner = asRoot ? 0 : owner + 1;
    if (asRoot) {
      expect(refusalAs(path, runner, [])).toBeUndefined();
      const result = await runCli(['services'], env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      // Its credentials too, for the run and for doctor.
      const file = join(configHome, 'dns', 'credentials');
      mkdirSync(dirname(file));
      writeFileSync(file, 'DNS_TOKEN=abc\n', { mode: 0o600 });
      chownSync(file, 4242, 4242);
      expect(loadCredentials('dns', ['DNS_TOKEN'], undefined, env).DNS_TOKEN).toBe('abc');
      const dns = serviceSpecs.find((s) => s.credentialsDir === 'dns');
      expect(dns && inspectCredentials(dns, env).state).toBe('ok');
    }
    // A config home in a folder anyone may write (a /tmp): anyone could have made it, so its owner is no one's choice.
    chmodSync(dirname(configHome), 0o1777);
    const error = refusalAs(path, runner, []);
    expect(error?.message).toMatch(new RegExp(`^config file ${path} belongs to another user \\(uid ${owner}\\)`));
    if (asRoot) {
      expect(error?.hint).toBe(`run homelab as its owner: sudo -u '#4242' homelab …`);
      const result = await runCli(['services'], env);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`run homelab as its owner: sudo -u '#4242' homelab …`);
      expect(() => loadCredentials('dns', ['DNS_TOKEN'], undefined, env)).toThrow(`credentials file ${join(configHome, 'dns', 'credentials')} belongs to another user (uid 4242), not you (uid 0) or root`);
      const dns = serviceSpecs.find((s) => s.credentialsDir === 'dns');
      expect(dns && inspectCredentials(dns, env).fix).toBe(`run homelab as its owner: sudo -u '#4242' homelab …`);
    }
  });
});

describe('a symlinked config.yaml (dotfiles)', () => {
  /** `<home>/homelab/config.yaml` a link to `<dotfiles>/config.yaml`, or the whole homelab/ folder a link to `<dotfiles>/homelab`. */
  function linked(whole: boolean, dotfilesMode: number): { path: string; dotfiles: string; real: string } {
    const dir = mkdtempSync(join(root, 'd-'));
    const dotfiles = join(dir, 'x', 'dotfiles');
    const configHome = join(dir, 'config');
    const real = whole ? join(dotfiles, 'homelab') : dotfiles;
    mkdirSync(real, { recursive: true });
    writeFileSync(join(real, 'config.yaml'), CONFIG, { mode: 0o600 });
    mkdirSync(configHome);
    if (whole) symlinkSync(real, join(configHome, 'homelab'));
    else {
      mkdirSync(join(configHome, 'homelab'));
      symlinkSync(join(real, 'config.yaml'), join(configHome, 'homelab', 'config.yaml'));
    }
    chmodSync(dotfiles, dotfilesMode);
    return { path: join(configHome, 'homelab', 'config.yaml'), dotfiles, real };
  }

  it('refuses one whose real folder, or a folder above it, others may write, naming the real folder', () => {
    const me = process.getuid?.() ?? 0;
    const file = linked(false, 0o777);
    const error = refusalAs(file.path, me, []);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe(`folder ${file.dotfiles} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`);
    expect(error?.hint).toBe(`run: chmod o-w ${file.dotfiles}`);
    const folder = linked(true, 0o777);
    expect(refusalAs(folder.path, me, [])?.message).toBe(`folder ${folder.dotfiles} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`);
  });

  it('accepts one kept safely, and a sticky folder above it', () => {
    const me = process.getuid?.() ?? 0;
    for (const mode of [0o700, 0o755, 0o775, 0o1777]) {
      expect(refusalAs(linked(false, mode).path, me, []), mode.toString(8)).toBeUndefined();
      expect(refusalAs(linked(true, mode).path, me, []), mode.toString(8)).toBeUndefined();
    }
  });

  it('refuses one whose real folder belongs to someone not trusted', () => {
    if (!asRoot) return; // only root can hand a folder to someone else
    const file = linked(false, 0o755);
    chownSync(file.dotfiles, 4242, 4242);
    expect(refusalAs(file.path, 0, [])?.message).toBe(`config folder ${file.dotfiles} belongs to another user (uid 4242), not you (uid 0) or root: whoever owns it decides where credentials are sent`);
  });
});
