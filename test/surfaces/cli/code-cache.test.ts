/**
 * The built CLI's V8 code cache (src/surfaces/cli/code-cache.ts): the first run of a command
 * group writes it (0600, in a 0700 directory), the next runs use it as it is, a damaged one
 * is refused by V8 and replaced, and a cache directory that others could write to, or
 * NODE_DISABLE_COMPILE_CACHE, means no cache at all. In every case the command's output is
 * the same.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheGroup, parsesJitless, runsAsDaemon } from '../../../src/surfaces/cli/run-bundle.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve'] });
const work = mkdtempSync(join(tmpdir(), 'homelab-code-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** A fresh XDG_CACHE_HOME and the directory the CLI keeps its code caches in. */
function freshCache(): { env: Record<string, string>; dir: string } {
  const home = join(work, `cache-${n++}`);
  return { env: { XDG_CACHE_HOME: home }, dir: join(home, 'homelab', 'v8') };
}

/** What `pve list --json` says that does not change from one second to the next. */
const guests = (stdout: string): unknown => (JSON.parse(stdout) as { vmid: number; name: string; node: string }[]).map(({ vmid, name, node }) => ({ vmid, name, node }));

const files = (dir: string): string[] => { try { return readdirSync(dir).sort(); } catch { return []; } };

describe('the code cache of the built CLI', () => {
  it('is written by the first run of a group, then used unchanged, with the same output', async () => {
    const { env, dir } = freshCache();
    const first = await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env });
    expect(first.code).toBe(0);
    const [file] = files(dir);
    expect(files(dir)).toHaveLength(1);
    expect(file).toMatch(/^cli-[A-Z0-9]+\.pve\./);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);
    const written = statSync(join(dir, file!));
    expect(written.size).toBeGreaterThan(10_000);

    const second = await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env });
    expect(second.code).toBe(0);
    expect(guests(second.stdout)).toEqual(guests(first.stdout));
    const after = statSync(join(dir, file!));
    // Not rewritten: V8 took it.
    expect([after.ino, after.mtimeMs, after.size]).toEqual([written.ino, written.mtimeMs, written.size]);

    // Help gets a cache of its own, so that it never stands in for the operations' one.
    expect((await runCli(['pve', '--help'], env)).code).toBe(0);
    expect(files(dir).filter((f) => f.includes('.pve-help.'))).toHaveLength(1);
  });

  it('is not written by a run that stopped early (a usage or connection error): the next full run writes it', async () => {
    const { env, dir } = freshCache();
    const usage = await runCli(['dns', 'records', '--bogus'], { ...lab.current.env, ...env });
    expect(usage.code).toBe(2);
    const unreachable = await runCli(['dns', 'records'], { ...lab.current.env, ...env, HOMELAB_CONFIG_HOME: join(work, 'no-config') });
    expect(unreachable.code).not.toBe(0);
    expect(files(dir).filter((f) => f.includes('.dns.'))).toEqual([]);
    // Judged before --detailed-exitcode turns the usage error into 1.
    const detailed = await runCli(['plan', '--detailed-exitcode', '--bogus'], { ...lab.current.env, ...env });
    expect(detailed.code).toBe(1);
    expect(files(dir).filter((f) => f.includes('.plan.'))).toEqual([]);
    expect((await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env })).code).toBe(0);
    expect(files(dir).filter((f) => f.includes('.pve.'))).toHaveLength(1);
  });

  it('removes the temporary files killed runs left, of this build too, when it writes a cache', async () => {
    const { env, dir } = freshCache();
    expect((await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env })).code).toBe(0);
    const [file] = files(dir) as [string];
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const killed = `${file}.${dead}.tmp`;
    // This test's process is running: its fresh file is a write under way; an old one is a leftover.
    const writing = `${file}.${process.pid}.tmp`;
    const old = `cli-OLDBUILD.pve.bin.${process.pid}.tmp`;
    for (const name of [killed, writing, old]) writeFileSync(join(dir, name), 'partial', { mode: 0o600 });
    const tenMinutesAgo = new Date(Date.now() - 600_000);
    utimesSync(join(dir, old), tenMinutesAgo, tenMinutesAgo);
    rmSync(join(dir, file));
    expect((await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env })).code).toBe(0);
    expect(files(dir)).toEqual([file, writing].sort());
  });

  it('refuses a damaged cache, runs correctly without it and writes a good one', async () => {
    const { env, dir } = freshCache();
    const good = await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env });
    const [file] = files(dir);
    const path = join(dir, file!);
    const original = readFileSync(path);
    const damaged = Buffer.from(original);
    damaged.fill(0x5a, 64, 4096);
    writeFileSync(path, damaged);
    const run = await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env });
    expect(run.code).toBe(0);
    expect(guests(run.stdout)).toEqual(guests(good.stdout));
    expect(readFileSync(path).equals(damaged)).toBe(false);
    // Truncated to nothing: the same.
    writeFileSync(path, '');
    expect((await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...env })).code).toBe(0);
    expect(statSync(path).size).toBeGreaterThan(10_000);
  });

  it('uses no cache in a directory others can write to, nor when NODE_DISABLE_COMPILE_CACHE is set', async () => {
    const open = freshCache();
    mkdirSync(open.dir, { recursive: true });
    chmodSync(open.dir, 0o770);
    const run = await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...open.env });
    expect(run.code).toBe(0);
    expect(guests(run.stdout)).toEqual(guests((await runCli(['pve', 'list', '--json'], lab.current.env)).stdout));
    expect(files(open.dir)).toEqual([]);

    const off = freshCache();
    expect((await runCli(['pve', 'list', '--json'], { ...lab.current.env, ...off.env, NODE_DISABLE_COMPILE_CACHE: '1' })).code).toBe(0);
    expect(files(off.dir)).toEqual([]);
  });

  it('names a group by the command\'s first word when it is a known one, and help apart', () => {
    const known = ['pve', 'dns', 'status'];
    expect(cacheGroup(['pve', 'list', '--json'], known)).toBe('pve');
    expect(cacheGroup(['--json', 'status'], known)).toBe('status');
    expect(cacheGroup(['pve', '--help'], known)).toBe('pve-help');
    expect(cacheGroup(['help', 'pve'], known)).toBe('other-help');
    expect(cacheGroup([], known)).toBe('top');
    expect(cacheGroup(['--help'], known)).toBe('top-help');
    // An unknown word never names a file of its own: the number of caches stays bounded.
    expect(cacheGroup(['../../etc', 'x'], known)).toBe('other');
  });

  it('runs the daemons from their own bundle, with no cache: one copy of the code in a process that runs for days', async () => {
    for (const group of ['bot', 'mcp', 'serve', 'serve-help']) expect(runsAsDaemon(group), group).toBe(true);
    for (const group of ['pve', 'watch', 'batch', 'lab', 'top', 'other']) expect(runsAsDaemon(group), group).toBe(false);
    const { env, dir } = freshCache();
    const help = await runCli(['serve', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: homelab serve');
    // Its failures are reported as every command's: one line, the usage exit code.
    const bad = await runCli(['--context', 'default', 'mcp', '--allow', 'everything'], { ...lab.current.env, ...env });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('homelab: --allow must be change or danger (read is the default)');
    expect(files(dir)).toEqual([]);
  });

  it('loads bundles that are all ASCII, so V8 keeps their source one byte per character', () => {
    const dist = join(__dirname, '..', '..', '..', 'dist');
    const entry = readFileSync(join(dist, 'cli.cjs'), 'latin1');
    const cliBundle = /\.\/chunks\/(cli-[A-Z0-9]+\.cjs)/.exec(entry)?.[1];
    expect(cliBundle).toBeDefined();
    for (const file of [join(dist, 'daemons.cjs'), join(dist, 'chunks', cliBundle as string)]) {
      const bytes = readFileSync(file);
      expect(bytes.findIndex((b) => b > 0x7f), file).toBe(-1);
    }
  });

  it('parses without compiled zod parsers in one-shot commands only, daemons and batches keep them', () => {
    for (const group of ['pve', 'dns', 'status', 'top', 'other', 'pve-help']) expect(parsesJitless(group), group).toBe(true);
    for (const group of ['bot', 'mcp', 'serve', 'watch', 'lab', 'batch', 'demo', 'serve-help']) expect(parsesJitless(group), group).toBe(false);
  });

  it('does not take the value of --context for the command word', () => {
    const known = ['pve', 'dns', 'status'];
    expect(cacheGroup(['--context', 'office', 'pve', 'list'], known)).toBe('pve');
    expect(cacheGroup(['--context', 'dns', 'pve', 'list'], known)).toBe('pve');
    expect(cacheGroup(['--context=office', 'status'], known)).toBe('status');
    expect(cacheGroup(['pve', 'list', '--context', 'office'], known)).toBe('pve');
    expect(cacheGroup(['--context', 'office', 'pve', '--help'], known)).toBe('pve-help');
  });
});
