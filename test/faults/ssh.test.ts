/**
 * Fault suite, SSH (`updates check` and `updates apply` on the simulated targets, run on
 * both OpenSSH's sshd and ssh2's Server where sshd is installed, on ssh2's Server alone
 * where it is not; a cell of the table is the last run's): a port that refuses,
 * a listener that never sends its banner, a test-side TCP proxy that drops the
 * connection while a command runs, garbage or failing probe output, a key not
 * authorised, unknown and changed host keys, slow commands. Through the built CLI, with
 * exit codes, each target's error in the report, and from the targets' command logs that
 * a read is retried with backoff and an upgrade never runs twice.
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync, existsSync, appendFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findSshd, labProfiles, startSshLab, type SshLab, type SshTargetProfile, type SshTargetSim } from '../../src/lab/ssh-target/index.js';
import { shellWord } from '../../src/core/shell-word.js';
import type { UpdatesReport } from '../../src/services/updates/report.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { closedPort } from './ports.js';
import { cellText, faultRecorder } from './record.js';
import { runInTerminal } from './terminal.js';

const record = faultRecorder('ssh');

/** The servers the suite runs on: both where OpenSSH's sshd is installed, else ssh2's (no skips either way). */
const SERVERS = findSshd() ? (['sshd', 'ssh2'] as const) : (['ssh2'] as const);

/** A TCP proxy in front of a target that can drop every connection it carries. */
interface Proxy {
  port: number;
  dropAll(): void;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function startProxy(targetPort: number): Promise<Proxy> {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream).pipe(client);
    const drop = (): void => { pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  const port = await listen(server);
  return {
    port,
    dropAll: () => { for (const [a, b] of [...pairs]) { a.resetAndDestroy(); b.destroy(); } pairs.clear(); },
    close: () => new Promise<void>((resolve) => { for (const [a, b] of pairs) { a.destroy(); b.destroy(); } server.close(() => resolve()); }),
  };
}

/**
 * Fault knobs in a target's session wrapper (the script every command runs through, on
 * sshd and ssh2 alike): each command is logged; `hold` makes commands wait first (the
 * next one only, with `once`); `garbage` and `fail` replace the command's output.
 */
function wrapperKnobs(target: SshTargetSim): { commands(): string[]; set(knob: 'hold' | 'hold-once' | 'hold-apply' | 'garbage' | 'fail', on: boolean): void } {
  const wrapper = join(target.dir, 'session.sh');
  const knobs = join(target.dir, 'knobs');
  const log = join(target.dir, 'commands.log');
  mkdirSync(knobs, { recursive: true });
  const original = readFileSync(wrapper, 'utf8').split('\n');
  if (!original[0]?.startsWith('#!')) throw new Error(`unexpected session wrapper ${wrapper}`);
  const k = (knob: string): string => shellWord(join(knobs, knob));
  writeFileSync(wrapper, [
    original[0],
    `printf '%s\\n' "$(printf '%s' "$SSH_ORIGINAL_COMMAND" | head -n 1)" >> ${shellWord(log)}`,
    `if [ -f ${k('hold-once')} ]; then rm -f ${k('hold-once')}; sleep 4; fi`,
    `if [ -f ${k('hold')} ]; then sleep 4; fi`,
    `if [ -f ${k('hold-apply')} ] && [ "$SSH_ORIGINAL_COMMAND" != 'sh -s' ]; then sleep 4; fi`,
    `if [ -f ${k('garbage')} ]; then printf '\\033[31m<<garbage>> \\001\\002 not a probe\\n'; exit 0; fi`,
    `if [ -f ${k('fail')} ]; then echo 'E: Could not get lock /var/lib/dpkg/lock-frontend' >&2; exit 100; fi`,
    ...original.slice(1),
  ].join('\n'));
  return {
    commands: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    set: (knob, on) => (on ? writeFileSync(join(knobs, knob), '') : rmSync(join(knobs, knob), { force: true })),
  };
}

describe.each(SERVERS)('SSH targets under faults, on %s', (server) => {
  let lab: SshLab;
  let web: SshTargetSim;
  let knobs: ReturnType<typeof wrapperKnobs>;
  let dropper: Proxy;
  const proxies: Proxy[] = [];
  const servers: Server[] = [];
  let env: Record<string, string>;
  let slowEnv: Record<string, string>;

  beforeAll(async () => {
    const base = labProfiles().find((p) => p.packages.length > 0) as SshTargetProfile;
    lab = await startSshLab({
      server,
      profiles: [{ ...base, name: 'web' }, { ...base, name: 'stranger', authorized: false }, { ...base, name: 'slowpoke', slowSeconds: 2 }],
    });
    expect(lab.server).toBe(server);
    web = lab.targets.get('web') as SshTargetSim;
    const stranger = lab.targets.get('stranger') as SshTargetSim;
    knobs = wrapperKnobs(web);
    dropper = await startProxy(web.port);
    const [unknownProxy, changedProxy] = [await startProxy(web.port), await startProxy(web.port)];
    proxies.push(dropper, unknownProxy, changedProxy);
    const silent = createServer(() => undefined);
    servers.push(silent);
    const silentPort = await listen(silent);
    const downPort = await closedPort();

    const line = (t: SshTargetSim, port: number): string => t.knownHostsLine.replace(/^\[127\.0\.0\.1\]:\d+/, `[127.0.0.1]:${port}`);
    const knownHosts = join(lab.dir, 'faults_known_hosts');
    writeFileSync(knownHosts, '');
    for (const t of lab.targets.values()) appendFileSync(knownHosts, `${t.knownHostsLine}\n`);
    // The dropping proxy is web itself; the "changed" one claims to be a host whose known key is stranger's.
    appendFileSync(knownHosts, `${line(web, dropper.port)}\n${line(stranger, changedProxy.port)}\n`);
    const target = (name: string, port: number): Record<string, unknown> => ({ name, host: '127.0.0.1', port, user: web.user, key: lab.userKey.privatePath });
    const targets = [
      ...lab.sshConfig.targets,
      target('dropping', dropper.port), target('unknown-key', unknownProxy.port), target('changed-key', changedProxy.port),
      target('silent', silentPort), target('down', downPort),
    ];
    const write = (dirName: string, timeoutSeconds: number): Record<string, string> => {
      const dir = join(lab.dir, dirName);
      mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
      writeFileSync(join(dir, 'config', 'homelab', 'config.yaml'), stringify({
        services: {}, ssh: { targets, known_hosts: knownHosts, concurrency: 4, timeout_seconds: timeoutSeconds },
      }));
      return { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
    };
    env = write('home', 2);
    slowEnv = write('slow-home', 10);
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    for (const s of servers) s.close();
    await lab?.close();
  });
  afterEach(() => {
    for (const knob of ['hold', 'hold-once', 'hold-apply', 'garbage', 'fail'] as const) knobs.set(knob, false);
  });

  /** `updates check --target <name> --no-nodes --json`: the run and its report. */
  async function check(name: string, environment = env): Promise<{ result: CliResult; report: UpdatesReport }> {
    const result = await runCli(['updates', 'check', '--target', name, '--no-nodes', '--json'], environment, { timeoutMs: 60_000 });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    return { result, report: JSON.parse(result.stdout) as UpdatesReport };
  }

  /** The one target's error message in a report. */
  const errorOf = (report: UpdatesReport): string => report.targets[0]?.error?.message ?? '(no error)';

  /** Waits until the target's command log has more than `count` lines. */
  async function commandStarted(count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (knobs.commands().length <= count) {
      if (Date.now() > deadline) throw new Error('the command never started on the target');
      await new Promise((r) => setTimeout(r, 20));
    }
  }


  it('timeout: a server that never sends its banner is exit 4 naming the target and the limit', async () => {
    const { result, report } = await check('silent');
    expect(result.code).toBe(4);
    expect(errorOf(report)).toBe('ssh silent: connection timed out after 2 s');
    record({ column: 'ssh', fault: 'timeout', outcome: cellText(`exit 4 · "${errorOf(report)}" (banner never sent)`) });
  });

  it('refused: exit 4 (a read, so tried three times with backoff)', async () => {
    const { result, report } = await check('down');
    expect(result.code).toBe(4);
    expect(errorOf(report)).toMatch(/^ssh down: cannot connect to 127\.0\.0\.1:\d+: ECONNREFUSED$/);
    expect(result.stderr).toMatch(/^homelab: updates check: 1 of 1 targets failed \(down\)/);
    record({ column: 'ssh', fault: 'refused', outcome: cellText('exit 4 · "ssh down: cannot connect to <host:port>: ECONNREFUSED"') });
  });

  it('reset: a check cut off mid-command is run again with backoff; an upgrade cut off is never run again (exit 4)', async () => {
    let before = knobs.commands().length;
    knobs.set('hold-once', true);
    const retried = check('dropping');
    await commandStarted(before);
    dropper.dropAll();
    const { result, report } = await retried;
    expect(result.code).toBe(0);
    expect(report.targets[0]).toMatchObject({ name: 'dropping', ok: true, counts: { total: web.pending().length } });
    expect(knobs.commands().slice(before)).toEqual(['sh -s', 'sh -s']);

    before = knobs.commands().length;
    knobs.set('hold', true);
    const dropping = setInterval(() => { if (knobs.commands().length > before) { before = knobs.commands().length; dropper.dropAll(); } }, 20);
    const started = knobs.commands().length;
    try {
      const gaveUp = await check('dropping');
      expect(gaveUp.result.code).toBe(4);
      expect(errorOf(gaveUp.report)).toMatch(/^ssh dropping: the connection to 127\.0\.0\.1:\d+ dropped while the command ran; it may or may not have completed$/);
      expect(knobs.commands().slice(started)).toEqual(['sh -s', 'sh -s', 'sh -s']);
    } finally {
      clearInterval(dropping);
      knobs.set('hold', false);
    }

    const pending = web.pending().length;
    knobs.set('hold-apply', true);
    const applyStart = knobs.commands().length;
    const apply = runCli(['updates', 'apply', 'dropping', '--yes'], env, { timeoutMs: 60_000 });
    const deadline = Date.now() + 20_000;
    while (!knobs.commands().slice(applyStart).some((c) => c !== 'sh -s')) {
      if (Date.now() > deadline) throw new Error('the upgrade never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    dropper.dropAll();
    const applied = await apply;
    expect(applied.code).toBe(4);
    expect(applied.stderr.split('\n')[0]).toMatch(/^homelab: ssh dropping: the connection to 127\.0\.0\.1:\d+ dropped while the command ran; it may or may not have completed; dropping may be half-upgraded$/);
    expect(applied.stderr).toContain('finish it on dropping by hand (apt: dpkg --configure -a), then homelab updates check --target dropping');
    const upgrades = knobs.commands().slice(applyStart).filter((c) => c !== 'sh -s');
    expect(upgrades).toHaveLength(1);
    expect(web.pending().length).toBeLessThanOrEqual(pending);
    record({
      column: 'ssh', fault: 'reset',
      outcome: cellText('exit 4 · check: 1 drop retried → ok, 3 → exit 4 · apply: exit 4, upgrade run once, "may be half-upgraded"'),
    });
  }, 90_000);

  it('html-5xx: n/a (no HTTP); a probe that fails on the target is exit 1 naming its exit status', async () => {
    knobs.set('fail', true);
    const { result, report } = await check('web');
    expect(result.code).toBe(1);
    expect(errorOf(report)).toBe('ssh web: the update check exited with 100');
    const text = await runCli(['updates', 'check', '--target', 'web', '--no-nodes'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^web\s+ssh\s+127\.0\.0\.1:\d+\s+-\s+-\s+-\s+ssh web: the update check exited with 100$/m);
    record({ column: 'ssh', fault: 'html-5xx', outcome: cellText('n/a: no HTTP · a probe failing on the target: exit 1 "ssh web: the update check exited with 100"') });
  });

  it('bad-json: garbage probe output is exit 1, never a report of nothing pending', async () => {
    knobs.set('garbage', true);
    const { result, report } = await check('web');
    expect(result.code).toBe(1);
    expect(report.targets[0]).toMatchObject({ ok: false, packages: [] });
    expect(errorOf(report)).toBe('ssh web: the update check did not complete');
    expect(JSON.stringify(report)).not.toContain('\u001b');
    record({ column: 'ssh', fault: 'bad-json', outcome: cellText(`exit 1 · "${errorOf(report)}" (garbage output)`) });
  });

  it('token-expired: a key the target does not authorise is exit 5, with the fix', async () => {
    const { result, report } = await check('stranger');
    expect(result.code).toBe(5);
    expect(errorOf(report)).toBe(`ssh stranger: 127.0.0.1:${(lab.targets.get('stranger') as SshTargetSim).port} refused key authentication as ${web.user} with ${lab.userKey.privatePath}`);
    expect(report.targets[0]?.error?.hint).toContain('authorized_keys');
    record({ column: 'ssh', fault: 'token-expired', outcome: cellText('exit 5 · "ssh stranger: <host:port> refused key authentication as <user> with <key>" + fix') });
  });

  it('tls-mismatch: an unknown or changed host key is refused before authenticating (exit 4), fingerprints shown', async () => {
    const authBefore = web.log().split('\n').filter((l) => /publickey/.test(l)).length;
    const unknown = await check('unknown-key');
    expect(unknown.result.code).toBe(4);
    expect(errorOf(unknown.report)).toMatch(/^ssh unknown-key: host key of 127\.0\.0\.1:\d+ is not known \(ssh-ed25519 SHA256:[\w+/]+\); refused, nothing was sent$/);
    expect(unknown.report.targets[0]?.error?.fingerprint).toMatch(/^SHA256:/);
    const changed = await check('changed-key');
    expect(changed.result.code).toBe(4);
    const strangerKey = /SHA256:[\w+/]+/g;
    const line = errorOf(changed.report);
    expect(line).toMatch(/^ssh changed-key: host key of 127\.0\.0\.1:\d+ CHANGED: it now offers ssh-ed25519 SHA256:[\w+/]+, but .+ \(line \d+\) has ssh-ed25519 SHA256:[\w+/]+; refused, nothing was sent \(possible man-in-the-middle\)$/);
    const [offered, known] = line.match(strangerKey) ?? [];
    expect(offered).not.toBe(known);
    expect(web.log().split('\n').filter((l) => /publickey/.test(l)).length).toBe(authBefore);
    record({ column: 'ssh', fault: 'tls-mismatch', outcome: cellText('host key unknown or changed: exit 4 before auth · offered and known SHA256 fingerprints shown') });
  });

  it('slow: commands taking 2 s are still checked right, with progress on a terminal', async () => {
    const run = await runInTerminal(['updates', 'check', '--target', 'slowpoke', '--no-nodes', '--json'], slowEnv);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as UpdatesReport;
    expect(report.targets[0]).toMatchObject({ name: 'slowpoke', ok: true, counts: { total: (lab.targets.get('slowpoke') as SshTargetSim).pending().length } });
    expect(run.stderr).toContain('slowpoke: listing updates');
    record({ column: 'ssh', fault: 'slow', outcome: cellText('exit 0, same report · TTY: "slowpoke: listing updates"') });
  }, 60_000);
});
