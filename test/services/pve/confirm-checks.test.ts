/**
 * What every surface's confirmation shows for `pve destroy`, `resize`, `migrate` and
 * `backup` (the operation's `preview`, read from the lab's PVE simulator over real
 * sockets): a run PVE would refuse is refused before anything is asked, in one line with
 * its fix, and nothing is sent; a run that can go shows the live facts. The CLI still runs
 * these `change` operations unasked, as every change, and the run makes the checks again.
 */
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/core/context.js';
import { HomelabError } from '../../../src/core/errors.js';
import { confirmationOf, needsConfirmation } from '../../../src/core/confirmation.js';
import { type AnyOperation, type OpContext } from '../../../src/core/operation.js';
import { pveBackup } from '../../../src/services/pve/operations-backup.js';
import { pveResize } from '../../../src/services/pve/operations-config.js';
import { pveDestroy } from '../../../src/services/pve/operations-destroy.js';
import { pveMigrate } from '../../../src/services/pve/operations-migrate.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'pbs'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;
const context = (): OpContext => createContext({ actor: { surface: 'telegram', id: 'test' }, env: env() });

const ops: Record<string, AnyOperation> = {
  destroy: pveDestroy as unknown as AnyOperation,
  resize: pveResize as unknown as AnyOperation,
  migrate: pveMigrate as unknown as AnyOperation,
  backup: pveBackup as unknown as AnyOperation,
};

/** Requests from `from` on that change something (`POST`, `PUT`, `DELETE`). */
const writes = (from: number) => pve().requests.slice(from).filter((r) => r.method !== 'GET');

/** The confirmation lines a surface would show for `pve <verb>` with `raw` input, or the error it fails with. */
async function confirmation(verb: string, raw: Record<string, unknown>): Promise<string[] | HomelabError> {
  const op = ops[verb] as AnyOperation;
  return confirmationOf(op, op.input.parse(raw) as Record<string, unknown>, context()).then((c) => c.lines, (err: unknown) => {
    if (err instanceof HomelabError) return err;
    throw err;
  });
}

describe('refused before asking: what PVE would refuse whatever the answer', () => {
  it('destroy, resize, migrate and backup: one line with the fix and its exit code; nothing sent', async () => {
    const g202 = pve().state.guests.get(202)!;
    const localLvm = pve().state.storages.find((s) => s.storage === 'local-lvm')!;
    const lvmNodes = [...localLvm.nodes];
    type Case = [string, Record<string, unknown>, number, string, string?, (() => void)?];
    const cases: Case[] = [
      ['destroy', { vmid: 106 }, 1, 'CT 106 (dockge) is running on pve2: PVE will not remove a running guest', 'add --stop to hard-stop it first'],
      ['resize', { vmid: 106, disk: 'rootfs', size: '1G' }, 2, 'rootfs of CT 106 (dockge) is 32.0 GiB; 1G would shrink it, and disks are only grown', 'give a larger size, or +N to grow by N'],
      ['resize', { vmid: 201, disk: 'scsi0', size: '+0G' }, 2, 'scsi0 of VM 201 (media) is already 64.0 GiB: +0G would not change it'],
      ['resize', { vmid: 201, disk: 'scsi0', size: '64G' }, 2, 'scsi0 of VM 201 (media) is already 64.0 GiB: 64G would not change it'],
      ['resize', { vmid: 201, disk: 'scsi3', size: '+1G' }, 2, 'VM 201 (media) has no disk scsi3', 'its disks: scsi0'],
      ['resize', { vmid: 202, disk: 'scsi0', size: '+1G' }, 1, 'VM 202 (win11) is locked (backup)', undefined, () => { g202.lock = 'backup'; }],
      ['migrate', { vmid: 106, target: 'pve1' }, 2, 'CT 106 (dockge) is running and containers cannot move live: add --restart to shut it down, move it and start it again on pve1'],
      ['migrate', { vmid: 200, target: 'pve2' }, 2, 'VM 200 (homeassistant) is running: add --online for a live migration, or shut it down first'],
      ['migrate', { vmid: 201, target: 'nosuch' }, 2, 'no node nosuch in the cluster', 'nodes: pve1, pve2'],
      ['migrate', { vmid: 201, target: 'pve2' }, 2, 'VM 201 (media) is already on pve2'],
      ['migrate', { vmid: 202, target: 'pve1' }, 1, 'VM 202 (win11) uses local devices (hostpci0) that only pve2 has, so PVE will not move it', 'homelab pve config 202', () => { g202.config.hostpci0 = '0000:01:00.0,pcie=1'; }],
      // A stopped VM: PVE's check names the nodes that lack its local disks' storage.
      ['migrate', { vmid: 202, target: 'pve1' }, 1, 'pve1 cannot take VM 202 (win11): storage local-lvm is not available there', undefined, () => { localLvm.nodes = ['pve2']; }],
      // A running VM: PVE's check names no nodes, the target's storages are read instead.
      ['migrate', { vmid: 200, target: 'pve2', online: true }, 1, 'pve2 cannot take VM 200 (homeassistant): storage local-lvm of its local disks is not available there', undefined, () => { localLvm.nodes = ['pve1']; }],
      ['backup', { vmid: 201, storage: 'nosuch' }, 2, 'no storage nosuch on pve2', 'backup storages on pve2: local, pbs'],
      ['backup', { vmid: 201, storage: 'local-lvm' }, 2, 'storage local-lvm holds no backups (content: images,rootdir)', 'backup storages on pve2: local, pbs'],
      ['backup', { vmid: 202 }, 1, 'VM 202 (win11) is locked (backup)', undefined, () => { g202.lock = 'backup'; }],
    ];
    for (const [verb, raw, code, message, hint, arrange] of cases) {
      const what = `pve ${verb} ${JSON.stringify(raw)}`;
      arrange?.();
      try {
        const from = pve().requests.length;
        const err = await confirmation(verb, raw);
        expect(err, what).toBeInstanceOf(HomelabError);
        expect((err as HomelabError).message, what).toBe(message);
        expect((err as HomelabError).exitCode, what).toBe(code);
        if (hint) expect((err as HomelabError).hint, what).toContain(hint);
        expect(writes(from), what).toEqual([]);
      } finally {
        delete g202.lock;
        delete g202.config.hostpci0;
        localLvm.nodes = [...lvmNodes];
      }
    }
  });

  it('destroy refuses a template that linked clones use before asking, on the CLI too', async () => {
    await runCliJson(['pve', 'clone', '9000', '330', '--name', 'linked1'], env());
    const from = pve().requests.length;
    const err = await confirmation('destroy', { vmid: 9000 });
    expect((err as HomelabError).message).toBe('VM 9000 (debian-13-tmpl) is a template that linked clones still use (330 (linked1)): PVE will not remove its base disk');
    const cli = await runCli(['pve', 'destroy', '9000'], env());
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('homelab: VM 9000 (debian-13-tmpl) is a template that linked clones still use (330 (linked1))');
    expect(cli.stderr).not.toContain('add --yes');
    expect(writes(from)).toEqual([]);
    await runCliJson(['pve', 'destroy', '330', '--yes'], env());
  });

  it('destroy of a running guest without --stop is refused on the CLI before it asks (exit 1, the fix named), with --stop it asks', async () => {
    const from = pve().requests.length;
    const refused = await runCli(['pve', 'destroy', '106'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('homelab: CT 106 (dockge) is running on pve2: PVE will not remove a running guest');
    expect(refused.stderr).toContain('add --stop to hard-stop it first');
    expect(refused.stderr).not.toContain('add --yes');
    const asked = await runCli(['pve', 'destroy', '106', '--stop'], env());
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain('homelab: Destroy CT 106 (dockge) on pve2: this is destructive; add --yes to run it without a terminal');
    expect(asked.stderr).toContain('it is running: it will be hard-stopped first');
    expect(writes(from)).toEqual([]);
  });
});

describe('a run that can go: the confirmation states the live facts', () => {
  it('the disk size now and after, the move and the disks it copies, the guest, node and storage of a backup; nothing sent', async () => {
    const from = pve().requests.length;
    expect(await confirmation('resize', { vmid: 106, disk: 'rootfs', size: '+4G' })).toEqual(['Grow disk rootfs of CT 106 (dockge) on pve2 from 32.0 GiB to 36.0 GiB']);
    expect(await confirmation('resize', { vmid: 201, disk: 'scsi0', size: '80G' })).toEqual(['Grow disk scsi0 of VM 201 (media) on pve2 from 64.0 GiB to 80.0 GiB']);
    expect(await confirmation('migrate', { vmid: 106, target: 'pve1', restart: true })).toEqual(['Move CT 106 (dockge) from pve2 to pve1 (restart: it is shut down, moved and started again)']);
    expect(await confirmation('migrate', { vmid: 201, target: 'pve1' })).toEqual([
      'Move VM 201 (media) from pve2 to pve1 (offline: it is stopped)',
      'local disks copied: local-lvm:vm-201-disk-0 (64.0 GiB)',
    ]);
    const live = await confirmation('migrate', { vmid: 200, target: 'pve2', online: true });
    expect((live as string[])[0]).toBe('Move VM 200 (homeassistant) from pve1 to pve2 (online: live, it keeps running)');
    expect((live as string[])[1]).toMatch(/^local disks copied: local-lvm:vm-200-disk-0 \(32\.0 GiB\)/);
    expect(await confirmation('backup', { vmid: 201 })).toEqual(['Back up VM 201 (media) on pve2 to pbs (pbs, snapshot mode)']);
    expect(await confirmation('backup', { vmid: 201, storage: 'local', mode: 'stop' })).toEqual(['Back up VM 201 (media) on pve2 to local (dir, stop mode)']);
    expect(writes(from)).toEqual([]);
  });

  it('the CLI runs resize and backup unasked, as every change; its run refuses what the preview refuses', async () => {
    for (const op of [ops.resize, ops.migrate, ops.backup] as AnyOperation[]) expect(needsConfirmation(op, {}), op.id).toBe(false);
    expect(needsConfirmation(ops.destroy as AnyOperation, {})).toBe(true);
    const grown = await runCliJson<{ from: number; to: number }>(['pve', 'resize', '201', 'scsi0', '+1G'], env());
    expect(grown.to - grown.from).toBe(1024 ** 3);
    const from = pve().requests.length;
    const shrink = await runCli(['pve', 'resize', '106', 'rootfs', '1G'], env());
    expect(shrink.code).toBe(2);
    expect(shrink.stderr).toContain('homelab: rootfs of CT 106 (dockge) is 32.0 GiB; 1G would shrink it, and disks are only grown');
    const nosuch = await runCli(['pve', 'backup', '201', '--storage', 'nosuch'], env());
    expect(nosuch.code).toBe(2);
    expect(nosuch.stderr).toContain('homelab: no storage nosuch on pve2');
    expect(writes(from)).toEqual([]);
  });

  it('sent nothing over the session that real PVE would reject for its form', () => {
    expect(pve().schemaViolations).toEqual([]);
  });
});
