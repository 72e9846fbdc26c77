/**
 * `updates check` against simulated targets on 127.0.0.1 (OpenSSH's sshd when installed,
 * ssh2's Server otherwise; the client speaks SSH to either): apt, dnf, apk and
 * pacman fixtures, security flags and pending reboots; and the failures that must stay
 * confined to their own target: unknown and changed host keys (refused before any key
 * is offered), key auth refused, a command that times out, a target that is down.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshLab, type SshLab, type SshTargetProfile } from '../../../src/lab/ssh-target/index.js';
import { freePort } from '../../../src/lab/ssh-target/sshd.js';
import type { PartialFailureError } from '../../../src/core/errors.js';
import type { UpdatesReport } from '../../../src/services/updates/index.js';
import { opensshFingerprint, run, runSettled, sshConfig, testContext } from './ssh-env.js';

const fedora = { id: 'fedora', prettyName: 'Fedora Linux 42 (Server Edition)' };
const profiles: SshTargetProfile[] = [
  {
    name: 'web', manager: 'apt', os: { id: 'debian', prettyName: 'Debian GNU/Linux 13 (trixie)' },
    packages: [
      { name: 'openssl', from: '3.5.1-1', to: '3.5.1-1+deb13u1', repo: 'stable-security' , security: true },
      { name: 'tzdata', from: '2025b-4', to: '2026a-0+deb13u1', repo: 'stable-updates', arch: 'all' },
    ],
  },
  {
    name: 'rocky', manager: 'dnf', os: fedora, rebootRequired: true,
    packages: [
      { name: 'kernel-core', from: '6.14.9-300.fc42', to: '6.15.4-200.fc42', repo: 'updates', arch: 'x86_64', security: true },
      { name: 'python3-requests', from: '2.32.3-4.fc42', to: '2.32.4-1.fc42', repo: 'updates', arch: 'noarch' },
    ],
  },
  { name: 'alpine', manager: 'apk', os: { id: 'alpine', prettyName: 'Alpine Linux v3.22' }, packages: [{ name: 'busybox', from: '1.37.0-r18', to: '1.37.0-r19', arch: 'x86_64' }] },
  { name: 'arch', manager: 'pacman', os: { id: 'arch', prettyName: 'Arch Linux' }, packages: [{ name: 'linux', from: '6.15.2.arch1-1', to: '6.15.4.arch2-1' }] },
  { name: 'slow', manager: 'apt', os: { id: 'debian', prettyName: 'Debian' }, packages: [], slowSeconds: 30 },
  { name: 'locked', manager: 'apt', os: { id: 'debian', prettyName: 'Debian' }, packages: [], authorized: false },
  { name: 'moved', manager: 'apt', os: { id: 'debian', prettyName: 'Debian' }, packages: [] },
  { name: 'changed', manager: 'apt', os: { id: 'debian', prettyName: 'Debian' }, packages: [] },
];

describe('updates check over SSH', () => {
  let ssh: SshLab;
  let report: UpdatesReport;
  let failure: PartialFailureError | undefined;
  let notes: string[];

  beforeAll(async () => {
    ssh = await startSshLab({ profiles, unknown: ['moved'], down: [{ name: 'down', port: await freePort() }], timeoutSeconds: 3, concurrency: 3 });
    // 'changed' is known with another host's key, as after a reinstall (or an attack).
    const changed = ssh.targets.get('changed');
    const web = ssh.targets.get('web');
    if (!changed || !web) throw new Error('targets missing');
    const text = readFileSync(ssh.knownHosts, 'utf8').replace(changed.knownHostsLine, `[127.0.0.1]:${changed.port} ${web.hostKey.type} ${web.hostKey.blob}`);
    writeFileSync(ssh.knownHosts, text);
    const context = testContext(sshConfig(ssh));
    notes = context.notes;
    ({ result: report, failure } = await runSettled<UpdatesReport>('updates.check', {}, context.ctx));
  });
  afterAll(async () => { await ssh?.close(); });

  const target = (name: string) => {
    const t = report.targets.find((x) => x.name === name);
    if (!t) throw new Error(`no report for ${name}`);
    return t;
  };

  it('reports every configured target, in config order, each with its own outcome', () => {
    expect(report.targets.map((t) => t.name)).toEqual(['web', 'rocky', 'alpine', 'arch', 'slow', 'locked', 'moved', 'changed', 'down']);
    expect(report.totals).toMatchObject({ targets: 9, reachable: 4, failed: 5 });
  });

  it('fails as a whole with the most serious target\'s exit code (4: a target unreachable), the report still attached', () => {
    expect(failure?.exitCode).toBe(4);
    expect(failure?.message).toBe('updates check: 5 of 9 targets failed (slow, locked, moved, changed, down)');
    expect(failure?.failures).toEqual([
      { part: 'slow', exitCode: 4 }, { part: 'locked', exitCode: 5 }, { part: 'moved', exitCode: 4 }, { part: 'changed', exitCode: 4 }, { part: 'down', exitCode: 4 },
    ]);
  });

  it('lists apt packages with versions and flags -security suites', () => {
    expect(target('web')).toMatchObject({ ok: true, kind: 'ssh', manager: 'apt', os: 'Debian GNU/Linux 13 (trixie)', counts: { total: 2, security: 1 }, rebootRequired: false });
    expect(target('web').packages).toEqual([
      { name: 'openssl', from: '3.5.1-1', to: '3.5.1-1+deb13u1', origin: 'stable-security', security: true },
      { name: 'tzdata', from: '2025b-4', to: '2026a-0+deb13u1', origin: 'stable-updates', security: false },
    ]);
  });

  it('reads dnf security advisories and the pending reboot', () => {
    const rocky = target('rocky');
    expect(rocky).toMatchObject({ ok: true, manager: 'dnf', os: 'Fedora Linux 42 (Server Edition)', counts: { total: 2, security: 1 }, rebootRequired: true });
    expect(rocky.packages.find((p) => p.name === 'kernel-core')).toMatchObject({ to: '6.15.4-200.fc42', security: true, origin: 'updates' });
    expect(rocky.packages.find((p) => p.name === 'python3-requests')?.security).toBe(false);
  });

  it('lists apk and pacman updates, with security unknown', () => {
    expect(target('alpine')).toMatchObject({ ok: true, manager: 'apk', rebootRequired: null });
    expect(target('alpine').packages).toEqual([{ name: 'busybox', from: '1.37.0-r18', to: '1.37.0-r19', origin: null, security: null }]);
    expect(target('arch')).toMatchObject({ ok: true, manager: 'pacman' });
    expect(target('arch').packages).toEqual([{ name: 'linux', from: '6.15.2.arch1-1', to: '6.15.4.arch2-1', origin: null, security: null }]);
  });

  it('times out a command that hangs, as that target\'s error (exit code 4)', () => {
    expect(target('slow')).toMatchObject({ ok: false, error: { exitCode: 4 } });
    expect(target('slow').error?.message).toMatch(/ssh slow: command timed out after 3 s/);
  });

  it('reports refused key authentication with the fix (exit code 5)', () => {
    expect(target('locked')).toMatchObject({ ok: false, error: { exitCode: 5 } });
    expect(target('locked').error?.message).toMatch(/refused key authentication as \S+ with .*id_ed25519/);
    expect(target('locked').error?.hint).toMatch(/authorized_keys/);
  });

  it('refuses an unknown host key, printing its fingerprint and the line that trusts it', () => {
    const moved = ssh.targets.get('moved');
    const error = target('moved').error;
    const fp = opensshFingerprint(`${moved?.hostKey.privatePath}.pub`);
    expect(fp).toMatch(/^SHA256:/);
    expect(error).toMatchObject({ exitCode: 4, fingerprint: fp });
    expect(error?.message).toContain(`is not known (ssh-ed25519 ${fp})`);
    expect(error?.hint).toContain(`echo '${moved?.knownHostsLine}' >> ${ssh.knownHosts}`);
  });

  it('refuses a changed host key, naming the known_hosts line and how to replace it', () => {
    const changed = ssh.targets.get('changed');
    const error = target('changed').error;
    expect(error).toMatchObject({ exitCode: 4, fingerprint: opensshFingerprint(`${changed?.hostKey.privatePath}.pub`) });
    expect(error?.message).toMatch(/CHANGED.*line \d+.*man-in-the-middle/);
    expect(error?.hint).toContain(`ssh-keygen -R '[127.0.0.1]:${changed?.port}'`);
  });

  it('sends no credential to a host whose key was refused', () => {
    for (const name of ['moved', 'changed']) {
      const log = ssh.targets.get(name)?.log() ?? '';
      expect(log).toMatch(/Disconnected from 127\.0\.0\.1 port \d+ \[preauth\]/);
      expect(log).not.toMatch(/publickey/i);
    }
    expect(ssh.targets.get('web')?.log()).toMatch(/Accepted publickey/);
  });

  it('reports a target that is down while the others were checked (exit code 4)', () => {
    expect(target('down')).toMatchObject({ ok: false, error: { exitCode: 4 } });
    expect(target('down').error?.message).toMatch(/cannot connect to 127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('reports progress per target', () => {
    expect(notes).toContain('web: listing updates');
    expect(notes.some((n) => n.startsWith('down: connecting to 127.0.0.1:'))).toBe(true);
  });

  it('checks one target with --target and refuses an unknown name', async () => {
    const { ctx } = testContext(sshConfig(ssh));
    const one = await run<UpdatesReport>('updates.check', { target: 'alpine' }, ctx);
    await expect(run('updates.check', { target: 'locked' }, ctx)).rejects.toMatchObject({ exitCode: 5, message: 'updates check: 1 of 1 targets failed (locked)' });
    expect(one.targets.map((t) => t.name)).toEqual(['alpine']);
    await expect(run('updates.check', { target: 'nope' }, ctx)).rejects.toThrow(/no SSH target or PVE node named nope/);
  });

  it('refreshes package lists with --refresh', async () => {
    const { ctx } = testContext(sshConfig(ssh));
    const one = await run<UpdatesReport>('updates.check', { target: 'web', refresh: true }, ctx);
    expect(one.targets[0]).toMatchObject({ ok: true, refreshed: true, counts: { total: 2 } });
  });
});
