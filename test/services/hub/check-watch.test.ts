/**
 * The `consistency` watch check against the lab: the daemon's first round announces each
 * inconsistency once, later rounds stay quiet about them (no repeats, even with a short
 * global repeat interval), and a new inconsistency is announced on its own.
 */
import { describe, expect, it } from 'vitest';
import { fqdn } from '../../../src/lab/inventory.js';
import type { SimServer } from '../../../src/lab/sim-server.js';
import { trouble } from '../../../src/lab/trouble.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab();
const OTHERS = ['backups', 'guests', 'nodes', 'monitors', 'certs', 'systems', 'updates'];
const lines = (out: string): string[] => out.split('\n').filter((l) => l.includes('consistency'));

describe('watch check consistency', () => {
  it('alerts on new findings only', async () => {
    lab.current.writeConfig({ watch: { for: '0s', repeat: '1s', checks: Object.fromEntries(OTHERS.map((c) => [c, { enabled: false }])) } });
    const round = () => runCli(['watch', '--once', '--stdout'], lab.current.env, { timeoutMs: 60_000 });
    const first = await round();
    expect(first.code).toBe(0);
    expect(lines(first.stdout).join('\n')).toContain(`${fqdn(trouble.destroyedGuest.name)} points at ${trouble.destroyedGuest.ip}`);
    expect(lines(first.stdout).join('\n')).toContain(`fix: homelab pve start ${trouble.stoppedGuest}`);
    expect(lines(first.stdout).length).toBe(15);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await round();
    expect(second.code).toBe(0);
    expect(lines(second.stdout)).toEqual([]);
    expect((await runCli(['dns', 'add', 'ghost', '10.5.0.99'], lab.current.env)).code).toBe(0);
    const third = await round();
    expect(lines(third.stdout)).toHaveLength(1);
    expect(third.stdout).toContain(`${fqdn('ghost')} points at 10.5.0.99, which no guest or known host has`);
  });

  it('could not run: exits with the failed service\'s code, as homelab check does (4 unreachable, 3 config)', async () => {
    lab.current.writeConfig();
    const dns = lab.current.sims.get('dns') as unknown as SimServer;
    const consistency = async (): Promise<{ code: number | null; exitCode: unknown; stderr: string }> => {
      const r = await runCli(['watch', 'run', 'consistency', '--json'], lab.current.env, { timeoutMs: 60_000 });
      const checks = JSON.parse(r.stdout) as { check: string; exitCode?: number }[];
      return { code: r.code, exitCode: checks.find((c) => c.check === 'consistency')?.exitCode, stderr: r.stderr };
    };
    dns.faults.resetNext = 10_000;
    try {
      const r = await consistency();
      expect([r.code, r.exitCode], r.stderr).toEqual([4, 4]);
      expect((await runCli(['check'], lab.current.env, { timeoutMs: 60_000 })).code).toBe(4);
    } finally {
      dns.faults.resetNext = 0;
    }
    const services = Object.fromEntries([...lab.current.sims.values()].map((s) => [s.service, s.configSection]));
    const section = services.dns as { url: string };
    lab.current.writeConfig({ services: { ...services, dns: { ...section, url: section.url.replace(/^https:/, 'http:'), fingerprint: 'AA:BB' } } });
    try {
      const r = await consistency();
      expect([r.code, r.exitCode], r.stderr).toEqual([3, 3]);
    } finally {
      lab.current.writeConfig();
    }
  });
});
