/**
 * The inbox in a data folder this process may not write (a read-only mount, or a folder closed
 * to the user) is still read: no lock can be made there, so `readInbox` reads without it. The
 * lock tells its failure as a FileAccessError naming `<inbox>.lock`, and keeps the system code
 * (`EROFS`, `EACCES`) that the inbox's fallback needs. Every reader is checked: `readInbox`, the
 * built CLI's `telegram inbox`, and the MCP tool `inbox_list`. A write there still fails, as one
 * line naming the lock.
 *
 * As root, the folder is a read-only bind mount (root passes any mode); as another user, a
 * folder of mode 0555.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, FileAccessError } from '../../../src/core/errors.js';
import { appendInbox, inboxPath, readInbox, type InboxEntry } from '../../../src/services/telegram/inbox.js';
import { callInboxTool } from '../../../src/surfaces/mcp/inbox-tools.js';
import { runCli } from '../../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'inbox-read-only-'));
const source = join(work, 'source');
mkdirSync(join(source, 'telegram'), { recursive: true, mode: 0o700 });
writeFileSync(inboxPath(source), '[2026-12-05T10:00:00.000Z] Alice (@alice, 42): hello there\n', { mode: 0o600 });

const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync('umount', [m]);
  chmodSync(join(source, 'telegram'), 0o700);
  rmSync(work, { recursive: true, force: true });
});

/** The data folder the process may not write, and the code its lock fails with; undefined where neither way works. */
function readOnlyData(): { data: string; code: string } | undefined {
  if (process.getuid?.() !== 0) {
    chmodSync(join(source, 'telegram'), 0o555);
    return { data: source, code: 'EACCES' };
  }
  const data = join(work, 'mounted');
  mkdirSync(data);
  try {
    execFileSync('mount', ['--bind', source, data], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  mounts.push(data);
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', data], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return { data, code: 'EROFS' };
}

const ro = readOnlyData();
const data = ro?.data ?? '';

describe.runIf(ro !== undefined)('the inbox in a data folder this process may not write', () => {
  it('is read without the lock, and nothing is left there', async () => {
    const entries = await readInbox(data);
    expect(entries.map((e) => [e.time, e.user.name, e.text])).toEqual([['2026-12-05T10:00:00.000Z', 'Alice', 'hello there']]);
    expect(readdirSync(join(data, 'telegram'))).toEqual(['inbox']);
  });

  it('is listed by the built CLI: telegram inbox, exit 0', async () => {
    const r = await runCli(['telegram', 'inbox'], { HOMELAB_DATA_HOME: data, HOMELAB_CONFIG_HOME: join(work, 'config') });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('2026-12-05 10:00:00  @alice: hello there\n');
  });

  it('is listed by the MCP tool inbox_list', async () => {
    const result = await callInboxTool('inbox_list', {}, data);
    expect(result?.isError).toBeFalsy();
    const entries = (result?.structuredContent as { entries: InboxEntry[] }).entries;
    expect(entries.map((e) => e.text)).toEqual(['hello there']);
  });

  it('takes no entry there: one line naming the lock, its system code kept', async () => {
    const err = await appendInbox(data, { time: '2026-12-05T10:01:00.000Z', user: { id: 42, name: 'Alice' }, text: 'more' }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FileAccessError);
    const file = err as FileAccessError;
    expect([file.exitCode, file.systemCode]).toEqual([ExitCode.config, ro?.code]);
    expect(file.message).toMatch(new RegExp(`^cannot write ${inboxPath(data).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.lock: `));
    expect(readdirSync(join(data, 'telegram'))).toEqual(['inbox']);
  });
});
