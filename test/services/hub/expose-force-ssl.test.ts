/**
 * `homelab expose --cert none --force-ssl`, as a user runs it: the built binary against the
 * lab's simulators over real sockets. SSL cannot be forced without a certificate, so an
 * explicit `--force-ssl` with `--cert none` is refused with one line (exit 2) before any
 * service is asked, as `force_ssl: true` with `cert: none` is in lab.yaml; `--cert none`
 * alone (force-SSL on by default, and nothing to force) still plans.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useHubLab } from './hub-lab.js';

const { env, proxy } = useHubLab();

describe('expose --cert none --force-ssl', () => {
  it('is refused with one line and exit 2, asking nothing; --cert none alone plans with no certificate', async () => {
    for (const args of [['--cert', 'none', '--force-ssl'], ['--force-ssl', '--cert', 'none'], ['--cert', 'none', '--force-ssl=yes']]) {
      const from = proxy().requests.length;
      const r = await runCli(['expose', 'y', '10.5.0.1:80', ...args, '--dry-run'], env());
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('homelab: expose: --force-ssl: SSL cannot be forced without a certificate: --force-ssl (forceSsl) and --cert none cannot go together\n');
      expect(proxy().requests.length).toBe(from);
    }
    for (const args of [['--cert', 'none'], ['--cert', 'none', '--no-force-ssl']]) {
      const r = await runCli(['expose', 'y', '10.5.0.1:80', ...args, '--dry-run'], env());
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('NPM proxy host y.home.lan → http://10.5.0.1:80 (no certificate');
    }
  });

  it('still forces SSL by default with a certificate', async () => {
    const r = await runCli(['expose', 'y', '10.5.0.1:80', '--dry-run', '--json'], env());
    expect(r.code, r.stderr).toBe(0);
    const steps = (JSON.parse(r.stdout) as { plan: { steps: { key: string; input: Record<string, unknown> }[] } }).plan.steps;
    expect(steps.find((s) => s.key === 'proxy')?.input).toMatchObject({ forceSsl: true });
  });
});
