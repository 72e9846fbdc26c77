/**
 * The exit status of every fan-out command through the built CLI, against the lab's
 * simulators and SSH targets (docs/exit-codes.md): when one part fails (an unknown host
 * key, a check that ran and failed, a service not answering, a failed verify) the table
 * or `--json` is still printed, the one-line message follows on stderr, and the exit
 * code is the most serious part's, never 0.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../src/lab/lab.js';
import { attachSshTargets, type SshLab } from '../../src/lab/ssh-target/index.js';
import type { DoctorResult } from '../../src/services/setup/index.js';
import type { StatusResult } from '../../src/services/hub/index.js';
import type { PbsSim } from '../../src/services/pbs/sim/index.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import type { UpdatesReport } from '../../src/services/updates/index.js';
import type { CheckFindings } from '../../src/services/watch/operations-run.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

describe('exit status of fan-out commands', () => {
  const holder = useLab();
  let lab: RunningLab;
  let ssh: SshLab;
  const sim = (name: string) => {
    const s = lab.sims.get(name);
    if (!s) throw new Error(`no ${name} simulator`);
    return s;
  };
  /** Runs `fn` with forgejo's host key left out of known_hosts (as if it had never been trusted). */
  async function withUnknownForgejo(fn: () => Promise<void>): Promise<void> {
    const known = readFileSync(ssh.knownHosts, 'utf8');
    const forgejo = ssh.targets.get('forgejo');
    writeFileSync(ssh.knownHosts, known.replace(`${forgejo?.knownHostsLine}\n`, ''));
    try {
      await fn();
    } finally {
      writeFileSync(ssh.knownHosts, known);
    }
  }

  beforeAll(async () => {
    lab = holder.current;
    ssh = await attachSshTargets(lab);
  });
  afterAll(async () => { await ssh?.close(); });

  describe('updates check', () => {
    it('exits 4 when the only requested target refused its host key, still printing the table', async () => {
      await withUnknownForgejo(async () => {
        const res = await runCli(['updates', 'check', '--target', 'forgejo'], lab.env);
        expect(res.code).toBe(4);
        expect(res.stdout).toMatch(/^forgejo\s+ssh\s+127\.0\.0\.1:\d+\s+-\s+-\s+-\s+ssh forgejo: host key of 127\.0\.0\.1:\d+ is not known/m);
        expect(res.stdout).toContain('0 pending updates on 0 of 1 target; 1 could not be checked');
        expect(res.stderr).toBe('homelab: updates check: 1 of 1 targets failed (forgejo)\n  each target\'s error and fix are in its row above\n');
      });
    });

    it('prints the whole --json report before exiting 4', async () => {
      await withUnknownForgejo(async () => {
        const res = await runCli(['updates', 'check', '--json'], lab.env);
        expect(res.code).toBe(4);
        const report = JSON.parse(res.stdout) as UpdatesReport;
        expect(report.targets.map((t) => [t.name, t.ok])).toEqual([['pve1', true], ['pve2', true], ['dns', true], ['proxy', true], ['dockge', true], ['forgejo', false]]);
        expect(report.targets.at(-1)?.error).toMatchObject({ exitCode: 4, fingerprint: expect.stringMatching(/^SHA256:/) });
      });
    });

    it('exits 4 when a PVE node is offline (unreachable, not a failed check), its error coded 4 in --json', async () => {
      const pve2 = (sim('pve') as unknown as PveSim).state.nodes.get('pve2');
      if (!pve2) throw new Error('no pve2 node');
      pve2.status = 'offline';
      try {
        const res = await runCli(['updates', 'check', '--target', 'pve2', '--json'], lab.env);
        expect(res.code).toBe(4);
        const report = JSON.parse(res.stdout) as UpdatesReport;
        expect(report.targets.map((t) => [t.name, t.kind, t.ok])).toEqual([['pve2', 'node', false]]);
        expect(report.targets[0]?.error).toMatchObject({ exitCode: 4, message: 'pve: node pve2 is offline' });
        expect(res.stderr).toMatch(/^homelab: updates check: 1 of 1 targets failed \(pve2\)$/m);
        const all = await runCli(['updates', 'check'], lab.env);
        expect(all.code).toBe(4);
        expect(all.stdout).toMatch(/^pve2\s+node\s.*pve: node pve2 is offline/m);
        expect(all.stdout).toMatch(/^pve1\s+node\s+Proxmox VE/m);
      } finally {
        pve2.status = 'online';
      }
    });

    it('exits 1 when a check ran but failed (the package manager broke), the others still listed', async () => {
      const dockge = ssh.targets.get('dockge');
      if (!dockge) throw new Error('no dockge target');
      const apt = join(dockge.dir, 'bin', 'apt');
      const original = readFileSync(apt, 'utf8');
      writeFileSync(apt, '#!/bin/sh\necho "E: Could not open lock file /var/lib/dpkg/lock-frontend" >&2\nexit 100\n');
      try {
        const res = await runCli(['updates', 'check', '--no-nodes'], lab.env);
        expect(res.code).toBe(1);
        expect(res.stdout).toMatch(/^dockge\s+ssh\s+\S+\s+-\s+-\s+-\s+ssh dockge: listing updates with apt failed \(exit 100\)/m);
        expect(res.stdout).toMatch(/^forgejo\s+ssh\s+Debian GNU\/Linux 13 \(trixie\)\s+7\s+4\s+yes/m);
        // What the package manager said is kept, not only that it failed.
        expect(res.stdout).toContain('dockge: E: Could not open lock file /var/lib/dpkg/lock-frontend');
        expect(res.stderr).toContain('homelab: updates check: 1 of 4 targets failed (dockge)');
      } finally {
        writeFileSync(apt, original);
      }
    });
  });

  it('status: exits 4 when an SSH target of the updates line could not be reached, still printing every line', async () => {
    await withUnknownForgejo(async () => {
      const res = await runCli(['status', '--json'], lab.env);
      expect(res.code).toBe(4);
      const r = JSON.parse(res.stdout) as StatusResult;
      expect(r.services.map((s) => [s.service, s.state])).toEqual(['pve', 'pbs', 'dns', 'proxy', 'beszel', 'kuma', 'updates'].map((s) => [s, 'up']));
      const updates = r.services.find((s) => s.service === 'updates');
      expect(updates?.headline).toContain('unreachable: forgejo');
      expect(updates?.error).toMatchObject({ exitCode: 4, message: 'updates check: 1 of 6 targets failed (forgejo)' });
      expect(res.stderr).toContain('homelab: status: 1 of 7 services failed (updates)');
    });
  });

  it('status: the table, its summary line and stderr agree when only the updates part failed', async () => {
    await withUnknownForgejo(async () => {
      const res = await runCli(['status'], lab.env);
      expect(res.code).toBe(4);
      const lines = res.stdout.split('\n');
      // Not "up": the updates line answered with a target not reached.
      expect(lines.find((l) => l.startsWith('updates'))).toMatch(/^updates\s+failed\s+.*unreachable: forgejo/);
      expect(lines.find((l) => l.startsWith('pve'))).toMatch(/^pve\s+up\s/);
      // A hint that fits status (it has no per-target rows), and a summary matching stderr.
      expect(res.stdout).toContain('updates: see: homelab updates check');
      expect(res.stdout).not.toContain('row above');
      expect(res.stdout).not.toContain('services answered');
      expect(lines).toContain('1 of 7 services failed (updates)');
      expect(res.stderr).toBe('homelab: status: 1 of 7 services failed (updates)\n');
      const json = JSON.parse((await runCli(['status', '--json'], lab.env)).stdout) as StatusResult;
      expect(json.services.find((s) => s.service === 'updates')?.error?.hint).toBe('see: homelab updates check');
    });
  });

  it('status: a service down and the updates part it breaks are both counted, alike in the table and on stderr', async () => {
    sim('pve').faults.resetNext = 10_000;
    try {
      const res = await runCli(['status'], lab.env);
      expect(res.code).toBe(4);
      const lines = res.stdout.split('\n');
      expect(lines.find((l) => l.startsWith('pve'))).toMatch(/^pve\s+down\s/);
      expect(lines.find((l) => l.startsWith('updates'))).toMatch(/^updates\s+failed\s/);
      expect(lines).toContain('2 of 7 services failed (pve, updates)');
      expect(res.stderr).toContain('homelab: status: 2 of 7 services failed (pve, updates)');
    } finally {
      sim('pve').faults.resetNext = 0;
    }
  });

  it('doctor: exits 4 when a service does not answer, printing every check and its fix', async () => {
    sim('kuma').faults.resetNext = 1000;
    try {
      const res = await runCli(['doctor'], lab.env);
      expect(res.code).toBe(4);
      expect(res.stdout).toMatch(/^✗ kuma\s+answers\s+kuma: /m);
      expect(res.stdout).toMatch(/^✓ pve\s+tls\s+certificate matches the pinned fingerprint/m);
      expect(res.stderr).toMatch(/^homelab: doctor: 1 of \d+ checks failed \(kuma answers\)$/m);
      const json = await runCli(['doctor', '--json'], lab.env);
      expect(json.code).toBe(4);
      const report = JSON.parse(json.stdout) as DoctorResult;
      expect(report.checks.filter((c) => c.status === 'fail').map((c) => [`${c.area} ${c.name}`, c.exitCode])).toEqual([['kuma answers', 4]]);
    } finally {
      sim('kuma').faults.resetNext = 0;
    }
  });

  it('watch run: exits 4 when a check cannot reach its service, still printing every check', async () => {
    sim('pve').faults.resetNext = 1000;
    try {
      const res = await runCli(['watch', 'run', '--json'], lab.env);
      expect(res.code).toBe(4);
      const results = JSON.parse(res.stdout) as CheckFindings[];
      const guests = results.find((r) => r.check === 'guests');
      expect(guests).toMatchObject({ outcome: 'error', exitCode: 4 });
      expect(results.find((r) => r.check === 'backups')).toMatchObject({ outcome: 'ok' });
      expect(res.stderr).toMatch(/^homelab: watch run: \d+ of \d+ checks failed \(.*guests.*\)$/m);
      const table = await runCli(['watch', 'run'], lab.env);
      expect(table.code).toBe(4);
      expect(table.stdout).toMatch(/^guests\s+could not run: pve: /m);
    } finally {
      sim('pve').faults.resetNext = 0;
    }
  });

  it('pbs verify: prints the run with the broken snapshot, then exits 1', async () => {
    (sim('pbs') as unknown as PbsSim).knobs.failNext.verify = true;
    const res = await runCli(['pbs', 'verify', '--group', 'vm/200', '--json'], lab.env);
    expect(res.code).toBe(1);
    const r = JSON.parse(res.stdout) as { scope: string; exitstatus: string; checked: number; failed: string[] };
    expect(r).toMatchObject({ scope: 'vm/200', exitstatus: expect.stringMatching(/^verification failed/) });
    expect(r.failed).toEqual([expect.stringMatching(/^vm\/200\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)]);
    expect(r.checked).toBeGreaterThanOrEqual(1);
    expect(res.stderr).toContain('homelab: verify of main:vm/200 failed: verification failed');
  });
});
