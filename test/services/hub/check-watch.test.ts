/**
 * The `consistency` watch check against the lab: the daemon's first round announces each
 * inconsistency once, later rounds stay quiet about them (no repeats, even with a short
 * global repeat interval), and a new inconsistency is announced on its own.
 */
import { describe, expect, it } from 'vitest';
import { fqdn } from '../../../src/lab/inventory.js';
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
});
