/**
 * Output into a pipe whose reader has gone (`homelab batch lines.txt | head -1`): the
 * built CLI with stdout a pipe that the test closes, against the DNS simulator. No stack
 * trace and no `Unhandled 'error' event`; a batch starts no line after it learns that
 * stdout is closed, says on stderr which lines ran, and exits with the code of the lines
 * that ran (a closed stdout is not a failure of the commands that completed).
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { CLI } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
const sim = (): DnsSim => lab.current.sims.get('dns') as DnsSim;
const adds = (): number => sim().requests.filter((r) => r.path === '/api/zones/records/add').length;

interface Run { code: number | null; signal: NodeJS.Signals | null; firstLine: string; stderr: string }

/**
 * Runs the CLI with stdout a pipe that is closed after the first line arrives (`afterLines`
 * 1), or before anything is read (0), as `| head -1` and `| true` do.
 */
function runIntoClosedPipe(args: string[], input: string, afterLines: 0 | 1): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, ...lab.current.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    if (afterLines === 0) child.stdout.destroy();
    else {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) child.stdout.destroy();
      });
    }
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`homelab ${args.join(' ')} did not finish\n${stderr}`)); }, 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, firstLine: out.split('\n')[0] ?? '', stderr }); });
    child.stdin.end(input);
  });
}

function expectNoCrash(stderr: string): void {
  expect(stderr).not.toMatch(/EPIPE|Unhandled|ERR_STREAM|^\s+at /m);
}

describe('stdout closed by its reader', () => {
  it('a batch stops starting lines, says which ran, and exits 0 when those succeeded', async () => {
    // Enough lines that the reader is gone long before the last would run, even on a busy machine.
    const total = 200;
    const before = adds();
    const lines = Array.from({ length: total }, (_, i) => `dns add pipe-${i + 1} 10.20.${Math.floor(i / 200)}.${(i % 200) + 1}`).join('\n');
    const res = await runIntoClosedPipe(['batch'], `${lines}\n`, 1);
    expectNoCrash(res.stderr);
    expect(res.firstLine).toMatch(/^ok +1 +dns add pipe-1 /);
    const summary = /^batch: (\d+) ok, (\d+) not run \(stdout closed after line (\d+)\)$/m.exec(res.stderr);
    expect(summary, res.stderr).not.toBeNull();
    const [ok, notRun, last] = (summary as RegExpExecArray).slice(1).map(Number) as [number, number, number];
    expect(ok + notRun).toBe(total);
    expect(last).toBe(ok);
    expect(notRun).toBeGreaterThan(0);
    // What the summary says ran is what reached the simulator, and nothing after it.
    expect(adds() - before).toBe(ok);
    expect(res.code).toBe(0);
  });

  it('a batch whose stdout is closed before it writes runs its first line only', async () => {
    const before = adds();
    const lines = Array.from({ length: 10 }, (_, i) => `dns add early-${i + 1} 10.21.0.${i + 1}`).join('\n');
    const res = await runIntoClosedPipe(['batch'], `${lines}\n`, 0);
    expectNoCrash(res.stderr);
    expect(res.stderr).toBe('batch: 1 ok, 9 not run (stdout closed after line 1)\n');
    expect(adds() - before).toBe(1);
    expect(res.code).toBe(0);
  });

  it('a batch with --json stops the same way', async () => {
    const lines = Array.from({ length: 20 }, () => 'dns records --type A').join('\n');
    const res = await runIntoClosedPipe(['batch', '--json'], `${lines}\n`, 1);
    expectNoCrash(res.stderr);
    expect(JSON.parse(res.firstLine)).toMatchObject({ line: 1, ok: true });
    expect(res.stderr).toMatch(/^batch: \d+ ok, \d+ not run \(stdout closed after line \d+\)$/m);
    expect(res.code).toBe(0);
  });

  it('any other command exits with its own code, quietly, when its output has nowhere to go', async () => {
    for (const args of [['--version'], ['--help'], ['dns', '--help'], ['dns', 'records'], ['dns', 'records', '--json']]) {
      const res = await runIntoClosedPipe(args, '', 0);
      expectNoCrash(res.stderr);
      expect(res.stderr, args.join(' ')).toBe('');
      expect(res.code, args.join(' ')).toBe(0);
    }
  });
});
