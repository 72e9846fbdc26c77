/**
 * `pve clone` with cloud-init settings and `--start` applies them after the clone's task:
 * a run stopped before then (SIGTERM or Ctrl-C while waiting for the task, a refused config
 * change once the clone is made) says what was not applied and how to apply it, and sends
 * nothing after it stopped. So does `pve create ct --start` stopped before its start (the
 * creation's wait cut off, or its request left unanswered). The built binary against the
 * lab's PVE simulator over real sockets.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli, runCliSignalled, type CliResult } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { taskRunningFromNow, withSlowTasks } from './slow-tasks.js';

const lab = useLab({ services: ['pve'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;

/** A .pub file holding a fresh OpenSSH ed25519 public key line. */
function pubKeyFile(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const file = join(mkdtempSync(join(tmpdir(), 'homelab-clone-not-done-')), 'id_ed25519.pub');
  writeFileSync(file, `ssh-ed25519 ${Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]).toString('base64')} admin@hub\n`);
  return file;
}

/** Runs the CLI with the simulator's tasks slow and sends it `signal` once a task of `type` it started runs; resolves with what it printed. */
const stoppedInTask = (args: string[], signal: NodeJS.Signals, type: string): Promise<CliResult> =>
  withSlowTasks(pve(), () => runCliSignalled(args, env(), signal, taskRunningFromNow(pve(), type)));

/** Requests to guest `vmid` that change its config or start it. */
const configOrStart = (vmid: number, from: number) => pve().requests.slice(from)
  .filter((r) => (r.method === 'PUT' && r.path.endsWith(`/qemu/${vmid}/config`)) || (r.method === 'POST' && r.path.endsWith(`/qemu/${vmid}/status/start`)));

describe('pve clone stopped before its cloud-init and --start', () => {
  it.each([['SIGTERM'], ['SIGINT']] as const)('%s while the clone task runs: names the cloud-init and the start not applied, and how to apply them (exit 1)', async (signal) => {
    const newid = signal === 'SIGTERM' ? 331 : 332;
    const from = pve().requests.length;
    const r = await stoppedInTask(['pve', 'clone', '9000', String(newid), '--name', `c${newid}`, '--ip', '10.5.0.33/24', '--gw', '10.5.0.254', '--ssh-key', pubKeyFile(), '--start'], signal, 'qmclone');
    expect(r.code, r.stderr).toBe(1);
    const [line, hint] = r.stderr.trim().split('\n');
    expect(line).toMatch(new RegExp(`^homelab: interrupted; clone of .+ to ${newid} is still running on pve: task \\S+; not applied to ${newid}: cloud-init \\(ip=10\\.5\\.0\\.33/24,gw=10\\.5\\.0\\.254, 1 SSH key\\) and --start$`));
    expect(hint?.trim()).toBe('follow it with homelab pve tasks (or in the Proxmox VE web UI, under Tasks); stopping the wait did not stop the task; '
      + `once the clone is done, set its cloud-init with qm set ${newid} --ipconfig0 ip=10.5.0.33/24,gw=10.5.0.254 --sshkeys <your .pub file> on pve1 `
      + `(or in the Proxmox VE web UI: ${newid} → Cloud-Init), then start it: homelab pve start ${newid}`);
    expect(configOrStart(newid, from)).toEqual([]);
  });

  it('the clone made, its cloud-init refused: says it was cloned, the cloud-init may not be set and it was not started', async () => {
    const newid = 333;
    const from = pve().requests.length;
    pve().faults.only = { method: 'PUT', path: new RegExp(`/qemu/${newid}/config$`) };
    pve().faults.failNext = { count: 1, status: 400 };
    let r: CliResult;
    try {
      r = await runCli(['pve', 'clone', '9000', String(newid), '--user', 'debian', '--start'], env());
    } finally {
      pve().faults.only = undefined;
      pve().faults.failNext = undefined;
    }
    expect(r.code, r.stderr).toBe(1);
    const [line, hint] = r.stderr.trim().split('\n');
    expect(line).toMatch(new RegExp(`; ${newid} was cloned, its cloud-init may not be set \\(user debian\\) and it was not started$`));
    expect(hint?.trim()).toContain(`set its cloud-init with qm set ${newid} --ciuser debian on pve1 (or in the Proxmox VE web UI: ${newid} → Cloud-Init), then start it: homelab pve start ${newid}`);
    expect(configOrStart(newid, from).map((q) => q.method)).toEqual(['PUT']);
  });
});

const TEMPLATE = 'local:vztmpl/alpine-3.22-default_20250617_amd64.tar.xz';

/** Requests that start container `vmid`. */
const startsOf = (vmid: number, from: number) => pve().requests.slice(from).filter((r) => r.method === 'POST' && r.path.endsWith(`/lxc/${vmid}/status/start`));

describe('pve create ct --start stopped before its start', () => {
  it.each([['SIGTERM'], ['SIGINT']] as const)('%s while the creation task runs: names the start not applied, and how to do it (exit 1)', async (signal) => {
    const vmid = signal === 'SIGTERM' ? 341 : 342;
    const from = pve().requests.length;
    const r = await stoppedInTask(['pve', 'create', 'ct', String(vmid), '--template', TEMPLATE, '--hostname', `t${vmid}`, '--node', 'pve1', '--start'], signal, 'vzcreate');
    expect(r.code, r.stderr).toBe(1);
    const [line, hint] = r.stderr.trim().split('\n');
    expect(line).toMatch(new RegExp(`^homelab: interrupted; creation of CT ${vmid} \\(t${vmid}\\) on pve1 is still running on pve: task \\S+; not applied to ${vmid}: --start$`));
    expect(hint?.trim()).toBe('follow it with homelab pve tasks (or in the Proxmox VE web UI, under Tasks); stopping the wait did not stop the task; '
      + `once the container is created, start it: homelab pve start ${vmid}`);
    expect(startsOf(vmid, from)).toEqual([]);
  });

  it('its creation request left unanswered: names the start not applied (exit 4)', async () => {
    const vmid = 343;
    const from = pve().requests.length;
    pve().faults.only = { method: 'POST', path: /\/nodes\/pve1\/lxc$/ };
    pve().faults.resetNext = 1;
    let r: CliResult;
    try {
      r = await runCli(['pve', 'create', 'ct', String(vmid), '--template', TEMPLATE, '--hostname', `t${vmid}`, '--node', 'pve1', '--start'], env());
    } finally {
      pve().faults.only = undefined;
      pve().faults.resetNext = undefined;
    }
    expect(r.code, r.stderr).toBe(4);
    const [line, hint] = r.stderr.trim().split('\n');
    expect(line).toMatch(new RegExp(`it may have been applied; check before retrying; not applied to ${vmid}: --start$`));
    expect(hint?.trim()).toContain(`once the container is created, start it: homelab pve start ${vmid}`);
    expect(startsOf(vmid, from)).toEqual([]);
  });

  it('without --start, an interrupted creation names nothing more', async () => {
    const vmid = 344;
    const r = await stoppedInTask(['pve', 'create', 'ct', String(vmid), '--template', TEMPLATE, '--hostname', `t${vmid}`, '--node', 'pve1'], 'SIGTERM', 'vzcreate');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('not applied');
    expect(r.stderr).not.toContain('once the container is created');
  });
});
