/**
 * The audit log on a read-only data folder (a read-only mount, or a folder the user may
 * not write): `homelab audit` still reads it (and says so when there is no log yet), and
 * a change still runs, with one warning that it was not recorded. Run with the built
 * CLI; as root (who may write anywhere) the CLI runs as an unprivileged user instead.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/store.js';
import type { DnsSim } from '../../src/services/dns/sim/index.js';
import { CLI, runCli, type CliResult } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
/** As root, an unprivileged uid: permissions do not stop root. */
const asUid = process.getuid?.() === 0 ? 65534 : undefined;

/** Runs the built CLI as `asUid` (or as ourselves). */
function runAs(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: lab.current.dir, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asUid === undefined ? {} : { uid: asUid, gid: asUid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Hands the lab to `asUid` (when root), then makes `dir` and what it holds read-only. */
function readOnly(dir: string): void {
  if (asUid !== undefined) chownTree(lab.current.dir, asUid);
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), statSync(join(dir, name)).isDirectory() ? 0o555 : 0o444);
  chmodSync(dir, 0o555);
}

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (statSync(path).isDirectory()) for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}

const restore: string[] = [];
afterAll(() => { for (const dir of restore) chmodSync(dir, 0o700); });

describe('audit log on a read-only data folder', () => {
  it('homelab audit reads the log, and a change runs with one warning that it was not recorded', async () => {
    const env = { ...lab.current.env };
    expect((await runCli(['dns', 'add-txt', 'before-ro', 'recorded'], env)).code).toBe(0);
    readOnly(env.HOMELAB_DATA_HOME);
    restore.push(env.HOMELAB_DATA_HOME);

    const listed = await runAs(['audit', '--json'], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as AuditEntry[]).map((r) => [r.operation, r.outcome])).toEqual([['dns.add-txt', 'ok']]);
    const human = await runAs(['audit'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('dns.add-txt');

    const changed = await runAs(['dns', 'add-txt', 'during-ro', 'not recorded'], env);
    expect(changed.code).toBe(0);
    expect(changed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^homelab: warning: .* is read-only: the audit log is not written/)]);
    const sim = lab.current.sims.get('dns') as DnsSim;
    expect(JSON.stringify(sim.requests.map((r) => [r.path, [...r.query], r.body]))).toContain('during-ro');
    expect(readdirSync(env.HOMELAB_DATA_HOME).filter((n) => n.startsWith('audit'))).toEqual(['audit.sqlite']);
  });

  it('homelab audit with no log yet is an empty list with a note', async () => {
    const data = join(lab.current.dir, 'empty-data');
    mkdirSync(data);
    const env = { ...lab.current.env, HOMELAB_DATA_HOME: data };
    readOnly(data);
    restore.push(data);
    const json = await runAs(['audit', '--json'], env);
    expect([json.code, json.stdout.trim(), json.stderr]).toEqual([0, '[]', '']);
    const human = await runAs(['audit'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`no audit log yet (${join(data, 'audit.sqlite')})`);
    expect(existsSync(join(data, 'audit.sqlite'))).toBe(false);
  });
});
