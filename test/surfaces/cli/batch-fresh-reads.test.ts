/**
 * Each line of a batch is a run of its own: what one run reads once and shares between the
 * operations it invokes (PVE guest configs) is read afresh by a later line, after the lines
 * between changed it.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve'] });

interface Configs { guests: { vmid: number; onboot: boolean }[] }

describe('homelab batch over PVE', () => {
  it('a later pve configs line sees the change an earlier line made', async () => {
    const lines = ['pve set 202 --no-onboot', 'pve configs', 'pve set 202 --onboot', 'pve configs'].join('\n');
    const r = await runCli(['batch', '--json', '--yes'], { ...lab.current.env }, { input: `${lines}\n` });
    expect(r.code, r.stderr).toBe(0);
    const results = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { line: number; result: unknown });
    const onboot = (i: number): boolean | undefined => (results[i]?.result as Configs).guests.find((g) => g.vmid === 202)?.onboot;
    expect(onboot(1)).toBe(false);
    expect(onboot(3)).toBe(true);
  });
});
