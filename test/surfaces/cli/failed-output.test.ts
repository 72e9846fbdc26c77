/**
 * Output that cannot be written: the built CLI with stdout on /dev/full (every write fails
 * with ENOSPC, as on a full disk) or a pipe its reader closes early. Node reports a failed
 * write on a later tick, so the exit code is decided once the output has settled: a lost
 * output is exit 1 with one line on stderr. `telegram inbox clear` removes what it took
 * only once it was written out; otherwise every entry stays in the inbox.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatEntry, inboxPath, readInbox, type InboxEntry } from '../../../src/services/telegram/inbox.js';
import { CLI, cliEnv, runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });

interface Run { code: number | null; firstLine: string; stderr: string }

/** Runs the CLI with stdout on /dev/full (`full`), or a pipe closed once the first line arrived (`head`). */
function runInto(target: 'full' | 'head', args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const full = target === 'full' ? openSync('/dev/full', 'w') : undefined;
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cliEnv(), ...env }, stdio: ['ignore', full ?? 'pipe', 'pipe'] });
    if (full !== undefined) closeSync(full);
    let out = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) child.stdout?.destroy();
    });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`homelab ${args.join(' ')} did not finish\n${stderr}`)); }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, firstLine: out.split('\n')[0] ?? '', stderr }); });
  });
}

const entry = (i: number): InboxEntry => ({ time: new Date(Date.UTC(2026, 4, 1, 10, 0, i % 60)).toISOString(), user: { id: 1001, name: 'Alice', username: 'alice' }, text: `message ${i}: ${'some words to make the inbox larger than a pipe holds '.repeat(2)}` });

describe('stdout that cannot be written', () => {
  it('help, a read and a networked command exit 1 with one line when stdout is full', async () => {
    const data = mkdtempSync(join(tmpdir(), 'homelab-full-'));
    for (const args of [['--help'], ['dns', '--help'], ['telegram', 'inbox'], ['dns', 'records'], ['dns', 'records', '--json']]) {
      const res = await runInto('full', args, { ...lab.current.env, HOMELAB_DATA_HOME: data });
      expect(res.stderr, args.join(' ')).toBe('homelab: cannot write the output: ENOSPC\n');
      expect(res.code, args.join(' ')).toBe(1);
    }
  });
});

describe('telegram inbox clear whose output is lost', () => {
  let data: string;
  let env: Record<string, string>;
  const total = 3000;
  beforeEach(() => {
    data = mkdtempSync(join(tmpdir(), 'homelab-clear-'));
    env = { HOMELAB_DATA_HOME: data, HOMELAB_CONFIG_HOME: join(data, 'config') };
    mkdirSync(join(data, 'telegram'), { recursive: true });
    writeFileSync(inboxPath(data), Array.from({ length: total }, (_, i) => formatEntry(entry(i))).join(''), { mode: 0o600 });
  });
  const texts = async (): Promise<string[]> => (await readInbox(data)).map((e) => e.text);
  const leftovers = (): string[] => readdirSync(join(data, 'telegram')).filter((n) => n !== 'inbox');
  /** The audit rows of the clears run, oldest first. */
  const clears = async (): Promise<{ outcome: string; error: string | null }[]> =>
    (await runCliJson<{ operation: string; outcome: string; error: string | null }[]>(['audit'], env)).filter((r) => r.operation === 'telegram.inbox.clear');

  it('keeps every entry when stdout is full, and says the clear failed', async () => {
    const before = await texts();
    for (const args of [['telegram', 'inbox', 'clear'], ['telegram', 'inbox', 'clear', '--json']]) {
      const res = await runInto('full', args, env);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain('homelab: cannot write the output: ENOSPC\n');
      expect(res.stderr).toContain('the inbox was not cleared');
      expect(await texts()).toEqual(before);
      expect(leftovers()).toEqual([]);
    }
    // Its audit row says it failed, as its exit code does (the row is finished once the entries went back).
    const rows = await clears();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ outcome: 'error', error: 'the inbox was not cleared: its entries did not all reach the output' });
  });

  it('keeps every entry when the reader closes the pipe after the first line (| head -1)', async () => {
    const before = await texts();
    const res = await runInto('head', ['telegram', 'inbox', 'clear'], env);
    expect(res.firstLine).toContain('@alice: message 0:');
    expect(res.stderr).toMatch(/^homelab: the inbox was not cleared/);
    expect(res.stderr).not.toMatch(/EPIPE|Unhandled|^\s+at /m);
    expect(res.code).toBe(1);
    expect(await texts()).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('removes the entries once they were written out', async () => {
    const res = await runCli(['telegram', 'inbox', 'clear'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`cleared ${total} entries`);
    expect(await texts()).toEqual([]);
    expect(leftovers()).toEqual([]);
    expect(await clears()).toEqual([expect.objectContaining({ outcome: 'ok', error: null })]);
  });
});
