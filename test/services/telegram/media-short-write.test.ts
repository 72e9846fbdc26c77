/**
 * A photo or file sent to the bot on a disk that takes only part of it (nearly full, or past the
 * file size limit) is never saved cut short and reported whole: each chunk is written whole
 * (core/write-all's `writeAllTo`), the write that cannot go on fails the save, the temporary file
 * is removed, and the bot replies `Not saved` with one line naming the folder and the fix. No
 * inbox entry points at a cut file.
 *
 * The short writes are real ones of the kernel, made as any user can: the built CLI's bot runs
 * under a file size limit (`ulimit -f`), so the write that crosses it is cut short and the next
 * one fails with EFBIG. As root, a real nearly full disk (a small tmpfs) is tried as well, when
 * mounting works. The loop itself is checked with a write step that writes a few bytes at a
 * time through the real system call.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, FileAccessError } from '../../../src/core/errors.js';
import { writeAllTo } from '../../../src/core/write-all.js';
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import { saveMedia } from '../../../src/services/telegram/media.js';
import { startTelegramSim, type TelegramSim } from '../../../src/services/telegram/sim/index.js';
import { writeBotToken } from '../../helpers/bot-token.js';
import { CLI } from '../../helpers/cli.js';
import { fillLeaving, useScratch } from '../../helpers/small-disk.js';
import { OWNER, until } from '../../surfaces/telegram/harness.js';

const { work, smallDisk } = useScratch('media-short-write-');

describe('writeAllTo (core/write-all)', () => {
  it('writes the rest after each short write, through the real system call', async () => {
    const file = join(work, 'loop');
    const data = Buffer.alloc(10_000, 7);
    const handle = await open(file, 'w');
    const counts: number[] = [];
    try {
      // At most 1000 bytes a call, as a disk with little room left would take them.
      await writeAllTo(handle, data, async (buffer, offset, length) => {
        const { bytesWritten } = await handle.write(buffer, offset, Math.min(length, 1000));
        counts.push(bytesWritten);
        return bytesWritten;
      });
    } finally {
      await handle.close();
    }
    expect(readFileSync(file)).toEqual(data);
    expect(counts).toEqual(Array.from({ length: 10 }, () => 1000));
  });

  it('a write of nothing is no space left', async () => {
    const handle = await open(join(work, 'none'), 'w');
    try {
      await expect(writeAllTo(handle, Buffer.from('more'), async () => 0)).rejects.toMatchObject({ code: 'ENOSPC', syscall: 'write' });
    } finally {
      await handle.close();
    }
  });
});

/** The file size limit the bot runs under: 8 blocks of `ulimit -f` (sh counts 512 bytes), 4 KiB. */
const LIMIT_BLOCKS = 8;

describe('the bot under a file size limit (any user)', () => {
  let lab: RunningLab;
  let sim: TelegramSim;
  beforeAll(async () => {
    [lab, sim] = await Promise.all([startLab({ services: [] }), startTelegramSim()]);
    lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] } });
    writeBotToken(lab.env.HOMELAB_CONFIG_HOME, sim.token);
    sim.knownChats.add(OWNER);
  });
  afterAll(async () => { await Promise.all([sim?.close(), lab?.close()]); });

  it('does not save a file the limit cuts short: it says so, and keeps nothing', async () => {
    const child = spawn('sh', ['-c', `ulimit -f ${LIMIT_BLOCKS} && exec "$0" "$@"`, process.execPath, CLI, 'bot'], {
      env: { PATH: process.env.PATH ?? '', HOME: lab.dir, ...lab.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const tg = join(lab.env.HOMELAB_DATA_HOME, 'telegram');
    try {
      await until(() => stdout.includes('"bot started"'), `the bot to start (stderr: ${stderr})`, 20_000);
      const owner = sim.user({ userId: OWNER });
      const before = owner.messages().length;
      // One 20 KB chunk as the download gives it, five times the limit.
      await owner.sendDocument(Buffer.alloc(20_000, 7), 'report.pdf', { caption: 'the report' });
      const reply = await owner.waitForMessage((m) => m.plain.startsWith('📎 Saved') || m.plain.startsWith('Not saved'), 'the answer to the file', before);
      const folder = join(tg, 'files');
      expect(reply.plain).toBe(`Not saved.\n⚠️ cannot write ${folder}: file too large for the file size limit\nraise the file size limit (ulimit -f) so ${folder} can be written whole, then run the command again`);
      expect(readdirSync(folder)).toEqual([]);
      const inbox = join(tg, 'inbox');
      expect(existsSync(inbox) ? readFileSync(inbox, 'utf8') : '').not.toContain('the report');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('a nearly full disk (root, where a tmpfs can be mounted)', () => {
  const disk = smallDisk();
  it.runIf(disk !== undefined)('a file larger than the room left is not saved, and nothing is kept', async () => {
    const data = join(disk ?? '', 'data');
    const folder = join(data, 'telegram', 'files');
    await saveMedia(data, 'files', 'first.txt', Buffer.from('fits'), { maxBytes: 20e6 });
    fillLeaving(disk ?? '', 2);
    const before = readdirSync(folder);
    const err = await saveMedia(data, 'files', 'report.pdf', new Uint8Array(20_000).fill(7), { maxBytes: 20e6 }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(FileAccessError);
    const e = err as FileAccessError;
    expect([e.exitCode, e.message, e.hint]).toEqual([ExitCode.config, `cannot write ${folder}: no space left on the device`, `free some space where ${folder} is, then run the command again`]);
    expect(readdirSync(folder)).toEqual(before);
  });
});
