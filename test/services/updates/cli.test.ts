/**
 * `homelab updates` through the built CLI: the per-target table with its package
 * lists, exit codes for bad input, and `apply` asking first (refused without a
 * terminal unless --yes), an unknown target refused before it asks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../../src/lab/lab.js';
import { attachSshTargets, type SshLab } from '../../../src/lab/ssh-target/index.js';
import type { UpdatesReport } from '../../../src/services/updates/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

describe('homelab updates (CLI)', () => {
  const holder = useLab({ services: ['pve'] });
  let lab: RunningLab;
  let ssh: SshLab;

  beforeAll(async () => {
    lab = holder.current;
    ssh = await attachSshTargets(lab);
  });
  afterAll(async () => { await ssh?.close(); });

  it('prints one row per target, then the packages of each, security ones marked', async () => {
    const res = await runCli(['updates', 'check'], lab.env);
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n');
    expect(lines[0]).toMatch(/^TARGET\s+KIND\s+SYSTEM\s+UPDATES\s+SECURITY\s+REBOOT\s+NOTE/);
    expect(lines.find((l) => l.startsWith('forgejo'))).toMatch(/^forgejo\s+ssh\s+Debian GNU\/Linux 13 \(trixie\)\s+7\s+4\s+yes/);
    expect(lines.find((l) => l.startsWith('pve1'))).toMatch(/^pve1\s+node\s+Proxmox VE\s+3\s+\?\s+no\s+the node's list as of its last apt-get update/);
    expect(res.stdout).toContain('forgejo: 7 pending, 4 security');
    const forgejo = lines.slice(lines.indexOf('forgejo: 7 pending, 4 security'));
    expect(forgejo.find((l) => l.startsWith('openssl '))).toMatch(/^openssl\s+3\.5\.1-1\s+3\.5\.1-1\+deb13u1\s+security$/);
    expect(forgejo.find((l) => l.startsWith('tzdata '))).toMatch(/^tzdata\s+2025b-4\s+2026a-0\+deb13u1\s+stable-updates$/);
    expect(lines.filter(Boolean).at(-1)).toMatch(/^16 pending updates \(4 security\) on 6 of 6 targets; 1 needs a reboot$/);
  });

  it('checks only the SSH targets with --no-nodes', async () => {
    const r = await runCliJson<UpdatesReport>(['updates', 'check', '--no-nodes'], lab.env);
    expect(r.targets.map((t) => t.name)).toEqual(['dns', 'proxy', 'dockge', 'forgejo']);
  });

  it('refuses an unknown target with exit 2', async () => {
    const res = await runCli(['updates', 'check', '--target', 'nope'], lab.env);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('no SSH target or PVE node named nope');
  });

  it('refuses an unknown target before asking anything (exit 2, not the --yes refusal)', async () => {
    const res = await runCli(['updates', 'apply', 'nosuch'], lab.env);
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toBe('homelab: no SSH target named nosuch');
    expect(res.stderr).not.toContain('--yes');
  });

  it('asks before applying: refused without a terminal, runs with --yes', async () => {
    const refused = await runCli(['updates', 'apply', 'dockge'], lab.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^homelab: Upgrade every package on dockge \(root@127\.0\.0\.1:\d+\): this is destructive; add --yes/);
    expect(ssh.targets.get('dockge')?.pending()).toHaveLength(1);

    const done = await runCli(['updates', 'apply', 'dockge', '--yes'], lab.env);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^dockge: upgraded with apt in [\d.]+ s/);
    expect(done.stdout).toMatch(/still pending\s+0/);
    expect(ssh.targets.get('dockge')?.pending()).toEqual([]);
  });
});
