/**
 * Every check against the whole simulated lab: each turns the seeded trouble of the
 * inventory into its findings (through the services' read operations, via
 * `watch run`), reacts when the lab changes, and the daemon's `--once --stdout` round
 * announces the alerts once.
 */
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { invoke } from '../../src/core/invoke.js';
import { fqdn } from '../../src/lab/inventory.js';
import { trouble } from '../../src/lab/trouble.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { getRegistry } from '../../src/services/index.js';
import type { CheckFindings } from '../../src/services/watch/operations-run.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab();

async function watchRun(check?: string): Promise<Map<string, CheckFindings>> {
  const op = getRegistry().get('watch.run');
  if (!op) throw new Error('watch.run is not registered');
  const results = (await invoke(op, check ? { check } : {}, createContext({ actor: { surface: 'cli', id: 'tester' }, env: { ...lab.current.env }, operations: getRegistry() }))) as CheckFindings[];
  return new Map(results.map((r) => [r.check, r]));
}
const keys = (r: CheckFindings | undefined): string[] => (r?.findings ?? []).map((f) => f.key).sort();

describe('checks against the simulated lab', () => {
  it('finds the seeded trouble, each in its own check', async () => {
    const results = await watchRun();
    for (const r of results.values()) expect([r.check, r.outcome]).toEqual([r.check, 'ok']);
    expect(keys(results.get('guests'))).toEqual([`guests:${trouble.stoppedGuest}`]);
    expect(keys(results.get('nodes'))).toEqual([]);
    expect(keys(results.get('monitors'))).toEqual([`monitors:${trouble.downMonitorHost}`]);
    const certs = results.get('certs')?.findings ?? [];
    expect(certs).toHaveLength(2);
    expect(certs.map((c) => c.message).join('\n')).toContain(fqdn(trouble.expiringCertHost));
    expect(certs.map((c) => c.message).join('\n')).toMatch(new RegExp(`${fqdn(trouble.handMadeApp.host).replace(/\./g, '\\.')}.* expired 9 days ago`));
    for (const c of certs) expect(c.key).toMatch(/^certs:proxy:\d+$/);
    expect(keys(results.get('systems'))).toEqual(expect.arrayContaining([`systems:${trouble.fullDiskSystem}:disk`]));
    const backups = results.get('backups')?.findings ?? [];
    expect(backups.map((f) => f.key)).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^backups:\\w+/ct/${trouble.staleBackupGuest}$`))]));
    const updates = results.get('updates')?.findings ?? [];
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((f) => f.group !== undefined)).toBe(true);
  });

  it('sees a node go offline and the stopped guest come back', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const node = pve.state.nodes.get('pve1');
    const guest = pve.state.guests.get(trouble.stoppedGuest);
    if (!node || !guest) throw new Error('lab inventory changed');
    node.status = 'offline';
    guest.status = 'running';
    try {
      const results = await watchRun();
      expect(results.get('nodes')?.findings.map((f) => f.message)).toEqual(['node pve1 is offline (unreachable)']);
      expect(keys(results.get('guests'))).toEqual([]);
    } finally {
      node.status = 'online';
      guest.status = 'stopped';
    }
  });

  it('runs one check on request and refuses an unknown one', async () => {
    const only = await watchRun('monitors');
    expect([...only.keys()]).toEqual(['monitors']);
    const bad = await runCli(['watch', 'run', 'nonsense'], lab.current.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be one of backups, guests, nodes, monitors, certs, systems, updates');
  });

  it('announces each alert once across daemon rounds (--once --stdout)', async () => {
    lab.current.writeConfig({ watch: { for: '0s' } });
    const first = await runCli(['watch', '--once', '--stdout'], lab.current.env, { timeoutMs: 60_000 });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`🔴 monitors (critical): ${trouble.downMonitorHost} is down`);
    expect(first.stdout).toContain(`🔴 guests (critical): VM ${trouble.stoppedGuest}`);
    expect(first.stderr).toContain('updates: ');
    const second = await runCli(['watch', '--once', '--stdout'], lab.current.env, { timeoutMs: 60_000 });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('');
    const status = await runCliJson<{ alerts: { key: string; state: string; notified: boolean }[] }>(['watch', 'status'], lab.current.env);
    expect(status.alerts).toEqual(expect.arrayContaining([{ ...status.alerts.find((a) => a.key === `guests:${trouble.stoppedGuest}`), state: 'firing', notified: true }]));
  });
});
