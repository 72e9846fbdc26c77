/**
 * `updates check` and `updates apply` against guests that misbehave, on ssh2's Server
 * (scripted-guest): a check that fails or is killed is never followed by an upgrade; output
 * without newlines is cut (linear, never stalls) and details are short and free of the
 * probe's markers; a German guest is read in the C locale; a host offering another key type
 * than known_hosts holds is a changed key; a key file that is no private key is a config
 * error; an upgrade whose re-check fails is still reported as done.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configSchema, loadConfig, type HomelabConfig } from '../../../src/core/config.js';
import { deriveContext } from '../../../src/core/context.js';
import { ConfigError, HomelabError } from '../../../src/core/errors.js';
import type { ApplyResult, UpdatesReport } from '../../../src/services/updates/index.js';
import { MAX_DETAIL } from '../../../src/services/updates/output-lines.js';
import { SshSession, MAX_LINE } from '../../../src/services/updates/ssh/session.js';
import { sessionOptions } from '../../../src/services/updates/targets.js';
import { answer, aptProbe, OPENSSL, runSh, startScriptedGuest, type ScriptedGuest } from './scripted-guest.js';
import { run, runSettled, testContext } from './ssh-env.js';

/**
 * A fake apt and apt-get that answer in the guest's language unless the C locale is in force,
 * as gettext does: LC_ALL, else LC_MESSAGES, else LANG names the locale; unless it is C,
 * LANGUAGE (when set) picks the language. `apt-get … dist-upgrade` upgrades (a state file).
 */
const GERMAN_APT = `#!/bin/sh
STATE="$(dirname "$0")/upgraded"
locale="\${LC_ALL:-\${LC_MESSAGES:-$LANG}}"
case "$locale" in C|C.*|POSIX|'') lang=en ;; *) case "\${LANGUAGE:-$locale}" in de*) lang=de ;; *) lang=en ;; esac ;; esac
for last; do :; done
case "$(basename "$0") $1 $last" in
  'apt list'*)
    if [ $lang = de ]; then echo 'Auflistung… Fertig'; else echo 'Listing...'; fi
    [ -f "$STATE" ] && exit 0
    if [ $lang = de ]; then from='aktualisierbar von'; else from='upgradable from'; fi
    echo "openssl/stable-security 3.5.1-1+deb13u1 amd64 [$from: 3.5.1-1]"
    echo "tzdata/stable-updates 2026a-0+deb13u1 all [$from: 2025b-4]" ;;
  'apt-get update'*) if [ $lang = de ]; then echo 'Paketlisten werden gelesen… Fertig'; else echo 'Reading package lists... Done'; fi ;;
  *dist-upgrade)
    touch "$STATE"
    if [ $lang = de ]; then echo 'Entpacken von openssl (3.5.1-1+deb13u1) über (3.5.1-1) …'; echo 'openssl (3.5.1-1+deb13u1) wird eingerichtet …'
    else echo 'Unpacking openssl (3.5.1-1+deb13u1) over (3.5.1-1) ...'; echo 'Setting up openssl (3.5.1-1+deb13u1) ...'; fi ;;
  *) echo "unexpected: $*" >&2; exit 100 ;;
esac
`;

describe('updates against misbehaving guests', () => {
  let guest: ScriptedGuest;
  let dir: string;
  let knownHosts: string;
  const config = (target: Record<string, unknown> = {}): HomelabConfig => ({
    ...configSchema.parse({ ssh: { targets: [{ name: 'g', host: '127.0.0.1', port: guest.port, user: 'root', key: guest.userKey.privatePath, ...target }], known_hosts: knownHosts, timeout_seconds: 10 } }),
    path: join(dir, 'config.yaml'),
  });
  const apply = (c = config()) => run<ApplyResult>('updates.apply', { target: 'g' }, testContext(c).ctx);
  const check = async (c = config()) => (await runSettled<UpdatesReport>('updates.check', { target: 'g', nodes: false }, testContext(c).ctx)).result.targets[0];
  const upgrades = (): string[] => guest.commands.filter((c) => c !== 'sh -s');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'homelab-hostile-'));
    guest = await startScriptedGuest(() => undefined);
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${guest.knownHostsLine}\n`);
  });
  afterAll(async () => guest?.close());
  beforeEach(() => { guest.commands.length = 0; });

  it('never upgrades a target whose check exited non-zero or was killed', async () => {
    guest.handle = (req, ch) => (req.command === 'sh -s' ? answer(ch, aptProbe(OPENSSL), 1, 'sh: 1: broken\n') : answer(ch, 'upgraded\n'));
    await expect(apply()).rejects.toMatchObject({ exitCode: 1, message: 'ssh g: the update check exited with 1', details: ['sh: 1: broken'] });
    guest.handle = (req, ch) => {
      if (req.command !== 'sh -s') return answer(ch, 'upgraded\n');
      ch.write(aptProbe(OPENSSL));
      ch.exit('KILL', false, '');
      ch.end();
    };
    await expect(apply()).rejects.toThrow('ssh g: the update check exited with signal SIGKILL');
    expect(upgrades()).toEqual([]);
    expect(guest.commands).toEqual(['sh -s', 'sh -s']);
  });

  it('cuts detail lines to 200 characters and leaves out the probe markers', async () => {
    guest.handle = (_req, ch) => answer(ch, `${'x'.repeat(3_000_000)}`, 0);
    const flood = await check();
    expect(flood?.error?.message).toBe('ssh g: the update check did not complete');
    // How much of the 3 MB line is kept depends on the packets: only the cut itself is certain.
    expect(flood?.error?.details).toHaveLength(1);
    expect(flood?.error?.details?.[0]).toMatch(new RegExp(`^x{${MAX_DETAIL}} … \\(cut, \\d+ characters\\)$`));
    guest.handle = (_req, ch) => answer(ch, aptProbe(OPENSSL), 2);
    const failed = await check();
    expect(failed?.error?.message).toBe('ssh g: the update check exited with 2');
    expect(failed?.error?.details).toEqual(['PRETTY_NAME="Debian GNU/Linux 13 (trixie)"', 'Listing...', OPENSSL.trim(), 'no']);
  });

  it('streams an upgrade that sends megabytes without a newline: the line is cut once, the next lines come through', async () => {
    guest.handle = (req, ch) => {
      if (req.command === 'sh -s') return answer(ch, aptProbe(upgrades().length ? '' : OPENSSL));
      for (let i = 0; i < 64; i++) ch.write('y'.repeat(64 * 1024));
      answer(ch, '\nSetting up openssl (3.5.1-1+deb13u1) ...\n');
    };
    const { ctx, notes } = testContext(config());
    const result = await run<ApplyResult>('updates.apply', { target: 'g' }, ctx);
    // Cut once: at MAX_LINE by the session, then to MAX_DETAIL where shown, saying it was longer than MAX_LINE.
    const cutOnce = `${'y'.repeat(MAX_DETAIL)} … (cut, over ${MAX_LINE} characters)`;
    expect(notes.filter((n) => n.startsWith('g: yyy'))).toEqual([`g: ${cutOnce}`]);
    expect(notes).toContain('g: Setting up openssl (3.5.1-1+deb13u1) ...');
    expect(result.outputTail).toEqual([cutOnce, 'Setting up openssl (3.5.1-1+deb13u1) ...']);
    expect(result).toMatchObject({ remaining: 0, notes: [] });
  });

  it("shows a failed or cut-off upgrade's long lines cut once, with their real length", async () => {
    const long = 'w'.repeat(300);
    guest.handle = (req, ch) => (req.command === 'sh -s' ? answer(ch, aptProbe(OPENSSL)) : answer(ch, `${long}\n${'v'.repeat(9000)}`, 100));
    const failed = await apply().catch((e: unknown) => e);
    expect(failed).toMatchObject({ exitCode: 1, message: 'g: apt upgrade exited with 100' });
    expect((failed as { details: string[] }).details).toEqual([`${'w'.repeat(MAX_DETAIL)} … (cut, 300 characters)`, `${'v'.repeat(MAX_DETAIL)} … (cut, over ${MAX_LINE} characters)`]);
    guest.handle = (req, ch, drop) => {
      if (req.command === 'sh -s') return answer(ch, aptProbe(OPENSSL));
      ch.write(`${long}\n`);
      setTimeout(drop, 50);
    };
    const dropped = await apply().catch((e: unknown) => e);
    expect(dropped).toMatchObject({ exitCode: 4, message: expect.stringMatching(/g may be half-upgraded$/) });
    expect((dropped as { details: string[] }).details).toEqual([`${'w'.repeat(MAX_DETAIL)} … (cut, 300 characters)`]);
  });

  it('passes a line longer than MAX_LINE to onLine once, cut, whatever the chunking', async () => {
    guest.handle = (_req, ch) => {
      for (let i = 0; i < 80; i++) ch.write('z'.repeat(50_000));
      answer(ch, '\r\nnext\nlast without newline');
    };
    const session = await SshSession.open(sessionOptions(config(), config().ssh.targets[0] as HomelabConfig['ssh']['targets'][number], {}));
    try {
      const lines: string[] = [];
      const result = await session.exec('flood', { timeoutMs: 30_000, onLine: (l) => lines.push(l) });
      expect(result.code).toBe(0);
      expect(lines).toEqual([`${'z'.repeat(MAX_LINE)} … (line cut)`, 'next', 'last without newline']);
    } finally {
      session.close();
    }
  });

  it('reads a German guest in the C locale', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const tool of ['apt', 'apt-get']) writeFileSync(join(bin, tool), GERMAN_APT, { mode: 0o755 });
    const env = { PATH: `${bin}:/usr/bin:/bin`, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', HOMELAB_SYSROOT: join(dir, 'none') };
    guest.handle = (req, ch) => runSh(req, ch, env);
    const report = await check();
    expect(report).toMatchObject({ ok: true, manager: 'apt', counts: { total: 2, security: 1 } });
    expect(report?.packages.map((p) => [p.name, p.from, p.to])).toEqual([['openssl', '3.5.1-1', '3.5.1-1+deb13u1'], ['tzdata', '2025b-4', '2026a-0+deb13u1']]);
  });

  it("upgrades a German guest in the C locale: apt-get's output in English, LANGUAGE overridden", async () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    for (const tool of ['apt', 'apt-get']) writeFileSync(join(bin, tool), GERMAN_APT, { mode: 0o755 });
    const env = { PATH: `${bin}:/usr/bin:/bin`, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', LANGUAGE: 'de_DE:de', HOMELAB_SYSROOT: join(dir, 'none') };
    guest.handle = (req, ch) => runSh(req, ch, env);
    const { ctx, notes } = testContext(config());
    const result = await run<ApplyResult>('updates.apply', { target: 'g' }, ctx);
    expect(result.outputTail).toEqual(['Reading package lists... Done', 'Unpacking openssl (3.5.1-1+deb13u1) over (3.5.1-1) ...', 'Setting up openssl (3.5.1-1+deb13u1) ...']);
    expect(notes).toContain('g: Setting up openssl (3.5.1-1+deb13u1) ...');
    expect(result).toMatchObject({ exitCode: 0, remaining: 0, notes: [] });
  });

  it('reports a host offering another key type than known_hosts holds as a changed key, with both types and the fix', async () => {
    const rsa = ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 }).public.trim().split(/\s+/)[1];
    const kh = join(dir, 'known_hosts_rsa');
    writeFileSync(kh, `[127.0.0.1]:${guest.port} ssh-rsa ${rsa}\n`);
    const report = await check({ ...config(), ssh: { ...config().ssh, known_hosts: kh } });
    expect(report?.error?.exitCode).toBe(4);
    expect(report?.error?.message).toMatch(/^ssh g: host key of 127\.0\.0\.1:\d+ CHANGED: it now offers ssh-ed25519 SHA256:\S+, but .+ \(line 1\) has ssh-rsa SHA256:\S+; refused, nothing was sent/);
    expect(report?.error?.fingerprint).toMatch(/^SHA256:/);
    expect(report?.error?.hint).toContain(`ssh-keygen -R '[127.0.0.1]:${guest.port}' -f ${kh}`);
    expect(guest.commands).toEqual([]);
  });

  it('quotes a known_hosts path with a space in the line that trusts the key', async () => {
    const kh = join(dir, 'my kh');
    writeFileSync(kh, '');
    const report = await check({ ...config(), ssh: { ...config().ssh, known_hosts: kh } });
    expect(report?.error?.hint).toMatch(new RegExp(`then trust it: echo '\\[127\\.0\\.0\\.1\\]:${guest.port} ssh-ed25519 \\S+' >> '${kh.replace(/[.]/g, '\\.')}'$`));
  });

  it('refuses a key file that is no private key (a .pub, garbage) as a config error naming ssh.targets[].key', async () => {
    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, 'not a key at all\n', { mode: 0o600 });
    const pub = join(dir, 'pub');
    writeFileSync(pub, readFileSync(`${guest.userKey.privatePath}.pub`), { mode: 0o600 });
    for (const key of [pub, garbage]) {
      const err = await apply(config({ key })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toMatch(new RegExp(`^ssh\\.targets\\[\\]\\.key of g: ${key} is not a private key ssh can use \\(.+\\)$`));
      expect((err as ConfigError).hint).toMatch(/not the \.pub/);
      expect((await check(config({ key })))?.error?.exitCode).toBe(3);
    }
    expect(guest.commands).toEqual([]);
  });

  it('reports an upgrade whose check afterwards fails as done, the failure as a note', async () => {
    guest.handle = (req, ch) => {
      if (req.command !== 'sh -s') return answer(ch, 'Setting up openssl (3.5.1-1+deb13u1) ...\n');
      answer(ch, upgrades().length ? aptProbe('E: dpkg was interrupted\n', { listRc: 100 }) : aptProbe(OPENSSL));
    };
    const result = await apply();
    expect(result).toMatchObject({ exitCode: 0, remaining: null, rebootRequired: null });
    expect(result.notes).toEqual(['upgraded; the check after it failed: ssh g: listing updates with apt failed (exit 100)']);
    expect(upgrades()).toHaveLength(1);
  });

  it('says an upgrade cancelled while it ran may have left the target half-upgraded', async () => {
    guest.handle = (req, ch) => (req.command === 'sh -s' ? answer(ch, aptProbe(OPENSSL)) : ch.write('Unpacking openssl (3.5.1-1+deb13u1) ...\n'));
    const { ctx, notes } = testContext(config());
    const controller = new AbortController();
    const waiting = setInterval(() => { if (notes.includes('g: Unpacking openssl (3.5.1-1+deb13u1) ...')) controller.abort(); }, 10);
    try {
      const err = await run('updates.apply', { target: 'g' }, deriveContext(ctx, { signal: controller.signal })).catch((e: unknown) => e);
      expect(err).toMatchObject({ exitCode: 1, message: 'g: the upgrade was cancelled while it ran; g may be half-upgraded', hint: expect.stringMatching(/^finish it on g by hand/) });
    } finally {
      clearInterval(waiting);
    }
  });

  it('says the SSH user must be root when apt says permission denied', async () => {
    guest.handle = (req, ch) => (req.command === 'sh -s'
      ? answer(ch, aptProbe(OPENSSL))
      : answer(ch, '', 100, 'E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\nE: Unable to lock directory /var/lib/apt/lists/\n'));
    const err = await apply(config({ user: 'bob' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 1, message: 'g: apt upgrade exited with 100' });
    expect((err as HomelabError).hint).toMatch(/^the SSH user must be root \(homelab does not use sudo\)/);
    // root refused (an unprivileged container) is told nothing about root.
    const asRoot = await apply(config({ user: 'root' })).catch((e: unknown) => e);
    expect(asRoot).toMatchObject({ exitCode: 1, message: 'g: apt upgrade exited with 100', hint: undefined });
  });

  it("says the SSH user must be root when pacman says it is not root, only for another user", async () => {
    guest.handle = (req, ch) => (req.command === 'sh -s'
      ? answer(ch, aptProbe(OPENSSL).replace('@@pm apt', '@@pm pacman').replace(OPENSSL, 'openssl 3.5.0-1 -> 3.5.1-1\n'))
      : answer(ch, '', 1, 'error: you cannot perform this operation unless you are root.\n'));
    const err = await apply(config({ user: 'bob' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 1, message: 'g: pacman upgrade exited with 1', hint: expect.stringMatching(/^the SSH user must be root \(homelab does not use sudo\)/) });
    expect(await apply(config({ user: 'root' })).catch((e: unknown) => e)).toMatchObject({ exitCode: 1, hint: undefined });
  });

  it('refuses a command on a connection that already dropped at once, as dropped (exit 4), leaving no timer behind', async () => {
    guest.handle = (_req, ch, drop) => { answer(ch, aptProbe(OPENSSL)); setTimeout(drop, 5); };
    const session = await SshSession.open(sessionOptions(config(), config().ssh.targets[0] as HomelabConfig['ssh']['targets'][number], {}));
    try {
      await session.exec('sh -s', { timeoutMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const before = timers();
      const err = await session.exec('upgrade', { timeoutMs: 30 * 60_000 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ exitCode: 4, sent: false, message: expect.stringMatching(/^ssh g: the connection to 127\.0\.0\.1:\d+ had dropped; the command was not sent$/) });
      expect(timers()).toBe(before);
      expect(guest.commands).toEqual(['sh -s']);
    } finally {
      session.close();
    }
  });

  it('notes that a refresh refused for lack of root needs the SSH user to be root', async () => {
    guest.handle = (_req, ch) => answer(ch, aptProbe(OPENSSL).replace('@@list', '@@refresh\nE: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n@@rc 100\n@@list'));
    const report = (await runSettled<UpdatesReport>('updates.check', { target: 'g', nodes: false, refresh: true }, testContext(config({ user: 'bob' })).ctx)).result.targets[0];
    expect(report).toMatchObject({ ok: true, refreshed: false, counts: { total: 1 } });
    expect(report?.notes[0]).toMatch(/^refreshing the package lists failed: E: Could not open lock file .*Permission denied\) \(the SSH user must be root \(homelab does not use sudo\)/);
  });

  it('refuses two ssh.targets with one name at config load (exit 3), naming both', () => {
    const home = mkdtempSync(join(tmpdir(), 'homelab-dup-'));
    mkdirSync(join(home, 'homelab'), { recursive: true });
    writeFileSync(join(home, 'homelab', 'config.yaml'), 'ssh:\n  targets:\n    - { name: web, host: 10.0.0.1 }\n    - { name: db, host: 10.0.0.2 }\n    - { name: web, host: 10.0.0.3 }\n', { mode: 0o600 });
    let err: unknown;
    try {
      loadConfig({ HOMELAB_CONFIG_HOME: home, HOMELAB_DATA_HOME: join(home, 'data') });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exitCode: 3 });
    expect((err as Error).message).toMatch(/: ssh\.targets\.2\.name: web is already the name of ssh\.targets\.0 \(10\.0\.0\.1\); each target needs its own name$/);
  });
});
