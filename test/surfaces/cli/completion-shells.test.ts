/**
 * Shell completion end to end, with the built CLI: the listings run against the simulated
 * lab store what Tab offers (0600), and bash's completion machinery runs the generated
 * script (`complete -F` registered for homelab and every shim; the function called with
 * COMP_WORDS and COMP_CWORD set, as bash calls it) and gets real candidates: verbs, flags,
 * enum choices, VMIDs, proxy hosts, monitors, SSH targets, contexts. Pressing Tab opens no
 * connection to any service. The zsh and fish scripts are checked by `zsh -n` and `fish -n`,
 * and fish's own completion (`complete -C`) runs the fish script, where those shells exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_KINDS, isPathKind } from '../../../src/core/completion.js';
import { getRegistry } from '../../../src/services/index.js';
import { registryCommandIndex } from '../../../src/surfaces/cli/command-index-build.js';
import { completionCacheFile, storeCompletions } from '../../../src/surfaces/cli/completion/cache.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'proxy', 'kuma', 'beszel', 'dns'] });
const work = mkdtempSync(join(tmpdir(), 'homelab-completion-shells-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const scripts: Record<'bash' | 'zsh' | 'fish', string> = { bash: join(work, 'homelab.bash'), zsh: join(work, '_homelab'), fish: join(work, 'homelab.fish') };
const has = (shell: string): boolean => spawnSync(shell, ['-c', 'true'], { stdio: 'ignore' }).status === 0;
let env: Record<string, string>;
// homelab's shims, and, before them on PATH, another program that happens to be called `updates`.
const shimDir = join(work, 'shims');
const otherDir = join(work, 'other');
const PATH = `${otherDir}:${shimDir}:${process.env.PATH ?? ''}`;

beforeAll(async () => {
  env = { ...lab.current.env, HOMELAB_DATA_HOME: join(work, 'data') };
  const shims = await runCli(['shims', 'install', shimDir], env);
  expect(shims.code, shims.stderr).toBe(0);
  mkdirSync(otherDir);
  writeFileSync(join(otherDir, 'updates'), '#!/bin/sh\necho not homelab\n', { mode: 0o755 });
  lab.current.writeConfig({ ssh: { targets: [{ name: 'forgejo', host: '127.0.0.1', port: 2222, user: 'root' }] } });
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const out = await runCli(['completion', shell], env);
    expect(out.code, out.stderr).toBe(0);
    writeFileSync(scripts[shell], out.stdout);
  }
});

/**
 * Runs the bash script's completion function as bash does on Tab (COMP_TYPE 9, an 80-column
 * terminal unless `extraEnv` says otherwise); returns COMPREPLY as readline gets it.
 */
function bashReply(words: string[], extraEnv: Record<string, string> = {}, cwd?: string): string[] {
  const program = 'source "$1"; shift; COMP_CWORD=$1; shift; COMP_WORDS=("$@"); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=${TYPE:-9}; _homelab_completion; printf "%s\\n" "${COMPREPLY[@]}"';
  const run = spawnSync('bash', ['-c', program, 'bash', scripts.bash, String(words.length - 1), ...words], { cwd, env: { PATH, HOME: work, NO_COLOR: '1', COLUMNS: '80', LC_ALL: 'C.UTF-8', ...env, ...extraEnv }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split('\n').filter(Boolean);
}

/** The candidates bash offers on Tab: COMPREPLY without the descriptions shown beside several. */
function bashTab(words: string[], extraEnv: Record<string, string> = {}, cwd?: string): string[] {
  return bashReply(words, extraEnv, cwd).map((entry) => entry.replace(/ * {2}\(.*\)$/s, ''));
}

/**
 * Types `$2` into an interactive bash on a pseudo-terminal (zsh/zpty) started with the rc
 * file `$1` (BASH_RC: the script loaded, a 100-column terminal), then (Ctrl-T) writes the
 * command line to $HOMELAB_TEST_OUT and exits. Prints all the terminal showed: readline's
 * listing of several candidates included.
 */
const BASH_DRIVER = [
  'zmodload zsh/zpty',
  'zpty b bash --rcfile "$1" -i',
  // Typed once the first prompt shows: bash may drop what comes before its line editor starts.
  'zpty -r b ready \'*bash-ready> \'',
  'zpty -w -n b "$2"$\'\\x14\'',
  'while zpty -r b chunk; do print -rn -- "$chunk"; done',
].join('\n');
const BASH_RC = [
  'stty cols 100 rows 60',
  "PS1='bash-ready> '",
  'source "$HOMELAB_TEST_SCRIPT"',
  "bind 'set bell-style none'",
  "bind 'set page-completions off'",
  '_dump() { printf "%s\\n" "$READLINE_LINE" > "$HOMELAB_TEST_OUT"; exit; }',
  "bind -x '\"\\C-t\": _dump'",
].join('\n');

/**
 * Types `$3` into an interactive zsh on a pseudo-terminal with the script `$1` loaded, then
 * (Ctrl-T) writes the command line to `$2` and exits.
 */
const ZSH_DRIVER = [
  'zmodload zsh/zpty',
  'zpty z zsh -f -i',
  'zpty -w z "PS1=\'> \'; autoload -Uz compinit; compinit -u -D; source ${(q)1}; dump() { print -r -- \\$BUFFER > ${(q)2}; BUFFER=exit; zle accept-line }; zle -N dump; bindkey \'^T\' dump"',
  'zpty -w -n z "$3"$\'\\x14\'',
  'while zpty -r z chunk; do :; done',
].join('\n');

/** What readline inserts for several matches: the part they all start with. */
function commonPrefix(list: readonly string[]): string {
  return list.reduce((prefix, word) => {
    let n = 0;
    while (n < prefix.length && prefix[n] === word[n]) n++;
    return prefix.slice(0, n);
  });
}

describe('completion values stored by listings', () => {
  it('every listing with completions stores, against the lab, every kind a field names (0600)', async () => {
    const listings = getRegistry().all().filter((op) => op.completions);
    expect(listings.map((op) => op.id)).toEqual(expect.arrayContaining(['pve.list', 'proxy.list', 'kuma.list']));
    for (const op of listings) {
      const out = await runCli(op.id.split('.'), env);
      expect(out.code, `${op.id}: ${out.stderr}`).toBe(0);
    }
    const named = new Set((await registryCommandIndex()).operations.flatMap((op) => op.fields.flatMap((f) => f.complete ?? [])));
    for (const kind of named) {
      if (CONFIG_KINDS.includes(kind) || isPathKind(kind)) continue;
      const file = completionCacheFile(env, 'default', kind) as string;
      expect(existsSync(file), `no listing stores ${kind}`).toBe(true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect((JSON.parse(readFileSync(file, 'utf8')) as { entries: unknown[] }).entries.length, `no listing stores ${kind}`).toBeGreaterThan(0);
    }
  });
});

describe('the bash script', () => {
  it('is registered for homelab and every homelab shim on PATH, not for other programs of those names', () => {
    const run = spawnSync('bash', ['-c', 'source "$1"; complete -p', 'bash', scripts.bash], { env: { PATH }, encoding: 'utf8' });
    const registered = (stdout: string): string[] => stdout.split('\n').filter((l) => l.startsWith('complete -F _homelab_completion ')).map((l) => l.split(' ').at(-1) as string).sort();
    expect(registered(run.stdout)).toEqual(['beszel', 'dns', 'homelab', 'kuma', 'npm-api', 'pbs', 'pve', 'telegram']);
    const bare = spawnSync('bash', ['-c', 'source "$1"; complete -p', 'bash', scripts.bash], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(registered(bare.stdout)).toEqual(['homelab']);
  });

  it('completes services, verbs, flags and enum choices from the registry', () => {
    expect(bashTab(['homelab', 'ku'])).toEqual(['kuma']);
    expect(bashTab(['homelab', 'pve', 'st'])).toEqual(['status', 'start', 'stop', 'storage']);
    expect(bashTab(['homelab', 'kuma', 'add', 'p'])).toEqual(['ping', 'port', 'push']);
    expect(bashTab(['homelab', 'pve', 'list', '--st'])).toEqual(['--status']);
    expect(bashTab(['homelab', 'pve', 'list', '--type', ''])).toEqual(['qemu', 'lxc']);
    // `--type=l`, as bash splits it.
    expect(bashTab(['homelab', 'pve', 'list', '--type', '=', 'l'])).toEqual(['lxc']);
    expect(bashTab(['homelab', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('reads past the global switches --json, --yes and -y, wherever the CLI takes them', () => {
    const verbs = ['status', 'start', 'stop', 'storage'];
    expect(bashTab(['homelab', '--json', 'pve', 'st'])).toEqual(verbs);
    expect(bashTab(['homelab', '-y', 'pve', 'st'])).toEqual(verbs);
    expect(bashTab(['homelab', 'pve', '--json', 'st'])).toEqual(verbs);
    expect(bashTab(['homelab', '--yes', 'pve', ''])).toEqual(expect.arrayContaining(verbs));
    expect(bashTab(['homelab', '--json', ''])).toEqual(expect.arrayContaining(['pve', 'kuma', 'lab']));
    expect(bashTab(['homelab', '--json', '=', 'false', 'pve', 'list', '--ty'])).toEqual(['--type']);
    expect(bashTab(['pve', '--json', 'list', '--js'])).toEqual([]);
  });

  it('completes VMIDs, proxy hosts, monitors and SSH targets, through the shims too', async () => {
    // What the listings above stored (this file's tests run in order).
    const guests = (JSON.parse((await runCli(['pve', 'list', '--json'], env)).stdout) as { vmid: number; name: string }[]);
    expect(bashTab(['homelab', 'pve', 'start', ''])).toEqual(guests.map((g) => String(g.vmid)));
    const mgmt = guests.find((g) => g.name === 'mgmt');
    expect(bashTab(['pve', 'stop', 'mgm'])).toEqual([String(mgmt?.vmid)]);
    expect(bashTab(['pve', 'start', '10'])).toEqual(guests.map((g) => String(g.vmid)).filter((v) => v.startsWith('10')));
    expect(bashTab(['npm-api', 'show', 'git'])).toEqual(['git.home.lan']);
    expect(bashTab(['homelab', 'kuma', 'pause', 'forg'])).toEqual(['forgejo']);
    expect(bashTab(['homelab', 'updates', 'apply', ''])).toEqual(['forgejo']);
    expect(bashTab(['homelab', 'pve', 'migrate', String(mgmt?.vmid), ''])).toEqual(['pve1', 'pve2']);
  });

  it('shows several candidates each with its description (a guest\'s name beside its VMID), one alone as its value', async () => {
    const guests = (JSON.parse((await runCli(['pve', 'list', '--json'], env)).stdout) as { vmid: number; name: string }[]);
    const longest = Math.max(...guests.map((g) => String(g.vmid).length));
    expect(bashReply(['homelab', 'pve', 'start', ''])).toEqual(guests.map((g) => `${String(g.vmid).padEnd(longest)}  (${g.name})`));
    // By a name's first letters: the guests so named, each beside its VMID.
    const me = guests.filter((g) => g.name.startsWith('me'));
    expect(me.length).toBeGreaterThan(1);
    const column = Math.max(...me.map((g) => String(g.vmid).length));
    expect(bashReply(['homelab', 'pve', 'start', 'me'])).toEqual(me.map((g) => `${String(g.vmid).padEnd(column)}  (${g.name})`));
    // One candidate: the value alone, which readline inserts.
    const mgmt = guests.find((g) => g.name === 'mgmt');
    expect(bashReply(['pve', 'stop', 'mgm'])).toEqual([String(mgmt?.vmid)]);
    // Descriptions are cut to the terminal's width (in characters).
    const narrow = bashReply(['homelab', 'pve', 'st'], { COLUMNS: '30' });
    expect(narrow.map((l) => l.slice(0, 9))).toEqual(['status   ', 'start    ', 'stop     ', 'storage  ']);
    for (const l of narrow) expect([...l].length, l).toBeLessThanOrEqual(30);
    expect(narrow[0]).toMatch(/^status {3}\(.+…\)$/);
    // menu-complete (COMP_TYPE 37) and insert-completions (42) put candidates on the line themselves: values only.
    for (const type of ['37', '42']) expect(bashReply(['homelab', 'pve', 'st'], { TYPE: type })).toEqual(['status', 'start', 'stop', 'storage']);
  });

  it('lists them so in an interactive bash, and puts only values on the command line', async () => {
    if (!has('zsh')) {
      console.log('zsh is not installed: bash was not driven on a pseudo-terminal (zsh/zpty)');
      return;
    }
    const guests = (JSON.parse((await runCli(['pve', 'list', '--json'], env)).stdout) as { vmid: number; name: string }[]);
    const rc = join(work, 'bashrc');
    writeFileSync(rc, BASH_RC);
    const type = (keys: string): { screen: string; line: string } => {
      const out = join(work, 'bash-line');
      rmSync(out, { force: true });
      const run = spawnSync('zsh', ['-f', '-c', BASH_DRIVER, 'zsh', rc, keys], {
        env: { PATH, HOME: work, ...env, HOMELAB_TEST_SCRIPT: scripts.bash, HOMELAB_TEST_OUT: out, LC_ALL: 'C.UTF-8', TERM: 'dumb' }, encoding: 'utf8', timeout: 30_000,
      });
      expect(run.status, run.stderr).toBe(0);
      return { screen: run.stdout, line: readFileSync(out, 'utf8').replace(/\n$/, '') };
    };
    const all = type('homelab pve start \t\t');
    for (const g of guests) expect(all.screen).toMatch(new RegExp(`\\b${g.vmid} +\\(${g.name}\\)`));
    expect(all.line).toBe('homelab pve start ');
    // A name's first letters: the first Tab puts what their VMIDs share on the line (in
    // place of the name: readline's way), the next ones list them, each with its name.
    const me = guests.filter((g) => g.name.startsWith('me'));
    const named = type('homelab pve start me\t\t\t');
    for (const g of me) expect(named.screen).toMatch(new RegExp(`\\b${g.vmid} +\\(${g.name}\\)`));
    expect(named.line).toBe(`homelab pve start ${commonPrefix(me.map((g) => String(g.vmid)))}`);
    // One match: its value, and a space.
    const mgmt = guests.find((g) => g.name === 'mgmt');
    expect(type('homelab pve stop mgm\t').line).toBe(`homelab pve stop ${String(mgmt?.vmid)} `);
  });

  it('quotes a value with a space as one word', () => {
    const data = join(work, 'quoted');
    storeCompletions({ HOMELAB_DATA_HOME: data }, 'default', [{ kind: 'kuma.monitor', values: [{ value: 'Home Assistant' }, { value: "Bob's NAS" }] }]);
    expect(bashTab(['kuma', 'pause', ''], { HOMELAB_DATA_HOME: data })).toEqual(['Home\\ Assistant', "Bob\\'s\\ NAS"]);
  });

  it('completes a value with spaces or quotes over several Tabs, as typed (quoting removed)', () => {
    const data = join(work, 'spaced');
    storeCompletions({ HOMELAB_DATA_HOME: data }, 'default', [{ kind: 'kuma.monitor', values: [{ value: 'Ünïcode mon with spaces' }, { value: 'Ünïcode mon two' }, { value: "Bob's NAS" }] }]);
    const tab = (words: string[]): string[] => bashTab(words, { HOMELAB_DATA_HOME: data });
    const first = tab(['homelab', 'kuma', 'pause', 'Ün']);
    expect(first).toEqual(['Ünïcode\\ mon\\ with\\ spaces', 'Ünïcode\\ mon\\ two']);
    // readline puts their common part on the line; the next Tab completes from there.
    const typed = commonPrefix(first);
    expect(typed).toBe('Ünïcode\\ mon\\ ');
    expect(tab(['homelab', 'kuma', 'pause', typed])).toEqual(first);
    expect(tab(['homelab', 'kuma', 'pause', `${typed}w`])).toEqual(['Ünïcode\\ mon\\ with\\ spaces']);
    // Inside an open quote, readline replaces what follows the quote and closes it.
    expect(tab(['homelab', 'kuma', 'pause', '"Ünïcode mon t'])).toEqual(['Ünïcode mon two']);
    expect(tab(['homelab', 'kuma', 'pause', "'Bo"])).toEqual(["Bob'\\''s NAS"]);
    expect(tab(['homelab', 'kuma', 'pause', "$'\\303\\234n\\303\\257code mon t"])).toEqual(['Ünïcode mon two']);
    // A file name too (readline quotes what compgen -f finds).
    const keys = join(work, 'keys');
    mkdirSync(keys);
    writeFileSync(join(keys, 'my key.pub'), 'ssh-ed25519 AAAA\n');
    for (const typed of ['"my k', 'my\\ k', "'my"]) expect(bashTab(['pve', 'clone', '9000', '--ssh-key', typed], {}, keys), typed).toEqual(['my key.pub']);
    // Earlier words are read unquoted too.
    expect(tab(['homelab', "'kuma'", '"pa"use', 'Bob\\\'s'])).toEqual(["Bob\\'s\\ NAS"]);
  });

  it('offers contexts and each context\'s values when the config has contexts', () => {
    const config = join(work, 'contexts-config');
    const data = join(work, 'contexts-data');
    mkdirSync(join(config, 'homelab'), { recursive: true });
    writeFileSync(join(config, 'homelab', 'config.yaml'), 'current_context: home\ncontexts:\n  home: { services: {} }\n  office:\n    services: {}\n    ssh: { targets: [{ name: printer, host: 10.9.0.5 }] }\n');
    storeCompletions({ HOMELAB_DATA_HOME: data }, 'office', [{ kind: 'pve.guest', values: [{ value: '300' }] }]);
    storeCompletions({ HOMELAB_DATA_HOME: data }, 'home', [{ kind: 'pve.guest', values: [{ value: '100' }] }]);
    const ctx = { HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: data };
    expect(bashTab(['homelab', '--context', ''], ctx)).toEqual(['home', 'office']);
    expect(bashTab(['homelab', 'pve', 'start', ''], ctx)).toEqual(['100']);
    expect(bashTab(['homelab', '--context', 'office', 'pve', 'start', ''], ctx)).toEqual(['300']);
    expect(bashTab(['pve', 'start', ''], { ...ctx, HOMELAB_CONTEXT: 'office' })).toEqual(['300']);
    expect(bashTab(['homelab', '--context', 'office', 'updates', 'apply', ''], ctx)).toEqual(['printer']);
    expect(bashTab(['homelab', 'updates', 'apply', ''], ctx)).toEqual([]);
    expect(bashTab(['homelab', 'audit', '--lab', ''], ctx)).toEqual(['home', 'office']);
    expect(bashTab(['homelab', 'audit', '--lab', 'o'], ctx)).toEqual(['office']);
  });

  it('completes file names after batch, plan, apply and export, and directory names after shims install and lab --dir (and --dir=)', () => {
    const cwd = join(work, 'paths');
    mkdirSync(join(cwd, 'labs-dir'), { recursive: true });
    writeFileSync(join(cwd, 'lab.yaml'), 'apps: []\n');
    writeFileSync(join(cwd, 'lines.txt'), 'pve list\n');
    expect(bashTab(['homelab', 'batch', 'li'], {}, cwd)).toEqual(['lines.txt']);
    expect(bashTab(['homelab', 'batch', '--keep-going', ''], {}, cwd).sort()).toEqual(['lab.yaml', 'labs-dir', 'lines.txt']);
    for (const command of ['plan', 'apply', 'export']) expect(bashTab(['homelab', command, 'lab.'], {}, cwd), command).toEqual(['lab.yaml']);
    expect(bashTab(['homelab', 'shims', 'install', 'la'], {}, cwd)).toEqual(['labs-dir']);
    expect(bashTab(['homelab', 'lab', '--dir', 'l'], {}, cwd)).toEqual(['labs-dir']);
    expect(bashTab(['homelab', 'lab', '--dir', ''], {}, cwd)).toEqual(['labs-dir']);
    // After `=` too: bash completes what follows it (its words: --dir, =, l).
    expect(bashTab(['homelab', 'lab', '--dir', '=', 'l'], {}, cwd)).toEqual(['labs-dir']);
    expect(bashTab(['homelab', 'lab', '--dir', '='], {}, cwd)).toEqual(['labs-dir']);
    if (has('fish')) {
      const run = spawnSync('fish', ['-c', `source ${scripts.fish}; complete -C 'homelab batch li'; complete -C 'homelab lab --dir l'; complete -C 'homelab lab --dir=l'`], { cwd, env: { PATH, HOME: work, ...env }, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual(['lines.txt', 'labs-dir/', '--dir=labs-dir/', '']);
    } else console.log('fish is not installed: its path completion was not run');
    if (has('zsh')) {
      const out = join(work, 'zsh-dir-line');
      const run = spawnSync('zsh', ['-f', '-c', ZSH_DRIVER, 'zsh', scripts.zsh, out, 'homelab lab --dir=la\t'], { cwd, env: { PATH, HOME: work, ...env, LC_ALL: 'C.UTF-8' }, encoding: 'utf8', timeout: 30_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(readFileSync(out, 'utf8').trimEnd()).toBe('homelab lab --dir=labs-dir/');
    } else console.log('zsh is not installed: its path completion was not run');
  });

  it('says in completion --help to load the script at start-up (the shims complete then), as the README does', async () => {
    const help = (await runCli(['completion', '--help'], env)).stdout;
    expect(help).toContain("echo 'source ~/.local/share/homelab/completion.bash' >> ~/.bashrc");
    expect(help).toContain("echo 'source ~/.local/share/homelab/_homelab' >> ~/.zshrc");
    expect(help).toContain('homelab completion fish > ~/.config/fish/conf.d/homelab.fish');
    expect(readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')).toContain("echo 'source ~/.local/share/homelab/completion.bash' >> ~/.bashrc");
  });

  it('offers default after --context when the config is one lab (no contexts:)', () => {
    const config = join(work, 'one-lab-config');
    mkdirSync(join(config, 'homelab'), { recursive: true });
    writeFileSync(join(config, 'homelab', 'config.yaml'), 'services: {}\n');
    const one = { HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: join(work, 'one-lab-data') };
    expect(bashTab(['homelab', '--context', ''], one)).toEqual(['default']);
    expect(bashTab(['homelab', 'pve', 'list', '--context', 'd'], one)).toEqual(['default']);
  });

  it('opens no connection to any service while completing', async () => {
    let connections = 0;
    const server: Server = createServer((socket) => { connections++; socket.destroy(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const config = join(work, 'silent-config');
      mkdirSync(join(config, 'homelab'), { recursive: true });
      const url = `http://127.0.0.1:${port}`;
      writeFileSync(join(config, 'homelab', 'config.yaml'), `services:\n  pve: { url: "https://127.0.0.1:${port}" }\n  proxy: { url: "${url}" }\n  kuma: { url: "${url}" }\n  dns: { url: "${url}" }\n  beszel: { url: "${url}" }\n`);
      const silent = { HOMELAB_CONFIG_HOME: config };
      expect(bashTab(['homelab', 'pve', 'start', ''], silent).length).toBeGreaterThan(5);
      expect(bashTab(['homelab', 'proxy', 'show', ''], silent)).toContain('git.home.lan');
      expect(bashTab(['homelab', 'kuma', 'delete', ''], silent)).toContain('forgejo');
      expect(bashTab(['homelab', 'dns', 'records', ''], silent)).toContain('home.lan');
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('the completion command', () => {
  it('refuses a missing or unknown shell with a usage error, and is listed in help', async () => {
    expect((await runCli(['completion'], env)).code).toBe(2);
    const tcsh = await runCli(['completion', 'tcsh'], env);
    expect([tcsh.code, tcsh.stderr]).toEqual([2, expect.stringMatching(/unknown shell tcsh: bash, zsh or fish/)]);
    expect((await runCli(['--help'], env)).stdout).toMatch(/completion\s+Print the shell completion script/);
    expect((await runCli(['__complete', 'tcsh', 'pve', ''], env)).stdout).toBe('');
  });

  it('writes zsh and fish scripts that their shells accept, registered for homelab and the shims', () => {
    expect(readFileSync(scripts.zsh, 'utf8')).toMatch(/^#compdef homelab$/m);
    expect(readFileSync(scripts.zsh, 'utf8')).toMatch(/^ {2}for name in pve pbs dns npm-api beszel kuma telegram updates; do$/m);
    for (const shell of ['zsh', 'fish'] as const) {
      if (!has(shell)) {
        console.log(`${shell} is not installed: \`${shell} -n\` on the generated script not run`);
        continue;
      }
      const check = spawnSync(shell, ['-n', scripts[shell]], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
    }
  });

  it('completes in fish through fish\'s own machinery (complete -C)', () => {
    if (!has('fish')) {
      console.log('fish is not installed: its completion was not run');
      return;
    }
    const run = spawnSync('fish', ['-c', `source ${scripts.fish}; complete -C 'homelab pve st'; complete -C 'pve list --type='; complete -C 'pve start 10'`], {
      env: { PATH, HOME: work, ...env }, encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain("start\tStart a guest");
    expect(lines).toContain('--type=lxc');
    expect(lines.some((l) => /^10\d\t\S+/.test(l))).toBe(true);
  });

  it('completes a value with spaces or quotes in fish and zsh, over several Tabs', () => {
    const data = join(work, 'spaced-other');
    storeCompletions({ HOMELAB_DATA_HOME: data }, 'default', [{ kind: 'kuma.monitor', values: [{ value: 'Ünïcode mon with spaces' }, { value: 'Ünïcode mon two' }] }]);
    const shellEnv = { PATH, HOME: work, ...env, HOMELAB_DATA_HOME: data };
    if (has('fish')) {
      const lines = ['homelab kuma pause Ünïcode\\ mon', 'homelab kuma pause "Ün', "homelab 'kuma' pause Ünïcode\\ mon\\ t"].map((line) => {
        const run = spawnSync('fish', ['-c', `source ${scripts.fish}; complete -C $argv[1]`, line], { env: shellEnv, encoding: 'utf8' });
        expect(run.status, run.stderr).toBe(0);
        return run.stdout.split('\n').filter(Boolean);
      });
      expect(lines).toEqual([['Ünïcode mon two', 'Ünïcode mon with spaces'], ['Ünïcode mon two', 'Ünïcode mon with spaces'], ['Ünïcode mon two']]);
    } else console.log('fish is not installed: its completion was not run');
    if (has('zsh')) {
      // An interactive zsh on a pty (zsh/zpty): the keys typed, then the command line as it stands.
      const line = (keys: string): string => {
        const out = join(work, 'zsh-line');
        rmSync(out, { force: true });
        // A UTF-8 terminal: in the C locale zle reads Ü's bytes as Meta keys.
        const run = spawnSync('zsh', ['-f', '-c', ZSH_DRIVER, 'zsh', scripts.zsh, out, keys], { env: { ...shellEnv, LC_ALL: 'C.UTF-8' }, encoding: 'utf8', timeout: 30_000 });
        expect(run.status, run.stderr).toBe(0);
        return readFileSync(out, 'utf8').trimEnd();
      };
      // Tab puts the common part on the line; the next Tab completes from there.
      expect(line('homelab kuma pause Ün\tw\t')).toBe('homelab kuma pause Ünïcode\\ mon\\ with\\ spaces');
      expect(line('homelab kuma pause "Ün\tt\t')).toBe('homelab kuma pause "Ünïcode mon two"');
    } else console.log('zsh is not installed: its completion was not run');
  });
});
