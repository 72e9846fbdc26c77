/**
 * Whose config.yaml and credentials homelab trusts (core/trusted-owner). H is the config home.
 * Not root: yours or root's; a config.yaml or homelab/ folder of a group you are in that may
 * write it is accepted from another member, only in an H you or root own that others may not
 * write (an attacker's H vouches for no one). Root: root's, or H's owner's (/etc/homelab of the
 * deploy/ units' homelab user). Credentials never by group (they are 0600).
 * The rule is checked with injected identities and stat results; real files as whoever runs
 * the test (own files; "you" played by another uid against them), and, as root (CI), files
 * handed to other uids and real runs as them. Nothing depends on who owns the folders above
 * the test's own.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCredentialsOwner, loadCredentials } from '../../src/core/credentials.js';
import { ConfigError } from '../../src/core/errors.js';
import { linkStat, ownerRefusal, type HomeFacts, type OwnerFacts } from '../../src/core/trusted-owner.js';
import { inspectCredentials } from '../../src/services/setup/credentials-check.js';
import { serviceSpecs } from '../../src/services/setup/service-specs.js';
import { cliEnv, runCli } from '../helpers/cli.js';
import { readableCli } from '../helpers/readable-cli.js';
import { refusalAs } from '../helpers/refusal.js';

const root = mkdtempSync(join(tmpdir(), 'config-owner-'));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const asRoot = process.getuid?.() === 0;
const me = process.getuid?.() ?? 0;
const myGroup = process.getgid?.() ?? 0;
const CONFIG = 'services:\n  dns:\n    url: http://127.0.0.1:9\n';

/** A config home H (`<tmp>/config`, 0755) holding homelab/config.yaml (0600) and dns/credentials (0600). */
function home(): { configHome: string; path: string; credentials: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'h-'));
  chmodSync(dir, 0o755);
  const configHome = join(dir, 'config');
  mkdirSync(join(configHome, 'homelab'), { recursive: true, mode: 0o755 });
  const path = join(configHome, 'homelab', 'config.yaml');
  writeFileSync(path, CONFIG, { mode: 0o600 });
  const credentials = join(configHome, 'dns', 'credentials');
  mkdirSync(dirname(credentials), { mode: 0o755 });
  writeFileSync(credentials, 'DNS_TOKEN=abc\n', { mode: 0o600 });
  return { configHome, path, credentials, env: { HOMELAB_CONFIG_HOME: configHome, HOMELAB_DATA_HOME: join(dir, 'data') } };
}

let cliCopy: string | undefined;

/** Runs the built CLI as `uid`:`gid` (root only: the child drops to them), with a home and cache it cannot write to. */
function runCliAs(uid: number, gid: number, args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    // A copy they can read: the checkout may be in a folder closed to others (a fresh clone in mktemp -d).
    cliCopy ??= readableCli(root);
    const child = spawn(process.execPath, [cliCopy, ...args], { uid, gid, env: { ...cliEnv(root), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** What the credentials check says of the file at `path` for `who` (env: its config home), or undefined. */
function credentialsRefusal(path: string, env: Record<string, string>, who: { uid: number; groups: number[] }): ConfigError | undefined {
  const found = linkStat(path);
  if (!found) throw new Error(`${path} is missing`);
  try {
    checkCredentialsOwner(path, found, env, who);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  return undefined;
}

const dnsSpec = serviceSpecs.find((s) => s.credentialsDir === 'dns');

describe('the rule (injected identities and stat results)', () => {
  const facts = (uid: number, gid: number, mode: number): OwnerFacts => ({ uid, gid, mode });
  /** H owned by `uid`, in a folder `parent` (root's 755 by default, as /etc or /srv). */
  const H = (uid: number, mode = 0o2770, parent: OwnerFacts = facts(0, 0, 0o755), gid = 4300): (() => HomeFacts) => () => ({ ...facts(uid, gid, mode), parent: () => parent });
  const member = { uid: 4243, groups: [4300] };

  it('accepts your own and root\'s files, as anyone', () => {
    for (const kind of ['config file', 'config folder', 'config home', 'credentials file'] as const) {
      expect(ownerRefusal(kind, '/x', facts(1000, 1000, 0o600), H(4242), { uid: 1000, groups: [] })).toBeUndefined();
      expect(ownerRefusal(kind, '/x', facts(0, 0, 0o600), H(4242), { uid: 1000, groups: [] })).toBeUndefined();
    }
  });

  it('a group-shared config.yaml or homelab/ folder from another member: accepted in an H you or root own that others may not write', () => {
    for (const kind of ['config file', 'config folder'] as const) {
      expect(ownerRefusal(kind, '/srv/lab/homelab', facts(4242, 4300, 0o2770), H(0), member), kind).toBeUndefined();
      expect(ownerRefusal(kind, '/srv/lab/homelab', facts(4242, 4300, 0o660), H(4243), member), kind).toBeUndefined();
      // Not in the group: take it.
      expect(ownerRefusal(kind, '/p', facts(4242, 4300, 0o660), H(0), { uid: 4243, groups: [4301] })?.fix).toBe('check what it says, then run: sudo chown 4243 /p');
      // In the group, which may not write it: its owner lets the group write it (a chown would lock them out).
      expect(ownerRefusal(kind, '/p', facts(4242, 4300, 0o640), H(0), member)?.fix).toBe('check what it says, then ask its owner (4242) to make it group-writable: chmod g+w /p');
    }
  });

  it('an H the attacker owns, or that others may write (a /tmp), vouches for no group', () => {
    for (const home of [H(4242, 0o755), H(4242, 0o2770), H(0, 0o1777), H(4243, 0o777)]) {
      const refusal = ownerRefusal('config file', '/tmp/x/homelab/config.yaml', facts(4242, 4300, 0o660), home, member);
      expect(refusal?.problem).toMatch(/^belongs to another user \(uid 4242\), not you \(uid 4243\) or root, in a config home that is not yours or root's or that others may write/);
      expect(refusal?.fix).toBe('use a config home you or root own (HOMELAB_CONFIG_HOME)');
    }
    // An H root owns whose group may write it, a group you are not in: its members could make homelab/ there.
    expect(ownerRefusal('config file', '/srv/lab/homelab/config.yaml', facts(4242, 100, 0o660), H(0, 0o2775, facts(0, 0, 0o755), 4301), { uid: 4243, groups: [100] })?.fix).toBe('use a config home you or root own (HOMELAB_CONFIG_HOME)');
    // H itself never takes the group exception: a shared H is root's.
    expect(ownerRefusal('config home', '/srv/lab', facts(4242, 4300, 0o2770), H(4242), member)?.fix).toBe('check what it says, then run: sudo chown root /srv/lab');
  });

  it('root trusts root and H\'s owner, no one else (no group exception)', () => {
    const asRootUser = { uid: 0, groups: [0, 4300] };
    for (const kind of ['config file', 'config folder', 'credentials file'] as const) {
      expect(ownerRefusal(kind, '/etc/homelab/x', facts(4242, 4242, 0o600), H(4242), asRootUser), kind).toBeUndefined();
      const refusal = ownerRefusal(kind, '/etc/homelab/x', facts(4242, 4300, 0o660), H(4244), asRootUser);
      expect(refusal?.problem).toBe('belongs to another user (uid 4242), not you (uid 0) or root or the config home\'s owner (uid 4244)');
      expect(refusal?.fix).toBe('run homelab as its owner: sudo -u \'#4242\' homelab …');
    }
    expect(ownerRefusal('config file', '/x', facts(4242, 4300, 0o660), H(0), asRootUser)?.problem).toBe('belongs to another user (uid 4242), not you (uid 0) or root');
    // An H its owner made in /tmp (sticky, others may write) vouches for no one, for root either; nor does one in a stranger's folder.
    for (const parent of [facts(0, 0, 0o1777), facts(4244, 4244, 0o755)]) {
      for (const kind of ['config home', 'config file', 'credentials file'] as const) {
        const refusal = ownerRefusal(kind, '/tmp/labx/x', facts(4242, 4242, 0o600), H(4242, 0o755, parent), asRootUser);
        expect(refusal?.problem, kind).toMatch(/the config home's owner is trusted only when the folder holding it is root's or theirs and others may not write it$/);
        expect(refusal?.fix).toBe('run homelab as its owner: sudo -u \'#4242\' homelab …');
      }
    }
    // A user's own folder holds their H (sudo keeping HOME): trusted.
    expect(ownerRefusal('config file', '/home/u/.config/homelab/config.yaml', facts(4242, 4242, 0o600), H(4242, 0o700, facts(4242, 4242, 0o750)), asRootUser)).toBeUndefined();
  });

  it('a credentials file is never shared by a group, and its fix does not loop', () => {
    const refusal = ownerRefusal('credentials file', '/srv/lab/dns/credentials', facts(4242, 4300, 0o600), H(0), member);
    expect(refusal?.problem).toBe('belongs to another user (uid 4242), not you (uid 4243) or root (credentials are 0600: a group cannot share them)');
    expect(refusal?.fix).toBe('run homelab as its owner: sudo -u \'#4242\' homelab …, or take it: sudo chown 4243 /srv/lab/dns/credentials');
    expect(refusal?.fix).not.toContain('chmod');
    // Group-writable changes nothing (and the 0600 rule refuses it anyway).
    expect(ownerRefusal('credentials file', '/c', facts(4242, 4300, 0o660), H(0), member)).toBeDefined();
    // Either fix followed: the next run accepts it (the owner running it, or the file taken, still 0600).
    expect(ownerRefusal('credentials file', '/c', facts(4242, 4300, 0o600), H(0), { uid: 4242, groups: [4300] })).toBeUndefined();
    expect(ownerRefusal('credentials file', '/c', facts(4243, 4300, 0o600), H(0), member)).toBeUndefined();
  });
});

describe('real files', () => {
  it('accepts your own config, folders, config home and credentials (the CLI runs)', async () => {
    const { path, credentials, env } = home();
    expect(refusalAs(path, me, [myGroup])).toBeUndefined();
    expect(loadCredentials('dns', ['DNS_TOKEN'], undefined, env).DNS_TOKEN).toBe('abc');
    expect(dnsSpec && inspectCredentials(dnsSpec, env).state).toBe('ok');
    expect(credentialsRefusal(credentials, env, { uid: me, groups: [] })).toBeUndefined();
    const result = await runCli(['services'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('a group-shared config as two uids: another member uses it; an attacker-owned H vouches for no one', async () => {
    const { configHome, path, env } = home();
    // The owner: 4242 (root hands the files over), or whoever runs the test.
    const owner = asRoot ? 4242 : me;
    const group = asRoot ? 4300 : statSync(path).gid;
    if (asRoot) for (const p of [configHome, dirname(path), path]) chownSync(p, owner, group);
    chmodSync(path, 0o660);
    chmodSync(dirname(path), 0o2770);
    chmodSync(configHome, 0o2770);
    // H is the file owner's own: another member (owner + 1, in the group) is refused at H, whatever the group may write.
    const attacked = refusalAs(path, owner + 1, [group]);
    expect(attacked?.message).toBe(`config home ${configHome} belongs to another user (uid ${owner}), not you (uid ${owner + 1}) or root: whoever owns it decides where credentials are sent`);
    // The owner themselves: accepted.
    expect(refusalAs(path, owner, [group])).toBeUndefined();
    if (asRoot) {
      // H root's (as /srv/lab), kept by the group: another member really runs homelab with it.
      chownSync(configHome, 0, 4300);
      expect(refusalAs(path, 4243, [4300])).toBeUndefined();
      const member = await runCliAs(4243, 4300, ['services'], env);
      expect(member.stderr).toBe('');
      expect(member.code).toBe(0);
      expect((await runCliAs(4244, 4301, ['services'], env)).code).toBe(3); // cannot even read it
      chmodSync(path, 0o640);
      const refused = await runCliAs(4243, 4300, ['services'], env);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toBe(`homelab: config file ${path} belongs to another user (uid 4242), not you (uid 4243) or root: whoever owns it decides where credentials are sent\n  check what it says, then ask its owner (4242) to make it group-writable: chmod g+w ${path}\n`);
      // H in a folder only its owner controls but owned by the attacker: refused even for a group-writable file.
      chmodSync(path, 0o660);
      chownSync(configHome, 4242, 4300);
      const squat = await runCliAs(4243, 4300, ['services'], env);
      expect(squat.code).toBe(3);
      expect(squat.stderr).toContain(`homelab: config home ${configHome} belongs to another user (uid 4242), not you (uid 4243) or root`);
    }
  });

  it('credentials shared by a group are refused with a fix that, followed, is accepted', () => {
    const { credentials, env } = home();
    const owner = asRoot ? 4242 : me;
    const group = asRoot ? 4300 : statSync(credentials).gid;
    if (asRoot) chownSync(credentials, owner, group);
    // Another member of its group (owner + 1): refused, the file named (credentials are not judged by H), with no chmod in the fix.
    const refusal = credentialsRefusal(credentials, env, { uid: owner + 1, groups: [group] });
    expect(refusal?.message).toBe(`credentials file ${credentials} belongs to another user (uid ${owner}), not you (uid ${owner + 1}) or root (credentials are 0600: a group cannot share them): whoever owns it chooses the account homelab acts as`);
    expect(refusal?.hint).toMatch(/^run homelab as its owner: sudo -u \S+ homelab …, or take it: sudo chown \S+ /);
    expect(refusal?.hint).not.toContain('chmod');
    // Followed: run as its owner, accepted; and its mode is still the 0600 the mode rule wants.
    expect(credentialsRefusal(credentials, env, { uid: owner, groups: [group] })).toBeUndefined();
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
    if (asRoot) {
      // Or taken (sudo chown 4243): the next run as 4243 accepts it.
      chownSync(credentials, 4243, 4300);
      expect(credentialsRefusal(credentials, env, { uid: 4243, groups: [4300] })).toBeUndefined();
    }
  });

  it('root uses /etc/homelab-like files owned by H\'s owner; not a stranger\'s', async () => {
    const { configHome, path, credentials, env } = home();
    const owner = asRoot ? 4242 : me;
    if (asRoot) for (const p of [configHome, dirname(path), path, credentials]) chownSync(p, 4242, 4242);
    // Root (injected when the test is not root) trusts H's owner: config and credentials.
    expect(refusalAs(path, 0, [0])).toBeUndefined();
    expect(credentialsRefusal(credentials, env, { uid: 0, groups: [0] })).toBeUndefined();
    // The folder holding H made writable by others (a /tmp): anyone could have made H there, so its owner is no longer trusted.
    chmodSync(dirname(configHome), 0o1777);
    expect(refusalAs(path, 0, [0])?.message).toMatch(/the config home's owner is trusted only when the folder holding it is root's or theirs/);
    chmodSync(dirname(configHome), 0o755);
    expect(refusalAs(path, 0, [0])).toBeUndefined();
    if (asRoot) {
      const result = await runCli(['services'], env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(loadCredentials('dns', ['DNS_TOKEN'], undefined, env).DNS_TOKEN).toBe('abc');
      expect(dnsSpec && inspectCredentials(dnsSpec, env).state).toBe('ok');
      // A file of someone else than H's owner: refused, run as its owner.
      chownSync(credentials, 4244, 4244);
      expect(() => loadCredentials('dns', ['DNS_TOKEN'], undefined, env)).toThrow(`credentials file ${credentials} belongs to another user (uid 4244), not you (uid 0) or root or the config home's owner (uid 4242)`);
      expect(dnsSpec && inspectCredentials(dnsSpec, env).fix).toBe(`run homelab as its owner: sudo -u '#4244' homelab …`);
      chownSync(path, 4244, 4244);
      const refused = await runCli(['services'], env);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`run homelab as its owner: sudo -u '#4244' homelab …`);
    } else {
      // Not root, the same files are yours: accepted; "another user" (owner + 1) is refused at H.
      expect(refusalAs(path, owner + 1, [])?.message).toMatch(new RegExp(`^config home ${configHome} belongs to another user \\(uid ${owner}\\)`));
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
    mkdirSync(configHome, { mode: 0o755 });
    if (whole) symlinkSync(real, join(configHome, 'homelab'));
    else {
      mkdirSync(join(configHome, 'homelab'), { mode: 0o755 });
      symlinkSync(join(real, 'config.yaml'), join(configHome, 'homelab', 'config.yaml'));
    }
    chmodSync(dotfiles, dotfilesMode);
    return { path: join(configHome, 'homelab', 'config.yaml'), dotfiles, real };
  }

  it('refuses one whose real folder, or a folder above it, others may write, naming the real folder', () => {
    const file = linked(false, 0o777);
    const error = refusalAs(file.path, me, []);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toBe(`folder ${file.dotfiles} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`);
    expect(error?.hint).toBe(`run: chmod o-w ${file.dotfiles}`);
    const folder = linked(true, 0o777);
    expect(refusalAs(folder.path, me, [])?.message).toBe(`folder ${folder.dotfiles} of the config file is writable by others (mode 777): anyone could replace config.yaml, which decides where credentials are sent`);
  });

  it('accepts one kept safely, and a sticky folder above it', () => {
    for (const mode of [0o700, 0o755, 0o775, 0o1777]) {
      expect(refusalAs(linked(false, mode).path, me, []), mode.toString(8)).toBeUndefined();
      expect(refusalAs(linked(true, mode).path, me, []), mode.toString(8)).toBeUndefined();
    }
  });

  it('judges the owner of its real folder: refused when it is a stranger\'s, accepted when it is H\'s owner\'s (as root)', () => {
    const file = linked(false, 0o755);
    const owner = asRoot ? 4242 : me;
    if (asRoot) chownSync(file.dotfiles, owner, owner);
    // Root running against an H the test made: H is root's, so 4242 is a stranger; as anyone else, H and the dotfiles are the owner's, which root trusts.
    const refusal = refusalAs(file.path, 0, [0]);
    if (asRoot) expect(refusal?.message).toBe(`config folder ${file.dotfiles} belongs to another user (uid 4242), not you (uid 0) or root: whoever owns it decides where credentials are sent`);
    else expect(refusal).toBeUndefined();
    // Its owner runs it: accepted (the rest is root's or theirs).
    expect(refusalAs(file.path, owner, [])).toBeUndefined();
  });
});
