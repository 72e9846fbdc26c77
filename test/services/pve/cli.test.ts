/**
 * The pve commands as a user runs them: the built binary against the simulated cluster
 * over real sockets, checking output, --json shapes and exit codes.
 */
import { describe, expect, it } from 'vitest';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';

const lab = useLab({ services: ['pve'] });
const env = (): Record<string, string> => ({ ...lab.current.env });

describe('homelab pve (CLI)', () => {
  it('lists guests as a table and as JSON', async () => {
    const table = await runCli(['pve', 'list'], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^VMID\s+NAME\s+TYPE\s+NODE\s+STATUS/m);
    expect(table.stdout).toMatch(/201\s+media\s+qemu\s+pve2\s+stopped/);
    const guests = await runCliJson<{ vmid: number; type: string; status: string }[]>(['pve', 'list', '--type', 'lxc', '--status', 'running'], env());
    expect(guests.length).toBeGreaterThan(3);
    expect(guests.every((g) => g.type === 'lxc' && g.status === 'running')).toBe(true);
  });

  it('starts a stopped guest, waits for the task and reports OK', async () => {
    const result = await runCliJson<{ vmid: number; action: string; waited: boolean; exitstatus: string; upid: string }>(['pve', 'start', '202'], env());
    expect(result).toMatchObject({ vmid: 202, action: 'start', waited: true, exitstatus: 'OK' });
    expect(result.upid).toMatch(/^UPID:pve2:/);
    const status = await runCliJson<{ status: string }>(['pve', 'status', '202'], env());
    expect(status.status).toBe('running');
  });

  it('prints the UPID with --no-wait', async () => {
    const result = await runCliJson<{ waited: boolean; exitstatus: null; upid: string }>(['pve', 'reboot', '200', '--no-wait'], env());
    expect(result.waited).toBe(false);
    expect(result.exitstatus).toBeNull();
    expect(result.upid).toMatch(/^UPID:pve1:[0-9A-F]{8}:[0-9A-F]{8,9}:[0-9A-F]{8}:qmreboot:200:/);
  });

  it('exits 1 with the task log when the task fails', async () => {
    (lab.current.sims.get('pve') as PveSim).failNextTask(106, 'command lxc-start failed: exit code 1');
    const result = await runCli(['pve', 'reboot', '106'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('homelab: reboot of CT 106 (dockge) failed: command lxc-start failed: exit code 1');
    expect(result.stderr).toMatch(/\n {2}TASK ERROR: command lxc-start failed/);
  });

  it('exits 1 with the server message when PVE refuses in the call itself', async () => {
    const result = await runCli(['pve', 'start', '100'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^homelab: pve: .*100.*running/);
  });

  it('refuses bad input with exit 2 before anything is sent', async () => {
    const sim = lab.current.sims.get('pve');
    const before = sim?.requests.length ?? 0;
    for (const args of [['pve', 'start', '42'], ['pve', 'start', 'abc'], ['pve', 'snapshot', '200', 'bad name!'], ['pve', 'list', '--type', 'docker']]) {
      const result = await runCli(args, env());
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')[0]).toMatch(/^homelab: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect(sim?.requests.length).toBe(before);
    const vmid = await runCli(['pve', 'start', '42'], env());
    expect(vmid.stderr).toContain('vmid must be an integer from 100 to 999999999');
  });

  it('says an unknown vmid is not in the cluster (exit 2)', async () => {
    const result = await runCli(['pve', 'status', '999'], env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no guest with vmid 999 in the cluster');
  });

  it('needs --yes for destructive operations without a terminal', async () => {
    const refused = await runCli(['pve', 'stop', '200'], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes');
    const done = await runCliJson<{ exitstatus: string }>(['pve', 'stop', '200', '--yes'], env());
    expect(done.exitstatus).toBe('OK');
  });

  it('manages snapshots: take, list, roll back, delete', async () => {
    expect((await runCliJson<{ exitstatus: string }>(['pve', 'snapshot', '107', 'pre_test', '--description', 'before tests'], env())).exitstatus).toBe('OK');
    const snaps = await runCliJson<{ name: string; description: string; current: boolean }[]>(['pve', 'snapshots', '107'], env());
    expect(snaps.find((s) => s.name === 'pre_test')).toMatchObject({ description: 'before tests', current: true });
    expect(snaps.some((s) => s.name === 'current')).toBe(false);
    expect((await runCliJson<{ action: string }>(['pve', 'rollback', '107', 'pre_test', '--yes'], env())).action).toBe('rollback');
    expect((await runCliJson<{ exitstatus: string }>(['pve', 'delsnapshot', '107', 'pre_test', '--yes'], env())).exitstatus).toBe('OK');
    const after = await runCliJson<{ name: string }[]>(['pve', 'snapshots', '107'], env());
    expect(after.some((s) => s.name === 'pre_test')).toBe(false);
  });

  it('shows config, nodes, storage and tasks', async () => {
    const config = await runCliJson<{ type: string; config: Record<string, unknown> }>(['pve', 'config', '102'], env());
    expect(config.type).toBe('lxc');
    expect(config.config.hostname).toBe('mgmt');
    const nodes = await runCliJson<{ node: string; status: string; maxmem: number; loadavg: number[] }[]>(['pve', 'nodes'], env());
    expect(nodes.map((n) => n.node)).toEqual(['pve1', 'pve2']);
    expect(nodes[0]?.loadavg).toHaveLength(3);
    const storage = await runCliJson<{ storage: string; usedFraction: number }[]>(['pve', 'storage', '--node', 'pve1'], env());
    expect(storage.map((s) => s.storage)).toContain('local-lvm');
    const tasks = await runCliJson<{ ok: boolean | null }[]>(['pve', 'tasks', '--errors'], env());
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.ok === false)).toBe(true);
  });

  it('colours only when asked for a terminal, never with --no-color or NO_COLOR', async () => {
    const ansi = /\x1b\[/;
    const forced = await runCli(['pve', 'list'], { ...env(), NO_COLOR: '', FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(ansi);
    const flag = await runCli(['pve', 'list', '--no-color'], { ...env(), NO_COLOR: '', FORCE_COLOR: '1' });
    expect(flag.stdout).not.toMatch(ansi);
    expect(flag.stdout).toMatch(/201\s+media/);
    for (const off of ['--color=false', '--color=no', '--color=0']) {
      const r = await runCli(['pve', 'list', off], { ...env(), NO_COLOR: '', FORCE_COLOR: '1' });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(ansi);
    }
    const lastWins = await runCli(['pve', 'list', '--no-color', '--color=true'], { ...env(), NO_COLOR: '', FORCE_COLOR: '1' });
    expect(lastWins.stdout).toMatch(ansi);
    const plain = await runCli(['pve', 'list'], { ...env(), NO_COLOR: '' });
    expect(plain.stdout).not.toMatch(ansi);
    const none = await runCli(['pve', 'list'], { ...env(), NO_COLOR: '1', FORCE_COLOR: '1' });
    expect(none.stdout).not.toMatch(ansi);
  });

  it('generates help from the registry', async () => {
    const overview = await runCli(['--help'], env());
    expect(overview.stdout).toContain('pve        Proxmox VE');
    const group = await runCli(['pve', '--help'], env());
    expect(group.stdout).toMatch(/pve start <vmid> \[options\]\s+Start a guest/);
    const op = await runCli(['pve', 'rollback', '--help'], env());
    expect(op.stdout).toContain('Usage: homelab pve rollback <vmid> <name> [options]');
    expect(op.stdout).toContain('destructive');
    expect(op.stdout).toContain('--no-wait');
  });

  it('sent nothing over the whole CLI session that real PVE would reject for its form', () => {
    expect((lab.current.sims.get('pve') as PveSim).schemaViolations).toEqual([]);
  });

  it('says which service is not configured (exit 3)', async () => {
    const result = await runCli(['pve', 'list'], { HOMELAB_CONFIG_HOME: `${lab.current.dir}/nowhere` });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('pve is not configured');
  });
});
