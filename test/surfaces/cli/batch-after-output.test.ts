/**
 * A `homelab batch` line whose operation leaves work for after its output (`telegram inbox
 * clear` removes what it took only once written out) does it as a single command does: once
 * that line's result has flushed. With stdout on /dev/full (ENOSPC, as on a full disk) every
 * entry stays in the inbox, the line fails (stderr says why), the batch exits 1 and the audit
 * row says error; with an output that takes it, the inbox is emptied.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatEntry, inboxPath, readInbox, type InboxEntry } from '../../../src/services/telegram/inbox.js';
import { CLI, cliEnv, runCli, runCliJson } from '../../helpers/cli.js';

/** Runs the CLI with stdout on /dev/full. */
function runIntoFull(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const full = openSync('/dev/full', 'w');
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cliEnv(), ...env }, stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`homelab ${args.join(' ')} did not finish\n${stderr}`)); }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stderr }); });
  });
}

const entry = (i: number): InboxEntry => ({ time: new Date(Date.UTC(2026, 4, 1, 10, 0, i % 60)).toISOString(), user: { id: 1001, name: 'Alice', username: 'alice' }, text: `message ${i}` });

describe('telegram inbox clear in a batch', () => {
  let data: string;
  let env: Record<string, string>;
  let lines: string;
  beforeEach(() => {
    data = mkdtempSync(join(tmpdir(), 'homelab-batch-clear-'));
    env = { HOMELAB_DATA_HOME: data, HOMELAB_CONFIG_HOME: join(data, 'config') };
    mkdirSync(join(data, 'telegram'), { recursive: true });
    writeFileSync(inboxPath(data), Array.from({ length: 50 }, (_, i) => formatEntry(entry(i))).join(''), { mode: 0o600 });
    lines = join(data, 'lines');
    writeFileSync(lines, 'telegram inbox clear\n');
  });
  afterEach(() => rmSync(data, { recursive: true, force: true }));
  const texts = async (): Promise<string[]> => (await readInbox(data)).map((e) => e.text);
  const leftovers = (): string[] => readdirSync(join(data, 'telegram')).filter((n) => n !== 'inbox');
  /** The audit rows of the clears run, oldest first. */
  const clears = async (): Promise<{ outcome: string; error: string | null }[]> =>
    (await runCliJson<{ operation: string; outcome: string; error: string | null }[]>(['audit'], env)).filter((r) => r.operation === 'telegram.inbox.clear');

  it('keeps every entry when stdout is full: the line fails, exit 1, stderr says why, the audit row says error', async () => {
    const before = await texts();
    for (const args of [['batch', lines, '--yes'], ['batch', lines, '--yes', '--json']]) {
      const res = await runIntoFull(args, env);
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr).toContain('homelab: cannot write the output: ENOSPC\n');
      expect(res.stderr).toContain('batch: line 1: the inbox was not cleared: its entries did not all reach the output\n');
      expect(res.stderr).toContain('batch: 0 ok, 1 failed\n');
      expect(await texts()).toEqual(before);
      expect(leftovers()).toEqual([]);
    }
    const rows = await clears();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatchObject({ outcome: 'error', error: 'the inbox was not cleared: its entries did not all reach the output' });
  });

  it('empties the inbox once the line was written out', async () => {
    const res = await runCli(['batch', lines, '--yes', '--json'], env);
    expect([res.code, res.stderr]).toEqual([0, 'batch: 1 ok\n']);
    const row = JSON.parse(res.stdout) as { ok: boolean; result: { entries: unknown[] } };
    expect(row.ok).toBe(true);
    expect(row.result.entries).toHaveLength(50);
    expect(await texts()).toEqual([]);
    expect(leftovers()).toEqual([]);
    expect(await clears()).toMatchObject([{ outcome: 'ok', error: null }]);
  });

  it('shows the entries it took in text output too, like a read\'s result (a change\'s line is otherwise one line)', async () => {
    const res = await runCli(['batch', lines, '--yes'], env);
    expect(res.code).toBe(0);
    for (const i of [0, 17, 49]) expect(res.stdout).toContain(`message ${i}`);
    expect(await texts()).toEqual([]);
  });
});
