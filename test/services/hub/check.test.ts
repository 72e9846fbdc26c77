/**
 * `homelab check` over real sockets against the simulated lab: it finds every seeded
 * inconsistency and nothing else, its fixes fix, a service that is down makes its rules
 * unknown with exit 4 (never "no findings"), one that is not configured is skipped and
 * said so, and the 1,000-guest lab reads every guest's config once per run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { fqdn, guestById, guests } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { parseInput } from '../../../src/core/invoke.js';
import { checkOperation, type CheckResult } from '../../../src/services/hub/check.js';
import { checkForm } from '../../../src/surfaces/web/form-check.js';
import { FINDING_KINDS } from '../../../src/services/hub/check-findings/types.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

/** What the lab's story says `check` must find, as `severity kind subject`; with `probe`, what `--probe` adds. */
function seeded(probe = false): string[] {
  const appHost = (vmid: number): string => fqdn(guestById(vmid).app?.host ?? '');
  const gone = trouble.destroyedGuest;
  const made = trouble.handMadeApp;
  const unjobbed = guests.filter((g) => g.onboot && !g.template && g.lastBackupHoursAgo === undefined).map((g) => g.vmid);
  return [
    `error duplicate-address ${guestById(trouble.sameAddress.as).ip}`,
    `error proxy-to-stopped-guest ${appHost(trouble.stoppedGuest)}`,
    `error proxy-to-missing-guest ${fqdn(gone.app)}`,
    ...(probe ? [`error proxy-target-not-answering ${fqdn(made.host)}`] : []),
    `error certificate-expiring ${fqdn(made.host)} (uploaded)`,
    ...unjobbed.map((v) => `error guest-not-backed-up ${v}`),
    `error backup-too-old ${trouble.staleBackupGuest}`,
    `warning guest-without-dns ${fqdn(guestById(trouble.guestWithoutDns).name)}`,
    `warning stale-record ${fqdn(gone.name)}`,
    `warning duplicate-address ${guestById(trouble.secondName.of).ip}`,
    `warning monitor-without-proxy ${fqdn(trouble.orphanMonitor.host)}`,
    `warning proxy-without-monitor ${fqdn(gone.app)}`,
    `warning proxy-without-monitor ${fqdn(made.host)}`,
    `warning certificate-expiring ${fqdn(trouble.expiringCertHost)}`,
    `warning beszel-up-guest-stopped ${guestById(trouble.beszelUpWhileStopped).name}`,
    `warning beszel-down-guest-running ${guestById(trouble.beszelDownWhileRunning).name}`,
  ].sort();
}
const summary = (r: CheckResult): string[] => r.findings.map((f) => `${f.severity} ${f.kind} ${f.subject}`).sort();

async function check(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; result: CheckResult; stderr: string }> {
  const res = await runCli(['check', '--json', ...args], env, { timeoutMs: 60_000 });
  return { code: res.code, result: JSON.parse(res.stdout) as CheckResult, stderr: res.stderr };
}

describe('homelab check against the lab', () => {
  const lab = useLab();
  const env = (): Record<string, string> => lab.current.env;

  it('finds every seeded inconsistency and nothing else, with evidence and a fix, exit 1', async () => {
    const { code, result, stderr } = await check(env());
    expect(summary(result)).toEqual(seeded());
    expect(result.probed).toBe(false);
    expect(code).toBe(1);
    expect(stderr).toContain(`check: ${result.errors} errors found`);
    expect(result.services.map((s) => `${s.service} ${s.state}`)).toEqual(['pve ok', 'dns ok', 'proxy ok', 'kuma ok', 'pbs ok', 'beszel ok']);
    expect(result.unknown).toEqual([]);
    expect(result.guests).toBe(guests.length);
    const stale = result.findings.find((f) => f.kind === 'stale-record');
    expect(stale?.evidence.map((e) => e.service)).toEqual(['dns', 'pve']);
    expect(stale?.fix).toBe(`homelab dns delete ${trouble.destroyedGuest.name} --type A --value ${trouble.destroyedGuest.ip} (or, if ${trouble.destroyedGuest.ip} is a machine of the lab that is not a guest, add it to check.hosts in config.yaml)`);
    for (const f of result.findings) expect(f.evidence.length).toBeGreaterThan(0);
  });

  it('with --probe finds one of every kind; every probe goes to a loopback stand-in of the lab', async () => {
    const { code, result } = await check(env(), '--probe');
    expect(code).toBe(1);
    expect(summary(result)).toEqual(seeded(true));
    // The lab starts with nothing homelab manages: a switched-off part of an exposed app is found in expose-drift.test.ts;
    // no certificate in use is deleted: a host still naming one is found in check-proxy-certificates.test.ts.
    const notSeeded = new Set(['managed-host-disabled', 'managed-monitor-paused', 'proxy-certificate-deleted']);
    expect(new Set(result.findings.map((f) => f.kind))).toEqual(new Set(FINDING_KINDS.filter((k) => !notSeeded.has(k))));
    const made = trouble.handMadeApp;
    const silent = result.findings.find((f) => f.kind === 'proxy-target-not-answering');
    const target = `${guestById(made.of).ip}:${made.port}`;
    // Probed at loopback port 1, where nothing listens by design: never a port closed a moment
    // before, which another test's listener could be given (and the probe then answered).
    expect(silent?.evidence.find((e) => e.service === 'probe')?.says).toBe(`${target} (probed at 127.0.0.1:1) did not accept a TCP connection`);
    // The destroyed guest's address is not in the lab's probe map: left alone, said so.
    expect(result.unprobed).toEqual([`${trouble.destroyedGuest.ip}:${trouble.destroyedGuest.port}`]);
    const config = parse(readFileSync(join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), 'utf8')) as { check: { probe_map: Record<string, string>; probe_unmapped: boolean } };
    expect(config.check.probe_unmapped).toBe(false);
    expect(Object.values(config.check.probe_map).every((v) => /^127\.0\.0\.1:\d+$/.test(v))).toBe(true);
    expect(Object.keys(config.check.probe_map)).toContain(target);
  });

  it('--probe: a target added outside the lab story is not probed; refusing bad windows and a bad check section', async () => {
    const added = await runCli(['proxy', 'add', fqdn('away'), '10.5.0.77:8080'], env(), { timeoutMs: 60_000 });
    expect(added.code, added.stderr).toBe(0);
    try {
      const { result } = await check(env(), '--probe');
      expect(result.unprobed.sort()).toEqual([`${trouble.destroyedGuest.ip}:${trouble.destroyedGuest.port}`, '10.5.0.77:8080'].sort());
      expect(result.findings.filter((f) => f.kind === 'proxy-target-not-answering').map((f) => f.subject)).toEqual([fqdn(trouble.handMadeApp.host)]);
      expect(result.findings.find((f) => f.subject === fqdn('away') && f.kind === 'proxy-to-missing-guest')?.evidence.map((e) => e.service)).toEqual(['proxy', 'pve']);
    } finally {
      expect((await runCli(['proxy', 'delete', fqdn('away'), '--yes'], env(), { timeoutMs: 60_000 })).code).toBe(0);
    }
    const windows = await runCli(['check', '--cert-warn-days', '2', '--cert-error-days', '5'], env());
    expect(windows.code).toBe(2);
    expect(windows.stderr).toContain('check: --cert-error-days must not be more than --cert-warn-days');
  });

  it('certificate windows: one given, the other follows it (the error window never longer than the warning one)', async () => {
    const certs = (r: CheckResult): string[] => r.findings.filter((f) => f.kind === 'certificate-expiring').map((f) => `${f.severity} ${f.subject}`).sort();
    const made = `${fqdn(trouble.handMadeApp.host)} (uploaded)`;
    const expiring = fqdn(trouble.expiringCertHost);
    // Only a warning window shorter than the default error window (3): the error window is 2 too, not a usage error.
    const short = await check(env(), '--cert-warn-days', '2');
    expect(short.code, short.stderr).toBe(1);
    expect(short.stderr).not.toContain('cert-error-days');
    expect(certs(short.result)).toEqual([`error ${made}`]);
    // Only an error window: the warning window stays 14 (or follows a longer error window).
    const errorOnly = await check(env(), '--cert-error-days', '5');
    expect(errorOnly.code, errorOnly.stderr).toBe(1);
    expect(certs(errorOnly.result)).toEqual([`error ${expiring}`, `error ${made}`].sort());
    expect(certs((await check(env())).result)).toEqual([`error ${made}`, `warning ${expiring}`].sort());
    // The web form and the bot check the same input: one window given is accepted there too, both compared.
    expect(checkForm(checkOperation, { certWarnDays: 2 })).toMatchObject({ ok: true });
    expect(parseInput(checkOperation, { certWarnDays: 2 })).toMatchObject({ certWarnDays: 2 });
    expect(checkForm(checkOperation, { certWarnDays: 2, certErrorDays: 5 })).toMatchObject({ ok: false, errors: { certErrorDays: expect.stringContaining('must not be more than cert-warn-days') as unknown } });
    lab.current.writeConfig({ check: { probe_map: { '10.5.0.12': '127.0.0.1:1' } } });
    try {
      const bad = await runCli(['check', '--probe'], env());
      expect(bad.code).toBe(3);
      expect(bad.stderr).toContain('check.probe_map.10.5.0.12: the key must be host:port');
    } finally {
      lab.current.writeConfig();
    }
  });

  it('prints each finding with its evidence and fix for humans', async () => {
    const res = await runCli(['check'], env(), { timeoutMs: 60_000 });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`✗ error    ${fqdn(trouble.destroyedGuest.app)} forwards to ${trouble.destroyedGuest.ip}, which no guest or known host is`);
    expect(res.stdout).toContain(`    fix: homelab pve start ${trouble.stoppedGuest}`);
    expect(res.stdout).toMatch(/6 errors, 9 warnings across \d+ guests/);
    expect(res.stdout).toContain(`    fix: homelab pve backup ${guests.filter((g) => g.onboot && !g.template && g.lastBackupHoursAgo === undefined)[0]?.vmid}, and add`);
  });

  it('its fix fixes: after `pve start`, the proxy host is fine and Beszel (still down) contradicts PVE instead', async () => {
    const started = await runCli(['pve', 'start', String(trouble.stoppedGuest)], env(), { timeoutMs: 60_000 });
    expect(started.code).toBe(0);
    const { result } = await check(env());
    const media = guestById(trouble.stoppedGuest);
    expect(summary(result)).toEqual([...seeded().filter((s) => !s.includes('proxy-to-stopped-guest')), `warning beszel-down-guest-running ${media.name}`].sort());
    // Its clone still has its address: the conflict stays, and its proxy host now answers at the lab's stand-in.
    expect(summary(result)).toContain(`error duplicate-address ${media.ip}`);
    const probed = await check(env(), '--probe');
    expect(probed.result.findings.filter((f) => f.subject === fqdn(media.app?.host ?? ''))).toEqual([]);
    await runCli(['pve', 'stop', String(trouble.stoppedGuest), '--yes'], env(), { timeoutMs: 60_000 });
  });

  it('a service that is down makes its rules unknown, keeps the others, and exits 4', async () => {
    const dns = lab.current.sims.get('dns');
    if (!dns) throw new Error('lab has no dns');
    dns.faults.resetNext = 1000;
    try {
      const { code, result, stderr } = await check(env(), '--timeout', '5');
      expect(code).toBe(4);
      expect(stderr).toContain('check: 1 of 6 services failed (dns)');
      expect(result.services.find((s) => s.service === 'dns')).toMatchObject({ state: 'failed', exitCode: 4 });
      const unknownKinds = result.unknown.flatMap((u) => u.kinds);
      expect(unknownKinds).toEqual(expect.arrayContaining(['guest-without-dns', 'stale-record', 'duplicate-address']));
      expect(result.unknown.every((u) => u.because.some((b) => b.startsWith('dns failed: ')))).toBe(true);
      // Rules that do not read DNS still report: the same findings as before, minus the DNS ones.
      const dnsKinds = new Set(['guest-without-dns', 'stale-record', 'duplicate-address']);
      // Two guests with one address is PVE's alone, and still found.
      const pveOnly = `error duplicate-address ${guestById(trouble.sameAddress.as).ip}`;
      expect(summary(result)).toEqual(seeded().filter((s) => s === pveOnly || !dnsKinds.has(s.split(' ')[1] ?? '')));
    } finally {
      dns.faults.resetNext = 0;
    }
  });

  it('a service that is not configured is skipped and said so; its rules are unknown, not clean', async () => {
    const file = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const config = parse(readFileSync(file, 'utf8')) as { services: Record<string, unknown> };
    delete config.services.kuma;
    writeFileSync(file, stringify(config));
    try {
      const res = await runCli(['check'], env(), { timeoutMs: 60_000 });
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/kuma\s+skipped\s+not configured/);
      expect(res.stdout).toContain('unknown: proxy-without-monitor, monitor-without-proxy (kuma not configured)');
      const { result } = await check(env());
      expect(summary(result)).toEqual(seeded().filter((s) => !/-monitor|monitor-/.test(s)));
    } finally {
      lab.current.writeConfig();
    }
  });
});

describe('homelab check on a 1,000-guest cluster', () => {
  const lab = useLab({ extraGuests: 1000 });

  it('sees every guest, finds exactly the seeded trouble, and reads each guest config once', async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    expect(pve.state.guests.size).toBe(guests.length + 1000);
    const before = pve.requests.length;
    const { code, result } = await check(lab.current.env);
    expect(code).toBe(1);
    expect(result.guests).toBe(guests.length + 1000);
    expect(summary(result)).toEqual(seeded());
    const paths = pve.requests.slice(before).map((r) => r.path);
    const configs = paths.filter((p) => /\/(qemu|lxc)\/\d+\/config$/.test(p));
    expect(configs).toHaveLength(guests.length + 1000);
    expect(new Set(configs).size).toBe(configs.length);
    expect(paths.filter((p) => p.endsWith('/cluster/resources')).length).toBeLessThanOrEqual(2);
  });

  it("the guests watch check reads the list once and only the stopped guests' configs", async () => {
    const pve = lab.current.sims.get('pve') as PveSim;
    const before = pve.requests.length;
    const res = await runCli(['watch', 'run', 'guests', '--json'], lab.current.env, { timeoutMs: 60_000 });
    const [run] = JSON.parse(res.stdout) as { findings: { key: string }[] }[];
    expect(run?.findings.map((f) => f.key)).toEqual([`guests:${trouble.stoppedGuest}`]);
    const paths = pve.requests.slice(before).map((r) => r.path);
    const stopped = [...pve.state.guests.values()].filter((g) => g.status === 'stopped').length;
    expect(paths.filter((p) => p.endsWith('/config'))).toHaveLength(stopped);
    expect(paths.filter((p) => p.endsWith('/cluster/resources'))).toHaveLength(1);
  });
});
