/**
 * The daily digest: one message that summarises the day (what fires, what fired and
 * resolved), with updates grouped per target, security updates apart, and never one
 * message per package.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdatesReport } from '../../src/services/updates/report.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { guestsCheck } from '../../src/watch/checks/guests.js';
import { updatesCheck } from '../../src/watch/checks/updates.js';
import { buildDigest } from '../../src/watch/digest.js';
import { WatchStore } from '../../src/watch/state.js';
import { useLab } from '../helpers/lab.js';
import { FakeClock, RecordingNotifier, labWatcher, tempDataDir } from './helpers.js';

const lab = useLab({ services: ['pve'] });

describe('daily digest', () => {
  let data: ReturnType<typeof tempDataDir>;
  beforeEach(() => {
    data = tempDataDir();
  });
  afterEach(() => data.remove());

  it('summarises the day in one message, with node updates as counts per target', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const pending = [...pve.state.updates.entries()].filter(([, list]) => list.length > 0);
    expect(pending.length).toBeGreaterThan(0);
    const clock = new FakeClock();
    const notifier = new RecordingNotifier();
    const w = await labWatcher(lab.current, { watch: { for: '0s' }, dataDir: data.dir, clock, notifier, checks: [guestsCheck, updatesCheck] });
    try {
      const outcomes = await w.runAll();
      expect(outcomes.map((o) => [o.check, o.outcome])).toEqual([['guests', 'ok'], ['updates', 'ok']]);
      expect(notifier.take()).toHaveLength(1);
      clock.advance(60);
      const text = await w.sendDigest();
      expect(notifier.take()).toEqual([text]);
      expect(text).toContain('Firing now (1):');
      expect(text).toContain('🔴 guests: VM 201 (media) on pve2 is stopped but set to start on boot (since 1h 0m)');
      expect(text).toContain('Last 24 h: 1 fired, 0 resolved');
      expect(text).toContain(`Updates pending (${pending.length} ${pending.length === 1 ? 'target' : 'targets'}):`);
      for (const [node, list] of pending) {
        expect(text).toContain(`  ${node}: ${list.length} package`);
        for (const pkg of list) expect(text).not.toContain(pkg.Package);
      }
    } finally {
      await w.close();
      w.store.close();
    }
  });

  it('lists security updates apart from the rest, and targets that could not be checked', async () => {
    const report: UpdatesReport = {
      targets: [
        target('web', [['openssl', true], ['libssl3', true], ['curl', false], ['vim', false], ['tzdata', false]], true),
        target('dns', [['bind9-libs', false], ['less', false]], false),
        { ...target('db', [], null), ok: false, error: { message: 'ssh: cannot reach 10.5.0.30:22: ECONNREFUSED', hint: null, exitCode: 4 } },
      ],
      totals: { targets: 3, reachable: 2, failed: 1, packages: 7, security: 2, rebootRequired: 1 },
    };
    const findings = await updatesCheck.evaluate({ has: async () => true, configured: () => true, run: async () => report, commandLines: async (text) => text }, {}, Date.now());
    const store = await WatchStore.open(data.dir);
    try {
      store.saveRun({ check: 'updates', time: Date.now(), outcome: 'ok', detail: null, findings });
      const text = buildDigest(store, [updatesCheck], Date.now());
      expect(text).toContain('Security updates (1 target):\n  web: 2 (openssl, libssl3), reboot required');
      expect(text).toContain('Updates pending (2 targets):\n  web: 3 packages besides security\n  dns: 2 packages');
      expect(text).toContain('Could not check for updates (1 target):\n  db: ssh: cannot reach 10.5.0.30:22: ECONNREFUSED');
      expect(text).toContain('Nothing is firing now.');
    } finally {
      store.close();
    }
  });
});

function target(name: string, packages: [string, boolean][], reboot: boolean | null): UpdatesReport['targets'][number] {
  return {
    name, kind: 'ssh', address: `${name}:22`, ok: true, manager: 'apt', os: 'debian', refreshed: false, notes: [], error: null, durationMs: 5,
    packages: packages.map(([n, security]) => ({ name: n, from: '1', to: '2', origin: security ? 'trixie-security' : 'trixie', security })),
    counts: { total: packages.length, security: packages.filter(([, s]) => s).length },
    rebootRequired: reboot,
  };
}
