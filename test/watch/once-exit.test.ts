/**
 * `homelab watch --once` is for cron, so its exit status must say when checks could not
 * run (docs/exit-codes.md: a partial failure is never 0): the built CLI against the PVE
 * simulator, first answering, then resetting every connection; and `watch run` stopping a
 * check at its time limit (a PVE that never answers).
 */
import { describe, expect, it } from 'vitest';
import type { SimServer } from '../../src/lab/sim-server.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';

const lab = useLab({ services: ['pve'] });
const pve = (): SimServer => lab.current.sims.get('pve') as unknown as SimServer;

describe('watch --once exit status', () => {
  it('exits 0 when every check ran', async () => {
    const r = await runCli(['watch', '--once', '--stdout'], lab.current.env, { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^homelab watch: guests: \d+ finding/m);
  });

  it('exits 4, naming the checks, when PVE cannot be reached (the checks could not run)', async () => {
    pve().faults.resetNext = 10_000;
    try {
      const r = await runCli(['watch', '--once', '--stdout'], lab.current.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/^homelab watch: guests: failed: pve: /m);
      expect(r.stderr).toMatch(/^homelab: watch --once: \d+ of \d+ checks failed \(.*guests.*\)$/m);
      expect(r.stderr).toContain('  the lines above say why');
    } finally {
      pve().faults.resetNext = 0;
    }
  });
});

describe('watch run and a check past its time limit', () => {
  it('stops the check at watch.checks.<name>.timeout_seconds: "timed out", exit 4', async () => {
    lab.current.writeConfig({ watch: { checks: { guests: { timeout_seconds: 1 } } } });
    pve().faults.hangNext = 10_000;
    try {
      const r = await runCli(['watch', 'run', 'guests'], lab.current.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(4);
      expect(r.stdout).toContain('could not run: timed out after 1 s (watch.checks.guests.timeout_seconds)');
    } finally {
      pve().faults.hangNext = 0;
      lab.current.writeConfig();
    }
  });
});
