/**
 * The lab's SSH targets in a temp folder whose name holds a quote, a space and `$(…)`:
 * the session wrapper, the fixture scripts and sshd's config keep each path one literal
 * word, so commands still run in the target's environment and nothing in the name is
 * ever run as code. On OpenSSH's sshd when installed, and on ssh2's Server always.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSshd, startSshLab, type SshLab, type SshTargetSim } from '../../../src/lab/ssh-target/index.js';
import type { ApplyResult, UpdatesReport } from '../../../src/services/updates/index.js';
import { exec, run, runSettled, sshConfig, testContext } from './ssh-env.js';

const servers = findSshd() ? (['sshd', 'ssh2'] as const) : (['ssh2'] as const);

/** Runs `command` on `t` as its user with `key`, collecting the output. */
function runOn(t: SshTargetSim, key: Buffer, command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const client = new Client();
  return new Promise((resolve, reject) => {
    client.once('error', reject);
    client.once('ready', () => {
      exec(client, command).then((r) => { client.end(); resolve(r); }, reject);
    });
    client.connect({
      host: t.host, port: t.port, username: t.user, privateKey: key, readyTimeout: 10_000,
      hostVerifier: (blob: Buffer) => blob.equals(Buffer.from(t.hostKey.blob, 'base64')),
    });
  });
}

describe.each(servers)("SSH targets under a temp folder named with ' and $(…), on %s", (server) => {
  const parent = mkdtempSync(join(tmpdir(), "homelab it's '$(echo INJECTED >&2)' "));
  let ssh: SshLab;
  let web: SshTargetSim;

  beforeAll(async () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = parent;
    try {
      ssh = await startSshLab({
        server,
        profiles: [{ name: 'web', manager: 'apt', os: { id: 'debian', prettyName: 'Debian GNU/Linux 13 (trixie)' }, packages: [{ name: 'curl', from: '8.14.1-2', to: '8.14.1-2+deb13u1' }], rebootRequired: true }],
      });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    web = ssh.targets.get('web') as SshTargetSim;
  });
  afterAll(async () => {
    await ssh?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('runs commands with PATH and HOMELAB_SYSROOT set to the literal paths, running nothing from the name', async () => {
    expect(ssh.server).toBe(server);
    expect(ssh.dir.startsWith(parent)).toBe(true);
    const r = await runOn(web, readFileSync(ssh.userKey.privatePath), 'printf "%s|%s" "$PATH" "$HOMELAB_SYSROOT"; apt list --upgradable 2>/dev/null');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.split('\n')[0]).toBe(`${join(web.dir, 'bin')}|${join(web.dir, 'root')}Listing...`);
    expect(r.stdout).toContain('curl/stable 8.14.1-2+deb13u1 amd64 [upgradable from: 8.14.1-2]');
  });

  it('serves updates check and apply: the fixture scripts find their state file', async () => {
    const { ctx } = testContext(sshConfig(ssh));
    const { result, failure } = await runSettled<UpdatesReport>('updates.check', {}, ctx);
    expect(failure).toBeUndefined();
    expect(result.targets[0]).toMatchObject({ name: 'web', ok: true, counts: { total: 1 }, rebootRequired: true });
    expect(web.pending().map((p) => p.name)).toEqual(['curl']);
    const applied = await run<ApplyResult>('updates.apply', { target: 'web' }, ctx);
    expect(applied).toMatchObject({ target: 'web', exitCode: 0, remaining: 0, rebootRequired: true });
    expect(web.pending()).toEqual([]);
  });
});
