/**
 * The beszel commands as a user runs them: the built binary against the simulated hub
 * over real sockets, checking output, the --json shapes, the token cache across runs,
 * the re-login after PocketBase silently stops accepting a token, and exit codes.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestById } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';
import type { BeszelAlert, BeszelSystem, BeszelSystemDetail } from '../../../src/services/beszel/index.js';
import type { BeszelSim } from '../../../src/services/beszel/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['beszel'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): BeszelSim => lab.current.sims.get('beszel') as BeszelSim;

describe('homelab beszel (CLI)', () => {
  it('shows a system\'s history over every range, each from the bucket the hub keeps for it', async () => {
    const wanted = { '1h': ['1m', 60], '12h': ['10m', 72], '24h': ['20m', 72], '1w': ['120m', 84], '30d': ['480m', 90] } as const;
    for (const [range, [bucket, count]] of Object.entries(wanted)) {
      const h = await runCliJson<{ bucket: string; samples: { time: string }[]; cpuPeak: number | null }>(['beszel', 'history', 'pve1', '--range', range], env());
      expect({ range, bucket: h.bucket, samples: h.samples.length }).toEqual({ range, bucket, samples: count });
      expect(h.cpuPeak).toBeGreaterThan(0);
    }
    const text = await runCli(['beszel', 'history', 'pve1', '--range', '1w'], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('pve1 (up), the last week: CPU mean');
    // One row per sample, two hours apart.
    expect(text.stdout.split('\n').filter((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d\s/.test(l))).toHaveLength(84);
  });

  it('lists systems as a table with the trouble called out', async () => {
    const result = await runCli(['beszel', 'systems'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^NAME\s+STATUS\s+CPU\s+MEM\s+DISK\s+LOAD\s+NET\s+UPTIME\s+AGENT/m);
    expect(result.stdout).toMatch(/^media\s+down\s/m);
    expect(result.stdout).toMatch(new RegExp(`^${trouble.fullDiskSystem}\\s+up\\s+[\\d.]+%\\s+[\\d.]+%\\s+9[3-5]\\.\\d%`, 'm'));
    expect(result.stdout).toContain(`down: ${guestById(trouble.beszelDownWhileRunning).name}, media`);
    expect(result.stdout).toMatch(/disk 94\.\d% on pbs/);
    // A filter that matches nothing says so (the lab has no paused system), not that the user sees none.
    const paused = await runCli(['beszel', 'systems', '--status', 'paused'], env());
    expect(paused.code).toBe(0);
    expect(paused.stdout.trim()).toBe('no system is paused');
  });

  it('prints systems as JSON with named values, legacy agent keys mapped', async () => {
    const systems = await runCliJson<BeszelSystem[]>(['beszel', 'systems'], env());
    const pve1 = systems.find((s) => s.name === 'pve1');
    expect(pve1).toMatchObject({ status: 'up', host: '10.5.0.1', agentVersion: '0.18.8', temperature: expect.any(Number), bandwidthBps: expect.any(Number) });
    expect(pve1?.load).toHaveLength(3);
    expect(pve1?.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const media = systems.find((s) => s.name === 'media');
    expect(media).toMatchObject({ status: 'down', agentVersion: '0.12.6' });
    expect(media?.load).toHaveLength(3);
    expect(media?.bandwidthBps).toBeGreaterThan(0);
    const down = await runCliJson<BeszelSystem[]>(['beszel', 'systems', '--status', 'down'], env());
    expect(down.map((s) => s.name)).toEqual([guestById(trouble.beszelDownWhileRunning).name, 'media']);
  });

  it('keeps the token 0600 in the data directory and logs in only once across runs', async () => {
    const before = sim().logins.users;
    await runCliJson(['beszel', 'systems'], env());
    await runCliJson(['beszel', 'alerts'], env());
    expect(sim().logins.users - before).toBeLessThanOrEqual(1);
    expect(statSync(join(lab.current.env.HOMELAB_DATA_HOME, 'beszel', 'auth.json')).mode & 0o777).toBe(0o600);
  });

  it('logs in again when the hub silently stops accepting the cached token', async () => {
    await runCliJson(['beszel', 'systems'], env());
    const before = sim().logins.users;
    sim().expireTokens();
    const systems = await runCliJson<BeszelSystem[]>(['beszel', 'systems'], env());
    expect(systems.length).toBeGreaterThan(5);
    expect(sim().logins.users).toBe(before + 1);
  });

  it('shows one system in detail: temperatures, network, containers, recent samples', async () => {
    const node = await runCliJson<BeszelSystemDetail>(['beszel', 'system', 'pve1'], env());
    expect(Object.keys(node.temperatures).length).toBeGreaterThan(0);
    expect(node.interfaces.map((i) => i.name)).toContain('vmbr0');
    expect(node.recent.length).toBeGreaterThanOrEqual(9);
    expect(node.recent.length).toBeLessThanOrEqual(11);
    expect(node.latest?.memTotalGb).toBe(64);
    const dockge = await runCliJson<BeszelSystemDetail>(['beszel', 'system', 'dockge', '--minutes', '30'], env());
    expect(dockge.containers.map((c) => c.name)).toContain('immich-server');
    expect(dockge.containers[0]).toMatchObject({ cpuPercent: expect.any(Number), memoryMb: expect.any(Number) });
    const text = await runCli(['beszel', 'system', 'dockge'], env());
    expect(text.stdout).toMatch(/^Containers/m);
    expect(text.stdout).toMatch(/^immich-server\s+[\d.]+%\s+\d+ MB/m);
    const pbs = await runCli(['beszel', 'system', 'pbs'], env());
    expect(pbs.stdout).toMatch(/^disk\s+[\d.]+ GB of 32\.0 GB \(94\.\d%\)/m);
    expect(pbs.stdout).toMatch(/^datastore\s+71\.5%/m);
  });

  it('takes the latest sample from the 1-minute bucket, though an aggregate was written after it', async () => {
    const id = sim().systemId('dockge');
    const newestOf = (collection: string, type?: string): string => sim().store.all(collection)
      .filter((r) => r.system === id && (type === undefined || r.type === type)).map((r) => String(r.created)).sort().at(-1) ?? '';
    // The seeded hub wrote its averages after the last minute sample, as a real hub's aggregation does.
    expect(newestOf('system_stats') > newestOf('system_stats', '1m')).toBe(true);
    const dockge = await runCliJson<BeszelSystemDetail>(['beszel', 'system', 'dockge', '--minutes', '5'], env());
    expect(dockge.latest).toEqual(dockge.recent.at(-1));
    expect(dockge.latest?.time).toBe(new Date(newestOf('system_stats', '1m').replace(' ', 'T')).toISOString());
    expect(dockge.containersAt).toBe(new Date(newestOf('container_stats', '1m').replace(' ', 'T')).toISOString());
  });

  it('shows a down system with its last sample and no recent ones', async () => {
    const media = await runCliJson<BeszelSystemDetail>(['beszel', 'system', 'media'], env());
    expect(media.status).toBe('down');
    expect(media.recent).toEqual([]);
    expect(Date.parse(media.latest?.time ?? '')).toBeLessThan(Date.now() - 24 * 3_600_000);
    const text = await runCli(['beszel', 'system', 'media'], env());
    expect(text.stdout).toContain('no samples in this window');
  });

  it('says an unknown system is not there (exit 2) and refuses bad input', async () => {
    const unknown = await runCli(['beszel', 'system', 'nosuch'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Beszel has no system named nosuch');
    const bad = await runCli(['beszel', 'system', 'pve1', '--minutes', '500'], env());
    expect(bad.code).toBe(2);
    const quote = await runCliJson<BeszelSystem[]>(['beszel', 'systems'], env());
    expect(quote.length).toBeGreaterThan(0);
    const injected = await runCli(['beszel', 'system', "x' || name != '"], env());
    expect(injected.code).toBe(2);
  });

  it('lists alerts with the triggered ones first', async () => {
    const alerts = await runCliJson<BeszelAlert[]>(['beszel', 'alerts'], env());
    const running = guestById(trouble.beszelDownWhileRunning).name;
    expect(alerts.slice(0, 3).map((a) => `${a.name}:${a.system}`).sort()).toEqual(['Disk:pbs', `Status:${running}`, 'Status:media']);
    expect(alerts.filter((a) => a.triggered)).toHaveLength(3);
    expect(alerts.find((a) => a.name === 'Disk' && a.system === 'pbs')).toMatchObject({ threshold: 90, unit: '%', minutes: 10, triggered: true });
    const triggered = await runCliJson<BeszelAlert[]>(['beszel', 'alerts', '--triggered'], env());
    expect(triggered).toHaveLength(3);
    const text = await runCli(['beszel', 'alerts'], env());
    expect(text.stdout).toMatch(/^pbs\s+Disk\s+> 90%\s+10 min\s+TRIGGERED/m);
    expect(text.stdout).toMatch(/^media\s+Status\s+down\s+1 min\s+TRIGGERED/m);
  });

  it('reports wrong credentials with exit 5 and no password in the output', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, cpSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const home = mkdtempSync(join(tmpdir(), 'beszel-cli-bad-'));
    cpSync(lab.current.env.HOMELAB_CONFIG_HOME, join(home, 'config'), { recursive: true });
    mkdirSync(join(home, 'config', 'beszel'), { recursive: true });
    writeFileSync(join(home, 'config', 'beszel', 'credentials'), `BESZEL_EMAIL=${sim().credentials.values.BESZEL_EMAIL}\nBESZEL_PASSWORD=not-the-password-42\n`, { mode: 0o600 });
    const result = await runCli(['beszel', 'systems'], { HOMELAB_CONFIG_HOME: join(home, 'config'), HOMELAB_DATA_HOME: join(home, 'data') });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('login refused');
    expect(result.stderr).not.toContain('not-the-password-42');
  });
});
