/**
 * The demo and `homelab lab` run in the lab they start, whatever lab the shell names: with
 * HOMELAB_CONTEXT=office set (a lab the lab's config does not define), the line `homelab lab`
 * prints, evaluated in such a shell (sh, bash, zsh and fish alike: one `export`, which sets
 * HOMELAB_CONTEXT empty, read as unset), points homelab at the lab; `--json` lists it under
 * unset too. (test/lab/demo.test.ts runs the demo itself with HOMELAB_CONTEXT=office.) A step
 * that ends with another exit code than the one it shows on purpose fails the demo (exit 1,
 * naming the step).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../../src/lab/demo-run.js';
import { tour } from '../../src/lab/demo-tour.js';
import { startLab } from '../../src/lab/lab.js';
import { attachSshTargets } from '../../src/lab/ssh-target/index.js';
import { CLI, cliEnv } from '../helpers/cli.js';
import { stopLabProcess } from '../helpers/lab-process.js';

const started: ChildProcess[] = [];
afterAll(async () => { await Promise.all(started.map((c) => stopLabProcess(c))); });

/** Starts `homelab lab ...args` with `env` and resolves with what `take` finds in its output, once it finds it. */
function labOutput(args: string[], env: Record<string, string>, take: (out: string) => string | undefined): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'lab', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`homelab lab printed nothing usable in 60 s: ${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const found = take(out);
      if (found !== undefined) { clearTimeout(timer); resolve(found); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`homelab lab exited ${code}`)); });
  });
}

describe('homelab lab in a shell that names another lab', () => {
  it('prints one export line that, evaluated in sh, bash, zsh or fish there, clears HOMELAB_CONTEXT: homelab then reaches the lab', async () => {
    const env = { ...cliEnv(), HOMELAB_CONTEXT: 'office' };
    const line = await labOutput([], env, (out) => (out.includes('homelab pve list\n') ? out.split('\n').find((l) => l.includes('HOMELAB_CONFIG_HOME='))?.trim() : undefined));
    expect(line).toMatch(/^export HOMELAB_CONTEXT= HOMELAB_CONFIG_HOME=\S+ HOMELAB_DATA_HOME=\S+$/);
    for (const shell of ['sh', 'bash', 'zsh', 'fish']) {
      const script = shell === 'fish' ? 'eval $LINE; $NODE $CLI pve list --json' : 'eval "$LINE"; "$NODE" "$CLI" pve list --json';
      const r = spawnSync(shell, ['-c', script], { env: { ...env, LINE: line, NODE: process.execPath, CLI }, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, `${shell}: ${r.stderr}`).toBe(0);
      expect(r.stderr, shell).not.toContain('unknown context');
      expect((JSON.parse(r.stdout) as unknown[]).length, shell).toBeGreaterThan(3);
    }
  }, 120_000);

  it('--json lists HOMELAB_CONTEXT under unset', async () => {
    const first = await labOutput(['--json'], { ...cliEnv(), HOMELAB_CONTEXT: 'office' }, (out) => (out.includes('\n') ? out.split('\n')[0] : undefined));
    const info = JSON.parse(first) as { env: Record<string, string>; unset: string[] };
    expect(Object.keys(info.env).sort()).toEqual(['HOMELAB_CONFIG_HOME', 'HOMELAB_DATA_HOME']);
    expect(info.unset).toEqual(['HOMELAB_CONTEXT']);
  }, 90_000);
});

describe('the demo\'s exit code', () => {
  const main = (failing?: string) => async (args: string[]): Promise<number> => {
    if (args.join(' ') === failing) return 4;
    return tour.find((s) => s.args.join(' ') === args.join(' '))?.exitCode ?? 0;
  };
  const deps = (failing?: string) => ({ startLab, attachSshTargets, main: main(failing), version: 'test', cli: 'homelab' });

  it('is 0 when every step ends as it shows (check finding trouble: 1, bad input: 2)', async () => {
    expect(tour.map((s) => s.exitCode ?? 0)).toContain(2);
    await expect(runDemo(deps())).resolves.toBeUndefined();
  }, 60_000);

  it('fails (exit 1) naming the first step that ended otherwise', async () => {
    await expect(runDemo(deps('dns records'))).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('1 of ') as unknown as string,
    });
    await expect(runDemo(deps('dns records'))).rejects.toThrow('homelab dns records (exit code 4)');
  }, 60_000);
});
