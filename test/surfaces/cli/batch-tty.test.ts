/**
 * `homelab batch <file>` on a terminal (a pseudo-terminal from util-linux `script`) lists its
 * destructive lines before it asks once. A line whose preview cannot be read now (a guest an
 * earlier line would create) is listed with what it does and why it could not be looked up,
 * instead of failing the whole batch before any line runs; declining runs nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cliEnv } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve'] });

/** Runs `homelab batch <file>` on a pseudo-terminal, answering `answer` to its question; what it showed. */
function batchOnTerminal(file: string, answer: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawn('script', ['-qec', `'${process.execPath}' '${CLI}' batch "$BATCH_FILE"`, '/dev/null'], {
      env: { ...cliEnv(), TERM: 'dumb', BATCH_FILE: file, ...lab.current.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let shown = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no end; it showed:\n${shown}`)); }, 20_000);
    const onData = (d: Buffer): void => {
      shown += d.toString();
      if (/\[y\/N\]/.test(shown) && !child.stdin.writableEnded) child.stdin.end(`${answer}\r`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', () => { clearTimeout(timer); resolve(shown); });
  });
}

describe('batch on a terminal', () => {
  it('lists a destructive line whose guest cannot be looked up now, with why, and asks (declined: nothing runs)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'homelab-batch-tty-')), 'lines');
    writeFileSync(file, 'pve stop 4242\n');
    const before = lab.current.sims.get('pve')?.requests.filter((r) => r.method === 'POST').length;
    const screen = await batchOnTerminal(file, 'n');
    expect(screen, screen).toContain('line 1: Hard-stop guest 4242 (could not be looked up now: no guest with vmid 4242 in the cluster)');
    expect(screen).toContain('not confirmed; nothing was run');
    expect(lab.current.sims.get('pve')?.requests.filter((r) => r.method === 'POST').length).toBe(before);
  });
});
