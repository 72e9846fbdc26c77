/**
 * `updates check` with the PVE simulator (node updates through the apt API, Sys.Modify
 * refused, a refresh answered without a task id) and `updates apply` on a real sshd
 * target: streamed output, the upgrade really changing the target, and the PVE snapshot
 * taken first with `--snapshot` (through `pve.snapshot`, so the audit log has its row,
 * under one plan id with the apply's). With a scripted guest (ssh2's Server): the snapshot
 * is taken only once the target answered its check, and an upgrade cut off after it names it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditHook } from '../../../src/audit/hook.js';
import { AuditStore } from '../../../src/audit/store.js';
import { loadConfig } from '../../../src/core/config.js';
import { deriveContext } from '../../../src/core/context.js';
import { addInvokeHook } from '../../../src/core/invoke.js';
import type { RunningLab } from '../../../src/lab/lab.js';
import type { SimServer } from '../../../src/lab/sim-server.js';
import { attachSshTargets, type SshLab } from '../../../src/lab/ssh-target/index.js';
import { newPlanId } from '../../../src/orchestration/plan.js';
import type { AuditRows } from '../../../src/services/audit/operations.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import type { ApplyResult, UpdatesReport } from '../../../src/services/updates/index.js';
import type { HomelabConfig } from '../../../src/core/config.js';
import { getRegistry } from '../../../src/services/index.js';
import { useLab } from '../../helpers/lab.js';
import { answer, aptProbe, OPENSSL, startScriptedGuest } from './scripted-guest.js';
import { run, runSettled, testContext } from './ssh-env.js';

describe('updates with the PVE simulator', () => {
  const holder = useLab({ services: ['pve'] });
  let lab: RunningLab;
  let ssh: SshLab;
  let pve: PveSim;
  let removeAuditHook: (() => void) | undefined;
  const context = () => testContext(loadConfig(lab.env), lab.env);

  beforeAll(async () => {
    lab = holder.current;
    pve = lab.sims.get('pve') as PveSim;
    ssh = await attachSshTargets(lab);
    removeAuditHook = addInvokeHook(createAuditHook((dir) => AuditStore.open(dir)));
  });
  afterAll(async () => {
    removeAuditHook?.();
    await ssh?.close();
  });

  it('lists node updates from the apt API next to the SSH targets, with the stale-list note', async () => {
    const report = await run<UpdatesReport>('updates.check', {}, context().ctx);
    expect(report.targets.map((t) => `${t.kind}:${t.name}`)).toEqual(['node:pve1', 'node:pve2', 'ssh:dns', 'ssh:proxy', 'ssh:dockge', 'ssh:forgejo']);
    const pve2 = report.targets[1];
    expect(pve2).toMatchObject({ ok: true, manager: 'apt', refreshed: false, rebootRequired: false, counts: { total: pve.state.updates.get('pve2')?.length } });
    expect(pve2?.packages.find((p) => p.name === 'pve-manager')).toMatchObject({ from: '9.1.2', to: '9.1.3', security: null });
    expect(pve2?.notes.join(' ')).toMatch(/last apt-get update/);
    const forgejo = report.targets.find((t) => t.name === 'forgejo');
    expect(forgejo).toMatchObject({ ok: true, rebootRequired: true, counts: { total: 7, security: 4 } });
    expect(report.totals.security).toBe(4);
  });

  it('refreshes a node list with --refresh through an aptupdate task', async () => {
    const before = pve.state.tasks.filter((t) => t.type === 'aptupdate').length;
    const report = await run<UpdatesReport>('updates.check', { target: 'pve1', refresh: true }, context().ctx);
    expect(report.targets).toHaveLength(1);
    expect(report.targets[0]).toMatchObject({ name: 'pve1', ok: true, refreshed: true });
    expect(pve.state.tasks.filter((t) => t.type === 'aptupdate').length).toBe(before + 1);
  });

  it('reports a refresh answered without a task id as an unexpected answer from pve, and still checks the other targets', async () => {
    const sim = pve as unknown as SimServer;
    sim.faults.only = { method: 'POST', path: /\/apt\/update$/ };
    sim.faults.answerNext = { count: 1, status: 200, body: '{"data":null}' };
    try {
      const { result: report, failure } = await runSettled<UpdatesReport>('updates.check', { refresh: true }, context().ctx);
      expect(failure).toMatchObject({ exitCode: 1 });
      const failed = report.targets.filter((t) => !t.ok);
      expect(failed).toHaveLength(1);
      expect(failed[0]?.error).toMatchObject({ exitCode: 1, message: 'unexpected answer from pve: expected a task id (UPID), got null' });
      expect(report.targets.filter((t) => t.kind === 'ssh').every((t) => t.ok)).toBe(true);
    } finally {
      sim.faults.answerNext = undefined;
      sim.faults.only = undefined;
    }
  });

  it('reports a node refused for lack of Sys.Modify with the fix, and still checks the SSH targets', async () => {
    const file = join(lab.env.HOMELAB_CONFIG_HOME, 'pve', 'credentials');
    writeFileSync(file, `PVE_TOKEN_ID=${pve.tokens.readonly.id}\nPVE_TOKEN_SECRET=${pve.tokens.readonly.secret}\n`, { mode: 0o600 });
    try {
      const { result: report, failure } = await runSettled<UpdatesReport>('updates.check', {}, context().ctx);
      expect(failure).toMatchObject({ exitCode: 5, message: 'updates check: 2 of 6 targets failed (pve1, pve2)' });
      const node = report.targets.find((t) => t.name === 'pve1');
      expect(node).toMatchObject({ ok: false, error: { exitCode: 5 } });
      expect(node?.error?.message).toMatch(/Sys\.Modify/);
      expect(node?.error?.hint).toMatch(/pveum acl modify \/nodes\/pve1/);
      expect(report.targets.filter((t) => t.kind === 'ssh').every((t) => t.ok)).toBe(true);
    } finally {
      writeFileSync(file, `PVE_TOKEN_ID=${pve.tokens.cli.id}\nPVE_TOKEN_SECRET=${pve.tokens.cli.secret}\n`, { mode: 0o600 });
    }
  });

  it('applies updates after a PVE snapshot, streaming the output', async () => {
    const { ctx, notes } = context();
    const before = pve.state.guests.get(107)?.snapshots.length ?? 0;
    const result = await run<ApplyResult>('updates.apply', { target: 'forgejo', snapshot: true }, ctx);
    expect(result).toMatchObject({ target: 'forgejo', manager: 'apt', exitCode: 0, remaining: 0, rebootRequired: true, snapshot: { vmid: 107 } });
    const snaps = pve.state.guests.get(107)?.snapshots ?? [];
    expect(snaps).toHaveLength(before + 1);
    expect(snaps.map((s) => s.name)).toContain(result.snapshot?.name);
    expect(notes).toContain('forgejo: Setting up openssl (3.5.1-1+deb13u1) ...');
    expect(notes.findIndex((n) => /snapshot/.test(n))).toBeLessThan(notes.findIndex((n) => n.startsWith('forgejo: Setting up')));
    expect(ssh.targets.get('forgejo')?.pending()).toEqual([]);
    // The snapshot is pve.snapshot's own audited run, a step of the plan the apply's row carries.
    const rows = await run<AuditRows>('audit', {}, ctx);
    const apply = rows.find((r) => r.operation === 'updates.apply');
    const snap = rows.find((r) => r.operation === 'pve.snapshot');
    expect(apply).toMatchObject({ outcome: 'ok', planStep: null, input: { target: 'forgejo', snapshot: true } });
    expect(snap).toMatchObject({ outcome: 'ok', planStep: 'snapshot', input: { vmid: 107, name: result.snapshot?.name } });
    expect(snap?.plan).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(apply?.plan).toBe(snap?.plan);
  });

  it("takes the snapshot as its own step of the plan when the apply is itself a plan's step", async () => {
    const { ctx } = context();
    const plan = { id: newPlanId(), step: 'upgrade-dockge' };
    const result = await run<ApplyResult>('updates.apply', { target: 'dockge', snapshot: true }, deriveContext(ctx, { plan }));
    const rows = await run<AuditRows>('audit', { plan: plan.id }, ctx);
    const apply = rows.find((r) => r.operation === 'updates.apply');
    const snap = rows.find((r) => r.operation === 'pve.snapshot');
    expect(apply).toMatchObject({ outcome: 'ok', plan: plan.id, planStep: 'upgrade-dockge' });
    expect(snap).toMatchObject({ outcome: 'ok', plan: plan.id, planStep: 'upgrade-dockge:snapshot', input: { name: result.snapshot?.name } });
  });

  it('refuses --snapshot for a target without vmid, before touching anything', async () => {
    const config = loadConfig(lab.env);
    const dns = config.ssh.targets.find((t) => t.name === 'dns');
    if (!dns) throw new Error('no dns target');
    delete dns.vmid;
    const { ctx } = testContext(config, lab.env);
    await expect(run('updates.apply', { target: 'dns', snapshot: true }, ctx)).rejects.toThrow(/--snapshot needs the PVE guest of dns: add vmid/);
    expect(ssh.targets.get('dns')?.pending()).toHaveLength(1);
  });

  it('says a node asked for with --no-nodes is left out by it', async () => {
    await expect(run('updates.check', { target: 'pve1', nodes: false }, context().ctx)).rejects.toMatchObject({
      exitCode: 2, message: 'no SSH target named pve1; PVE nodes are left out by --no-nodes', hint: expect.stringMatching(/^if pve1 is a PVE node, drop --no-nodes to check it; SSH targets: dns, /),
    });
    // A name that is no node is not said to be one.
    await expect(run('updates.check', { target: 'typo', nodes: false }, context().ctx)).rejects.toMatchObject({
      exitCode: 2, hint: expect.stringMatching(/^if typo is a PVE node, drop --no-nodes to check it;/),
    });
  });

  it('refuses an unknown target and names the known ones', async () => {
    await expect(run('updates.apply', { target: 'pve1' }, context().ctx)).rejects.toThrow(/no SSH target named pve1/);
  });

  describe('with a scripted guest', () => {
    const snapshotsOf = (vmid: number): string[] => (pve.state.guests.get(vmid)?.snapshots ?? []).map((x) => x.name);
    /** The lab's config with one target, g (guest 107), on the scripted guest; its key in known_hosts unless `unknown`. */
    async function guestConfig(options: { unknown?: boolean; vmid?: number } = {}) {
      const guest = await startScriptedGuest((req, ch) => answer(ch, aptProbe(req.command === 'sh -s' ? OPENSSL : '')));
      const dir = mkdtempSync(join(tmpdir(), 'homelab-apply-'));
      const knownHosts = join(dir, 'known_hosts');
      writeFileSync(knownHosts, options.unknown ? '' : `${guest.knownHostsLine}\n`);
      const config = loadConfig(lab.env);
      const target = { name: 'g', host: '127.0.0.1', port: guest.port, user: 'root', key: guest.userKey.privatePath, vmid: options.vmid ?? 107 };
      const withGuest: HomelabConfig = { ...config, ssh: { ...config.ssh, targets: [target], known_hosts: knownHosts } };
      return { guest, ctx: testContext(withGuest, lab.env).ctx };
    }

    it('takes no snapshot when the target cannot be reached or its check fails', async () => {
      const before = snapshotsOf(107);
      const unknown = await guestConfig({ unknown: true });
      try {
        await expect(run('updates.apply', { target: 'g', snapshot: true }, unknown.ctx)).rejects.toMatchObject({ exitCode: 4, message: expect.stringMatching(/host key of 127\.0\.0\.1:\d+ is not known/) });
      } finally {
        await unknown.guest.close();
      }
      const failing = await guestConfig();
      failing.guest.handle = (_req, ch) => answer(ch, '', 100, 'E: Could not get lock /var/lib/dpkg/lock-frontend\n');
      try {
        await expect(run('updates.apply', { target: 'g', snapshot: true }, failing.ctx)).rejects.toMatchObject({ exitCode: 1, message: 'ssh g: the update check exited with 100' });
        expect(failing.guest.commands).toEqual(['sh -s']);
      } finally {
        await failing.guest.close();
      }
      expect(snapshotsOf(107)).toEqual(before);
    });

    it('names the snapshot (to the second) and the rollback when the connection drops during the upgrade', async () => {
      const { guest, ctx } = await guestConfig();
      guest.handle = (req, ch, drop) => {
        if (req.command === 'sh -s') return answer(ch, aptProbe(OPENSSL));
        ch.write('Unpacking openssl (3.5.1-1+deb13u1) ...\n');
        setTimeout(drop, 50);
      };
      try {
        const err = await run('updates.apply', { target: 'g', snapshot: true }, ctx).catch((e: unknown) => e) as { exitCode: number; message: string; hint: string };
        const taken = snapshotsOf(107).at(-1) ?? '';
        expect(taken).toMatch(/^pre_updates_\d{14}$/);
        expect(err.exitCode).toBe(4);
        expect(err.message).toMatch(/^ssh g: the connection to 127\.0\.0\.1:\d+ dropped while the command ran; it may or may not have completed; g may be half-upgraded$/);
        expect(err.hint).toBe(`snapshot ${taken} of guest 107 holds the state from before: homelab pve rollback 107 ${taken}`);
      } finally {
        await guest.close();
      }
    });

    it('upgrades on a connection opened after the snapshot: a drop while it is taken changes nothing', async () => {
      const { guest, ctx } = await guestConfig();
      guest.handle = (req, ch, drop) => {
        if (req.command !== 'sh -s') return answer(ch, 'Setting up openssl (3.5.1-1+deb13u1) ...\n');
        answer(ch, aptProbe(guest.commands.length > 1 ? '' : OPENSSL));
        setTimeout(drop, 5);
      };
      try {
        const result = await run<ApplyResult>('updates.apply', { target: 'g', snapshot: true }, ctx);
        expect(result).toMatchObject({ exitCode: 0, remaining: 0, notes: [], snapshot: { vmid: 107, name: snapshotsOf(107).at(-1) } });
        expect(guest.commands).toHaveLength(3);
      } finally {
        await guest.close();
      }
    });

    it('says nothing was upgraded, naming the snapshot, when the target cannot be reached after the snapshot (exit 4)', async () => {
      const { guest, ctx } = await guestConfig();
      // The guest answers its check, then goes away: the connection for the upgrade is refused.
      guest.handle = (_req, ch) => { answer(ch, aptProbe(OPENSSL)); void guest.close(); };
      try {
        const err = await run('updates.apply', { target: 'g', snapshot: true }, ctx).catch((e: unknown) => e) as { exitCode: number; message: string; hint: string };
        const taken = snapshotsOf(107).at(-1) ?? '';
        expect(taken).toMatch(/^pre_updates_\d{14}$/);
        expect(err.exitCode).toBe(4);
        expect(err.message).toMatch(/^ssh g: .*; nothing was upgraded on g$/);
        expect(err.hint).toMatch(new RegExp(`snapshot ${taken} of guest 107 was taken first and is left as it is$`));
        expect(guest.commands).toEqual(['sh -s']);
      } finally {
        await guest.close();
      }
    });

    it('says an upgrade whose check after it was cancelled was upgraded, naming the snapshot', async () => {
      const { guest, ctx } = await guestConfig();
      const controller = new AbortController();
      guest.handle = (req, ch) => {
        if (req.command !== 'sh -s') return answer(ch, 'Setting up openssl (3.5.1-1+deb13u1) ...\n');
        if (guest.commands.length === 1) return answer(ch, aptProbe(OPENSSL));
        controller.abort(); // the check after the upgrade never answers: Ctrl-C
      };
      try {
        const err = await run('updates.apply', { target: 'g', snapshot: true }, deriveContext(ctx, { signal: controller.signal })).catch((e: unknown) => e) as { exitCode: number; message: string; hint: string };
        const taken = snapshotsOf(107).at(-1) ?? '';
        expect(err).toMatchObject({ exitCode: 1, message: 'g: upgraded with apt; the check after it was cancelled' });
        expect(err.hint).toBe(`homelab updates check --target g shows what is still pending; snapshot ${taken} of guest 107 holds the state from before: homelab pve rollback 107 ${taken}`);
        expect(guest.commands).toHaveLength(3);
      } finally {
        await guest.close();
      }
    });

    it('refuses in its preview, before anything is asked, what it can tell without SSH; names the target and the guest', async () => {
      const op = getRegistry().get('updates.apply');
      const { guest, ctx } = await guestConfig({ vmid: 9999 });
      try {
        await expect(op?.preview?.(ctx, { target: 'nosuch', snapshot: false })).rejects.toMatchObject({ exitCode: 2, message: 'no SSH target named nosuch' });
        await expect(op?.preview?.(ctx, { target: 'g', snapshot: true })).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/^ssh\.targets entry g: vmid 9999: no guest with vmid 9999/) });
        const good = await guestConfig();
        await expect(op?.preview?.(good.ctx, { target: 'g', snapshot: true })).resolves.toMatch(new RegExp(`^Upgrade every package on g \\(root@127\\.0\\.0\\.1:${good.guest.port}\\) after a PVE snapshot of \\S+ 107 \\(.+\\) on pve\\d$`));
        await expect(op?.preview?.(good.ctx, { target: 'g', snapshot: false })).resolves.toBe(`Upgrade every package on g (root@127.0.0.1:${good.guest.port})`);
        await good.guest.close();
        expect([...guest.commands, ...good.guest.commands]).toEqual([]);
      } finally {
        await guest.close();
      }
    });

    it('refuses a vmid PVE does not have as a config error naming the target (exit 3), nothing upgraded', async () => {
      const { guest, ctx } = await guestConfig({ vmid: 9999 });
      try {
        const err = await run('updates.apply', { target: 'g', snapshot: true }, ctx).catch((e: unknown) => e) as { exitCode: number; message: string; hint: string };
        expect(err.exitCode).toBe(3);
        expect(err.message).toMatch(/^ssh\.targets entry g: vmid 9999: no guest with vmid 9999/);
        expect(err.hint).toMatch(/fix vmid: of g under ssh\.targets in .*config\.yaml/);
        expect(guest.commands).toEqual(['sh -s']);
      } finally {
        await guest.close();
      }
    });
  });
});
