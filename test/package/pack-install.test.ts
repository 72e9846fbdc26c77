/**
 * The package, as a user gets it: `npm pack` (its prepack builds) produces a tarball of the
 * whitelisted files only (the docs the README links to and the licence among them), `npm install -g --prefix <tmp>` installs it, and the installed
 * `homelab` works: --version, the simulated lab in the background with `status` against it,
 * a shim written by `shims install`, the audit log (better-sqlite3 loads), completion, and
 * the demo; each systemd unit installs as its comment says, from any folder. The tree is packed from a staging copy (this tree's files, its node_modules
 * linked), so the build that prepack runs never rewrites the dist/ other tests are using.
 *
 * No network but the npm registry: dependencies come from npm's cache (--prefer-offline).
 * Install scripts are not run (better-sqlite3's would fetch a prebuilt binary from GitHub, or
 * compile SQLite for minutes); the test gives the installed better-sqlite3 the binary this
 * tree's own install built, after checking both are the same version, as a user's
 * `npm install -g` does by fetching or building it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const work = mkdtempSync(join(tmpdir(), 'homelab-package-'));
const stage = join(work, 'stage');
const prefix = join(work, 'prefix');
const home = join(work, 'home');
const installed = join(prefix, 'lib', 'node_modules', pkg.name);
let packed: { filename: string; files: { path: string }[] };
let lab: ChildProcess | undefined;
let labEnv: Record<string, string> = {};

afterAll(() => {
  lab?.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Runs a command to its end; throws with its output when it fails. */
function sh(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000 });
  return { status: run.status, stdout: run.stdout ?? '', stderr: `${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}

/** The environment of a user who installed homelab into `prefix`: no repository on PATH, a home of their own. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home, NO_COLOR: '1', XDG_CACHE_HOME: join(home, '.cache'), ...extra };
}

const homelab = (args: string[], extra: Record<string, string> = {}, timeoutMs?: number) => sh('homelab', args, { cwd: home, env: userEnv(extra), timeoutMs });

beforeAll(() => {
  mkdirSync(stage);
  mkdirSync(home);
  for (const entry of ['package.json', 'README.md', 'LICENSE', 'tsconfig.json', 'bin', 'scripts', 'src', 'deploy', 'docs']) cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'));

  const pack = sh('npm', ['pack', '--json', '--pack-destination', work], { cwd: stage, timeoutMs: 180_000 });
  expect(pack.status, pack.stderr).toBe(0);
  // Lifecycle scripts print before npm's JSON.
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as (typeof packed)[])[0] as typeof packed;

  const install = sh('npm', ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename)], { cwd: work, timeoutMs: 180_000 });
  expect(install.status, install.stderr).toBe(0);

  const version = (dir: string): string => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const ours = join(ROOT, 'node_modules', 'better-sqlite3');
  const theirs = join(installed, 'node_modules', 'better-sqlite3');
  expect(version(theirs)).toBe(version(ours));
  mkdirSync(join(theirs, 'build', 'Release'), { recursive: true });
  copyFileSync(join(ours, 'build', 'Release', 'better_sqlite3.node'), join(theirs, 'build', 'Release', 'better_sqlite3.node'));
}, 300_000);

describe('the packed tarball', () => {
  it('holds the built CLI, the daemons, the lab, the units and the README, and no sources, tests, maps or earlier builds', () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    for (const f of ['bin/homelab.cjs', 'dist/cli.cjs', 'dist/lab.cjs', 'dist/daemons.cjs', 'dist/chunks/command-index.json', 'README.md', 'package.json',
      'deploy/homelab-bot.service', 'deploy/homelab-watch.service', 'deploy/homelab-mcp.service', 'deploy/homelab-serve.service']) expect(files).toContain(f);
    expect(files.filter((f) => /^dist\/chunks\/cli-[A-Z0-9]+\.cjs$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => /^(src|test|scripts|bench|node_modules)\//.test(f) || /\.(ts|map)$/.test(f) || /(^|\/)sim\//.test(f))).toEqual([]);
  });

  it('holds the docs the README links to, and the licence package.json names', () => {
    const files = new Set(packed.files.map((f) => f.path));
    const linked = [...new Set([...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/\]\((docs\/[^)#\s]+\.md)[)#]/g)].map((m) => m[1] as string))];
    expect(linked).toEqual(expect.arrayContaining(['docs/contexts.md', 'docs/exit-codes.md']));
    expect(linked.filter((doc) => !files.has(doc))).toEqual([]);
    // The screenshots (PNGs of the dashboard, most of docs/ by size) stay in the repository.
    expect([...files].filter((f) => f.startsWith('docs/') && !f.endsWith('.md'))).toEqual([]);
    expect(files).toContain('LICENSE');
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the homelab authors\n/);
    expect((JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
  });
});

describe('the installed homelab', () => {
  it('prints its version', () => {
    const run = homelab(['--version']);
    expect([run.status, run.stdout]).toEqual([0, `${pkg.version}\n`]);
    expect(existsSync(join(prefix, 'bin', 'homelab'))).toBe(true);
  });

  it('runs the simulated lab, and status against it answers for every service', async () => {
    lab = spawn('homelab', ['lab', '--json'], { cwd: home, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    labEnv = await new Promise<Record<string, string>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`homelab lab printed nothing in 60 s: ${err}`)), 60_000);
      lab?.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
      lab?.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (!out.includes('\n')) return;
        clearTimeout(timer);
        resolve((JSON.parse(out.split('\n')[0] as string) as { env: Record<string, string> }).env);
      });
      lab?.on('exit', (code) => reject(new Error(`homelab lab exited ${code}: ${err}`)));
    });
    const status = homelab(['status', '--json'], labEnv);
    expect(status.status, status.stderr).toBe(0);
    const services = (JSON.parse(status.stdout) as { services: { service: string; state: string }[] }).services;
    expect(services.map((s) => [s.service, s.state])).toEqual(expect.arrayContaining([['pve', 'up'], ['dns', 'up'], ['proxy', 'up'], ['kuma', 'up'], ['pbs', 'up'], ['beszel', 'up']]));
  }, 120_000);

  it('installs its shims, which run homelab (and the audit log, in SQLite, records it)', () => {
    const dir = join(home, 'bin');
    const install = homelab(['shims', 'install', dir], labEnv);
    expect(install.status, install.stderr).toBe(0);
    const pve = sh(join(dir, 'pve'), ['list', '--json'], { cwd: home, env: userEnv(labEnv) });
    expect(pve.status, pve.stderr).toBe(0);
    const guests = JSON.parse(pve.stdout) as { vmid: number; name: string }[];
    expect(guests.find((g) => g.name === 'mgmt')?.vmid).toBe(102);
    const audit = homelab(['audit', '--json'], labEnv);
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.stdout).toContain('shims.install');
  });

  it('completes from the package: the script, and VMIDs that pve list stored', () => {
    const script = homelab(['completion', 'bash']);
    expect(script.status, script.stderr).toBe(0);
    writeFileSync(join(home, 'homelab.bash'), script.stdout);
    const tab = sh('bash', ['-c', 'source "$1"; COMP_WORDS=(pve start 10); COMP_CWORD=2; _homelab_completion; printf "%s\\n" "${COMPREPLY[@]}"', 'bash', join(home, 'homelab.bash')], { env: userEnv(labEnv) });
    // Several candidates are listed with the guest's name beside each (only the value is inserted).
    const shown = tab.stdout.split('\n').filter(Boolean);
    expect(shown.map((line) => line.split(/\s+/)[0])).toEqual(['100', '101', '102', '103', '104', '105', '106', '107']);
    expect(shown[0]).toMatch(/^100\s+\(dns\)$/);
  });

  it('stops the lab on SIGTERM', async () => {
    const code = await new Promise<number | null>((resolve) => { lab?.once('exit', resolve); lab?.kill('SIGTERM'); });
    expect(code).toBe(0);
    lab = undefined;
  }, 30_000);

  it('runs the demo', () => {
    const demo = homelab(['demo'], {}, 180_000);
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/\$ homelab status\n/);
    expect(demo.stdout).toContain('Try it yourself against the same simulated lab');
  }, 200_000);
});

describe('the systemd units', () => {
  const unit = (name: string): string => readFileSync(join(installed, 'deploy', `homelab-${name}.service`), 'utf8');
  const sandbox = (text: string): string[] => {
    const start = text.indexOf('# Sandboxing');
    return text.slice(start, text.indexOf('[Install]')).split('\n').filter((l) => /^[A-Z]\w+=/.test(l));
  };

  it('run watch, the MCP server over HTTP and serve, sandboxed like the bot', () => {
    const bot = sandbox(unit('bot'));
    expect(bot).toEqual(expect.arrayContaining(['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes']));
    for (const [name, exec] of [['watch', 'watch'], ['mcp', 'mcp --http --port 8765'], ['serve', 'serve --host 127.0.0.1 --port 8480']] as const) {
      const text = unit(name);
      expect(sandbox(text), name).toEqual(bot);
      expect(text).toMatch(new RegExp(`^ExecStart=/usr/local/bin/homelab ${exec}$`, 'm'));
      expect(text).toMatch(/^StateDirectory=homelab$/m);
      expect(text).toMatch(/^Environment=HOMELAB_DATA_HOME=\/var\/lib\/homelab$/m);
      // The command the unit runs exists in the installed package.
      const help = homelab([...exec.split(' ').slice(0, 1), '--help']);
      expect(help.status, `${name}: ${help.stderr}`).toBe(0);
    }
  });

  it('install as their comments say, run from any folder: the cp line copies the unit from the installed package', () => {
    const dest = mkdtempSync(join(work, 'systemd-'));
    for (const name of ['bot', 'watch', 'mcp', 'serve']) {
      const cp = /^#\s+(cp .+ )\/etc\/systemd\/system\/ && systemctl daemon-reload$/m.exec(unit(name))?.[1];
      expect(cp, `homelab-${name}.service names no cp line`).toBeDefined();
      // As the comment is typed in a shell, in the user's home (not the package's folder).
      const run = sh('sh', ['-c', `${cp ?? ''}"$DEST"/`], { cwd: home, env: userEnv({ DEST: dest, NPM_CONFIG_PREFIX: prefix }) });
      expect([name, run.status, run.stderr]).toEqual([name, 0, '']);
      expect(readFileSync(join(dest, `homelab-${name}.service`), 'utf8')).toBe(unit(name));
    }
  });

  it('pass systemd-analyze verify with the installed binary, where systemd is installed', () => {
    if (sh('systemd-analyze', ['--version']).status !== 0) {
      console.log('systemd-analyze is not installed: the units were not verified by systemd');
      return;
    }
    for (const name of ['bot', 'watch', 'mcp', 'serve']) {
      const copy = join(work, `homelab-${name}.service`);
      writeFileSync(copy, unit(name).replace(/\/usr\/local\/bin\/homelab/g, join(prefix, 'bin', 'homelab')));
      const verify = sh('systemd-analyze', ['verify', copy]);
      expect([name, verify.status, verify.stderr]).toEqual([name, 0, '']);
    }
  });
});
