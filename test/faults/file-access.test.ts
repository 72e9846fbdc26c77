/**
 * homelab's own files that cannot be used as they are, as a user meets them: the built CLI
 * against the simulators. The login and state caches under the data folder are best effort
 * (a read-only data folder, a token file of mode 000 or a directory in its place: the command
 * works, logs in, and says so in one warning line naming the file); any other file of
 * homelab's (credentials, the MCP token, the bot's authorised users, the data folder itself)
 * is one line naming the path and why, with the fix, exit 3: never a bare EACCES or EISDIR
 * without its path, exit 1. Permission cases run as another user: uid 65534 when the tests
 * run as root (whom modes do not stop), else the test's own user with the modes set.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, type CliResult } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { runReadOnly } from '../audit/read-only-run.js';
import { readableCli } from '../helpers/readable-cli.js';

const lab = useLab({ services: ['proxy', 'dns', 'kuma', 'beszel'] });
const root = mkdtempSync(join(tmpdir(), 'file-access-'));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Each cached login: the command that makes it, and its file under the data folder. */
const CACHES = [
  { args: ['proxy', 'list'], file: ['npm', 'token.json'] },
  { args: ['kuma', 'list'], file: ['kuma', 'token.json'] },
  { args: ['dns', 'zones'], file: ['dns', 'state.json'] },
  { args: ['beszel', 'systems'], file: ['beszel', 'auth.json'] },
] as const;

const asRoot = process.getuid?.() === 0;
const OTHER = 65534;

/** A copy of the lab's config home and an empty data folder in a folder of its own, handed to the user `runAsOther` runs as. */
function ownHomes(): { config: string; data: string; env: Record<string, string> } {
  const dir = mkdtempSync(join(root, 'h-'));
  chmodSync(dir, 0o755);
  const config = join(dir, 'config');
  const data = join(dir, 'data');
  cpSync(lab.current.env.HOMELAB_CONFIG_HOME, config, { recursive: true });
  mkdirSync(data, { mode: 0o700 });
  return { config, data, env: { HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: data } };
}

/** Hands `path` (and all under it) to the other user, when the tests run as root. */
function handOver(path: string): void {
  if (!asRoot) return;
  chownSync(path, OTHER, OTHER);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) handOver(join(path, name));
}

let otherCli: string | undefined;

/** Runs the built CLI as a user whom file modes stop: uid 65534 as root, else this one. */
function runAsOther(args: string[], env: Record<string, string>): Promise<CliResult> {
  if (!asRoot) return runCli(args, env);
  // A copy every user may read: a fresh clone may sit in a folder closed to others (mktemp -d).
  otherCli ??= readableCli(root);
  const cli = otherCli;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { uid: OTHER, gid: OTHER, env: { ...cliEnv(root), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one warning line a cache that cannot be written gives. */
const warning = (path: string, reason: string): RegExp => new RegExp(`^homelab: warning: cannot write ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\((${reason})\\); going on without it: .+\\n$`);

describe('login and state caches that cannot be used', () => {
  it('a read-only data folder with no saved tokens: each read command works, with one warning naming its file', async () => {
    for (const cache of CACHES) {
      const { data, env } = ownHomes();
      const run = await runReadOnly([data], [...cache.args], env, join(data, '..'));
      expect([run.code, run.stderr], cache.args.join(' ')).toEqual([0, expect.stringMatching(warning(join(data, ...cache.file), 'read-only file system|permission denied'))]);
      expect(run.stdout.length, cache.args.join(' ')).toBeGreaterThan(0);
      expect(readdirSync(data)).toEqual([]);
    }
  });

  it('a data folder of mode 555 the user may not write: the same, and status finds every service up', async () => {
    for (const cache of CACHES) {
      const { config, data, env } = ownHomes();
      handOver(config);
      handOver(data);
      chmodSync(data, 0o555);
      const run = await runAsOther([...cache.args], env);
      expect([run.code, run.stderr], cache.args.join(' ')).toEqual([0, expect.stringMatching(warning(join(data, ...cache.file), 'permission denied'))]);
    }
    const { config, data, env } = ownHomes();
    handOver(config);
    handOver(data);
    chmodSync(data, 0o555);
    const status = await runAsOther(['status'], env);
    expect(status.code, status.stderr).toBe(0);
    // One warning for the run, whichever cache came first.
    expect(status.stderr).toMatch(/^homelab: warning: cannot write \S+ \(permission denied\); going on without it: .+\n$/);
  });

  it('a directory in place of a token file: the command works and leaves it, with one warning', async () => {
    for (const cache of CACHES) {
      const { data, env } = ownHomes();
      const path = join(data, ...cache.file);
      mkdirSync(path, { recursive: true });
      const run = await runCli([...cache.args], env);
      expect([run.code, run.stderr], cache.args.join(' ')).toEqual([0, expect.stringMatching(warning(path, 'is a directory'))]);
      expect(statSync(path).isDirectory()).toBe(true);
    }
  });

  it("a token file of mode 000 (the user's own): no cache that run, and it is written anew, 0600", async () => {
    for (const cache of CACHES) {
      const { config, data, env } = ownHomes();
      const path = join(data, ...cache.file);
      mkdirSync(join(path, '..'), { mode: 0o700 });
      writeFileSync(path, '{}', { mode: 0o600 });
      chmodSync(path, 0o000);
      handOver(config);
      handOver(data);
      const run = await runAsOther([...cache.args], env);
      expect([run.code, run.stderr], cache.args.join(' ')).toEqual([0, '']);
      expect(statSync(path).mode & 0o777, cache.args.join(' ')).toBe(0o600);
      expect(statSync(path).size, cache.args.join(' ')).toBeGreaterThan(2);
    }
  });
});

describe("homelab's other files that cannot be used: one line with the path, exit 3", () => {
  it('credentials that are a directory, of mode 000, or in a folder of mode 000', async () => {
    const { config, env } = ownHomes();
    const file = join(config, 'dns', 'credentials');
    const saved = join(config, 'dns-credentials');
    cpSync(file, saved);
    rmSync(file);
    mkdirSync(file, { mode: 0o700 });
    const isDir = await runCli(['dns', 'zones'], env);
    expect([isDir.code, isDir.stderr]).toEqual([3, `homelab: cannot read ${file}: is a directory\n  check what is at ${file} and the folders above it (ls -ld), and move what is in the way\n`]);
    rmSync(file, { recursive: true });
    cpSync(saved, file);
    chmodSync(file, 0o000);
    handOver(config);
    const closed = await runAsOther(['dns', 'zones'], env);
    expect([closed.code, closed.stderr]).toEqual([3, `homelab: cannot read ${file}: permission denied\n  check the owner and mode of ${file} and the folders above it (ls -ld), or run homelab as the user who owns them\n`]);
    chmodSync(file, 0o600);
    chmodSync(join(config, 'dns'), 0o000);
    try {
      // The file is there: a folder the user may not enter never makes it "does not exist".
      const hidden = await runAsOther(['dns', 'zones'], env);
      expect([hidden.code, hidden.stderr.split('\n')[0]]).toEqual([3, `homelab: cannot read ${file}: permission denied`]);
    } finally {
      chmodSync(join(config, 'dns'), 0o700);
    }
  });

  it('a data folder that is a file, an MCP token or authorised-users file that is a directory', async () => {
    const { data, env } = ownHomes();
    rmSync(data, { recursive: true });
    writeFileSync(data, 'not a folder\n');
    const cached = await runCli(['proxy', 'list'], env);
    expect([cached.code, cached.stderr]).toEqual([0, expect.stringMatching(warning(join(data, 'npm', 'token.json'), 'a part of its path is not a directory'))]);
    const mcp = await runCli(['mcp', '--http', '--port', '0'], env);
    expect([mcp.code, mcp.stderr.split('\n')[0]]).toEqual([3, `homelab: cannot read ${join(data, 'mcp', 'token')}: a part of its path is not a directory`]);

    rmSync(data);
    mkdirSync(join(data, 'mcp', 'token'), { recursive: true, mode: 0o700 });
    const token = await runCli(['mcp', '--http', '--port', '0'], env);
    expect([token.code, token.stderr.split('\n')[0]]).toEqual([3, `homelab: cannot read ${join(data, 'mcp', 'token')}: is a directory`]);
    const users = join(data, 'telegram', 'authorized_users');
    mkdirSync(users, { recursive: true, mode: 0o700 });
    for (const args of [['telegram', 'users'], ['telegram', 'allow', '4242', '--yes']]) {
      const run = await runCli(args, env);
      expect([run.code, run.stderr.split('\n')[0]], args.join(' ')).toEqual([3, `homelab: cannot read ${users}: is a directory`]);
    }
  });
});
