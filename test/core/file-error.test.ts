/**
 * A file system error of Node that reaches a surface (EACCES, EISDIR, ENOTDIR, EEXIST, ENOSPC…
 * with a path) is one line naming the path and why, with the fix, exit 3 (core/file-error,
 * core/errors' toHomelabError): on the CLI, in the bot's reply (not "an unexpected error")
 * and in an MCP tool's answer. Real errors of the file system, made as any user can.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, FileAccessError, fileAccessError, toHomelabError } from '../../src/core/errors.js';
import { getRegistry } from '../../src/services/index.js';
import { reportError } from '../../src/surfaces/cli/report-error.js';
import { startMcpHttp } from '../../src/surfaces/mcp/http.js';
import { errorHtml } from '../../src/surfaces/telegram/errors.js';
import { connect, textOf, TOKEN } from '../surfaces/mcp/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-file-error-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'secret-ish content that is never shown\n');

/** What `act` threw. */
function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (err) {
    return err;
  }
  throw new Error('it did not throw');
}

describe('file system errors in words', () => {
  it('names the path, the reason and the fix, exit 3, from what the system call did', () => {
    const under = toHomelabError(thrown(() => mkdirSync(join(aFile, 'npm'), { recursive: true })));
    expect(under).toBeInstanceOf(FileAccessError);
    expect([under.exitCode, under.message]).toEqual([ExitCode.config, `cannot write ${join(aFile, 'npm')}: a part of its path is not a directory`]);
    expect(under.hint).toBe(`check what is at ${join(aFile, 'npm')} and the folders above it (ls -ld), and move what is in the way`);
    expect(toHomelabError(thrown(() => mkdirSync(aFile))).message).toBe(`cannot write ${aFile}: is not a folder`);
    expect(toHomelabError(thrown(() => writeFileSync(dir, 'x'))).message).toBe(`cannot open ${dir}: is a directory`);
    // rmSync says Node's own ERR_FS_EISDIR for a directory: the same words and fix as the system's EISDIR.
    const rm = toHomelabError(thrown(() => rmSync(dir, { force: true })));
    expect([rm.exitCode, rm.message, rm.hint]).toEqual([ExitCode.config, `cannot write ${dir}: is a directory`, `check what is at ${dir} and the folders above it (ls -ld), and move what is in the way`]);
    expect(toHomelabError(thrown(() => readFileSync(join(aFile, 'x')))).message).toBe(`cannot open ${join(aFile, 'x')}: a part of its path is not a directory`);
    for (const e of [under, toHomelabError(thrown(() => mkdirSync(aFile)))]) expect(`${e.message} ${e.hint ?? ''}`).not.toContain('secret-ish');
  });

  it('a reader names the path an error lacks (reading a directory), and says what it did', () => {
    const bare = thrown(() => readFileSync(dir, 'utf8'));
    // Node gives no path here: left as it is centrally (exit 1), named by the reader that knows it.
    expect((bare as NodeJS.ErrnoException).path).toBeUndefined();
    expect(toHomelabError(bare).exitCode).toBe(ExitCode.failed);
    const named = toHomelabError(fileAccessError(bare, dir, 'read'));
    expect([named.exitCode, named.message]).toEqual([ExitCode.config, `cannot read ${dir}: is a directory`]);
    // A full disk (Linux's /dev/full answers every write so): the write has no path either.
    const full = thrown(() => writeFileSync('/dev/full', 'x'));
    const named2 = toHomelabError(fileAccessError(full, '/dev/full', 'write'));
    expect([named2.exitCode, named2.message, named2.hint]).toEqual([ExitCode.config, 'cannot write /dev/full: no space left on the device', 'free some space where /dev/full is, then run the command again']);
    // Not a file error (a refused connection has an address, no path): unchanged.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', syscall: 'connect', address: '127.0.0.1' });
    expect(fileAccessError(refused, '/x')).toBe(refused);
    expect(toHomelabError(refused).exitCode).toBe(ExitCode.failed);
  });

  it('the CLI reports it as one line and its fix, exit 3', () => {
    let out = '';
    const stderr = { write: (s: string) => { out += s; return true; } } as unknown as NodeJS.WritableStream;
    const code = reportError(thrown(() => mkdirSync(join(aFile, 'telegram'), { recursive: true })), stderr, {}, (t) => t);
    expect(code).toBe(3);
    expect(out).toBe(`homelab: cannot write ${join(aFile, 'telegram')}: a part of its path is not a directory\n  check what is at ${join(aFile, 'telegram')} and the folders above it (ls -ld), and move what is in the way\n`);
  });

  it('the bot replies with the path and the fix, not as an unexpected error', () => {
    const html = errorHtml(thrown(() => mkdirSync(join(aFile, 'telegram'), { recursive: true })));
    expect(html).toContain(`⚠️ cannot write ${join(aFile, 'telegram')}: a part of its path is not a directory`);
    expect(html).toContain('<i>check what is at');
    expect(html).not.toContain('unexpected error');
    expect(html).not.toContain('ENOTDIR');
  });

  it('an MCP tool answers with the path (a data folder that is a file)', async () => {
    const server = await startMcpHttp({ registry: getRegistry(), allow: 'read', env: { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: aFile }, port: 0, token: TOKEN });
    let client: Client | undefined;
    try {
      client = await connect(server);
      const result = await client.callTool({ name: 'inbox_list', arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(new RegExp(`^cannot (open|read) ${aFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/telegram(/\\S+)?: a part of its path is not a directory$`));
    } finally {
      await client?.close();
      await server.close();
    }
  });
});
