/**
 * Gaps an audit found in the PVE lifecycle, as a user meets them: the built binary against
 * the lab's PVE simulator over real sockets. Ctrl-C while waiting for a task names the task
 * that keeps running; `--notes` is checked against PVE's limit after escaping; an
 * out-of-range size says the range; `create ct --ip` warns of an address a running guest
 * has, as `clone` does; help words an on-by-default switch right.
 */
import { describe, expect, it } from 'vitest';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli, runCliJson, runCliSignalled } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { taskRunningFromNow, withSlowTasks } from './slow-tasks.js';

const lab = useLab({ services: ['pve', 'pbs'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;
const TEMPLATE = 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst';

/** Requests from `from` on that change something (`POST`, `PUT`, `DELETE`). */
const writes = (from: number) => pve().requests.slice(from).filter((r) => r.method !== 'GET');

describe('Ctrl-C while waiting for a task', () => {
  it.each([
    ['clone', ['pve', 'clone', '9000', '--name', 'ctrlc'], 'qmclone'],
    ['start', ['pve', 'start', '203'], 'qmstart'],
  ])('pve %s: says the task keeps running, with its UPID and how to follow it (exit 1)', async (_, args, type) => {
    const from = pve().state.tasks.length;
    const r = await withSlowTasks(pve(), () => runCliSignalled(args, env(), 'SIGINT', taskRunningFromNow(pve(), type)));
    const task = pve().state.tasks.slice(from).find((t) => t.type === type);
    expect(task, r.stderr).toBeDefined();
    expect(r.code).toBe(1);
    const [line, hint] = r.stderr.trim().split('\n');
    expect(line).toMatch(new RegExp(`^homelab: interrupted; \\w+ of .+ is still running on pve: task ${task!.upid.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')}$`));
    expect(hint?.trim()).toBe('follow it with homelab pve tasks (or in the Proxmox VE web UI, under Tasks); stopping the wait did not stop the task');
  });
});

describe('input checked before anything is sent', () => {
  it('backup notes: PVE\'s 1024 characters are counted after escaping \\ and line breaks (exit 2, nothing sent)', async () => {
    const from = pve().requests.length;
    const r = await runCli(['pve', 'backup', '107', '--notes', '\\'.repeat(600)], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notes must be at most 1024 characters as PVE gets them (each \\ and line break counts twice): these are 1200');
    expect(writes(from)).toEqual([]);
    // 512 backslashes are 1024 escaped: the most PVE takes.
    const done = await runCliJson<{ exitstatus: string; backup: { notes: string } }>(['pve', 'backup', '107', '--notes', '\\'.repeat(512)], env());
    expect(done.exitstatus).toBe('OK');
    expect(done.backup.notes).toBe('\\'.repeat(512));
  });

  it('a size out of range says the range (create ct, set)', async () => {
    const base = ['pve', 'create', 'ct', '--template', TEMPLATE, '--hostname', 'big'];
    const cases: [string[], string][] = [
      [[...base, '--disk', '100000'], 'disk must be an integer of GiB from 1 to 65536'],
      [[...base, '--memory', '8'], 'memory must be an integer of MiB from 16 to 4194304'],
      [['pve', 'set', '107', '--memory', '5000000'], 'memory must be an integer of MiB from 16 to 4194304'],
    ];
    for (const [args, message] of cases) {
      const from = pve().requests.length;
      const r = await runCli(args, env());
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(writes(from)).toEqual([]);
    }
  });
});

describe('create ct --ip', () => {
  it('warns when a running guest already has the address, as clone does (warnings in --json, a line in text)', async () => {
    const args = ['pve', 'create', 'ct', '--template', TEMPLATE, '--hostname', 'dup-ct', '--ip', '10.5.0.3/24', '--gw', '10.5.0.254'];
    const done = await runCliJson<{ exitstatus: string; warnings: string[] }>(args, env());
    expect(done.exitstatus).toBe('OK');
    expect(done.warnings).toEqual(['10.5.0.3 is already the address of CT 101 (proxy), which is running: two guests would answer for it']);
    const text = await runCli([...args.slice(0, 6), 'dup-ct2', ...args.slice(7)], env());
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('warning: 10.5.0.3 is already the address of CT 101 (proxy), which is running');
    const clean = await runCliJson<{ warnings: string[] }>(['pve', 'create', 'ct', '--template', TEMPLATE, '--hostname', 'free-ct', '--ip', '10.5.0.199/24'], env());
    expect(clean.warnings).toEqual([]);
  });

  it('sent nothing real PVE would reject over the whole session', () => {
    expect(pve().schemaViolations).toEqual([]);
  });
});

describe('help of an on-by-default switch', () => {
  it('shows both forms with what it does when on, never the description under --no-x alone (updates, expose, pve)', async () => {
    const help = async (args: string[]): Promise<string> => (await runCli([...args, '--help'], env())).stdout;
    expect(await help(['updates', 'check'])).toMatch(/^ {2}--\[no-\]nodes\s+include the Proxmox nodes \(on by default; --no-nodes: SSH targets only\)$/m);
    const expose = await help(['expose']);
    expect(expose).toMatch(/^ {2}--\[no-\]block-exploits\s+NPM blocks common exploits \(on by default\)$/m);
    for (const text of [await help(['updates', 'check']), expose, await help(['pve', 'start'])]) expect(text).not.toMatch(/^ {2}--no-/m);
  });
});

