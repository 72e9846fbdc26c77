/**
 * A confirmation is asked on the terminal the answer is typed on, never only into a file:
 * with stderr redirected (`homelab pve stop 100 2>>homelab.log`) the question, what it is
 * about and the echo of the answer show on the terminal (/dev/tty), and the log gets only
 * the outcome line, no question and no cursor codes. When stdin is a terminal that is not
 * the process's own (no /dev/tty: a new session), nothing is asked where no one can see it:
 * the run is refused as without a terminal ("add --yes", exit 2). Real terminals: a pty
 * from util-linux `script`, and `setsid` for a process without one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { CLI, cliEnv } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['pve', 'dns'] });
const root = mkdtempSync(join(tmpdir(), 'homelab-prompt-tty-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ESC = '\u001b';

/**
 * Runs the shell line `line` (`$HOMELAB` in it: the built CLI) on a pty, typing `typed` once `question`
 * has appeared on it; resolves to the shell's exit code and the screen (carriage returns removed).
 */
function onTerminal(line: string, question: string, typed: string): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...cliEnv(), TERM: 'dumb', ...lab.current.env };
    const command = line.replaceAll('$HOMELAB', `'${process.execPath}' '${CLI}'`);
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let sent = false;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${line} did not end; it showed:\n${screen}`)); }, 20_000);
    child.stdout.on('data', (d: Buffer) => {
      screen += d.toString();
      if (!sent && screen.includes(question)) {
        sent = true;
        child.stdin.write(typed);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, screen: screen.replace(/\r/g, '') }); });
  });
}

const posts = (): number => lab.current.sims.get('pve')?.requests.filter((r) => r.method === 'POST').length ?? 0;
const records = (name: string): number => (lab.current.sims.get('dns') as DnsSim).store.records.filter((r) => r.name === name).length;

describe('a confirmation with stderr redirected', () => {
  it('is asked on the terminal; the log gets only the outcome', async () => {
    const log = join(root, 'stop.log');
    const before = posts();
    const { code, screen } = await onTerminal(`$HOMELAB pve stop 100 2>${log}; exit $?`, '[y/N]', 'n\r');
    expect(code, screen).toBe(1);
    expect(screen).toContain('Hard-stop CT 100 (dns) on pve1? [y/N] n');
    const logged = readFileSync(log, 'utf8');
    expect(logged).toBe('homelab: not confirmed; nothing was done\n');
    expect(logged).not.toContain(ESC);
    expect(posts()).toBe(before);
  });

  it('shows what it is about on the terminal too (dns delete, a batch), and runs on yes', async () => {
    const log = join(root, 'delete.log');
    const had = records('nas.home.lan');
    const del = await onTerminal(`$HOMELAB dns delete nas 2>${log}; exit $?`, '[y/N]', 'n\r');
    expect(del.code, del.screen).toBe(1);
    expect(del.screen).toContain('Delete all records of nas');
    expect(readFileSync(log, 'utf8')).toBe('homelab: not confirmed; nothing was done\n');
    expect(records('nas.home.lan')).toBe(had);

    const file = join(root, 'lines');
    writeFileSync(file, 'dns delete nas\n');
    const batchLog = join(root, 'batch.log');
    const batch = await onTerminal(`$HOMELAB batch ${file} 2>${batchLog} >/dev/null; exit $?`, '[y/N]', 'y\r');
    expect(batch.code, batch.screen).toBe(0);
    expect(batch.screen).toContain('Destructive lines in this batch:');
    expect(batch.screen).toContain('line 1: Delete all records of nas');
    expect(readFileSync(batchLog, 'utf8')).not.toContain('[y/N]');
    expect(records('nas.home.lan')).toBe(0);
  });

  it('batch reading commands typed on the terminal says how to end them there, not in the log', async () => {
    const log = join(root, 'typed.log');
    const typed = await onTerminal(`$HOMELAB batch 2>${log} >/dev/null; exit $?`, 'end with Ctrl-D', 'dns records --type MX\r\u0004');
    expect(typed.code, typed.screen).toBe(0);
    expect(typed.screen).toContain('reading commands from the terminal; end with Ctrl-D');
    expect(readFileSync(log, 'utf8')).not.toContain('Ctrl-D');
  });

  it('is refused as without a terminal when stdin is not the process\'s own terminal (no /dev/tty)', async () => {
    const log = join(root, 'nottty.log');
    const before = posts();
    // `setsid -w`: a new session, so no controlling terminal; stdin is still the pty.
    const { code, screen } = await onTerminal(`setsid -w sh -c "$HOMELAB pve stop 100 2>${log}"; exit $?`, '[y/N]', 'n\r');
    expect(code, screen).toBe(2);
    expect(screen).not.toContain('[y/N]');
    expect(readFileSync(log, 'utf8')).toContain('this is destructive; add --yes to run it without a terminal');
    expect(posts()).toBe(before);
  });
});
