/**
 * The audit log on a read-only data folder (a read-only mount, or a folder the user may
 * not write): `homelab audit` still reads it, rows still in the `-wal` file included,
 * and says so when there is no log yet. A change is never run unrecorded: when its row
 * cannot be written (the folder, or only `audit.sqlite`, read-only) it does not run, on
 * the CLI, in a batch and over MCP, with one line naming the file and the fix (exit 3).
 * The built CLI runs with the paths really read-only (see `read-only-run.ts`).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/audit/sqlite.js';
import { auditFile, type AuditEntry } from '../../src/audit/store.js';
import type { DnsSim } from '../../src/services/dns/sim/index.js';
import { CLI, cliEnv, runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { textOf } from '../surfaces/mcp/helpers.js';
import { readOnlyCommand, runReadOnly } from './read-only-run.js';

const lab = useLab({ services: ['dns'] });
const sent = (): string => JSON.stringify((lab.current.sims.get('dns') as DnsSim).requests.map((r) => [r.path, [...r.query], r.body]));
const refusal = (file: string, op: string): RegExp => new RegExp(`^homelab: .*cannot write the audit log ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, so ${op.replace('.', '\\.')} was not run`);

describe('audit log on a read-only data folder', () => {
  it('homelab audit reads the log, rows still in the -wal file included, and writes nothing', async () => {
    const env = { ...lab.current.env };
    expect((await runCli(['dns', 'add-txt', 'before-ro', 'recorded'], env)).code).toBe(0);
    // A writer that has not checkpointed yet (or was killed): its last row is only in the -wal file.
    const data = join(lab.current.dir, 'wal-data');
    mkdirSync(data, { mode: 0o700 });
    const writer = openSqlite(auditFile(env.HOMELAB_DATA_HOME), '');
    try {
      writer.pragma('wal_autocheckpoint = 0');
      writer.prepare("INSERT INTO audit (started_at, surface, actor, operation, risk, input) VALUES (?, 'telegram', '1001', 'pve.start', 'change', '{}')").run(Date.now());
      for (const suffix of ['', '-wal']) copyFileSync(`${auditFile(env.HOMELAB_DATA_HOME)}${suffix}`, `${auditFile(data)}${suffix}`);
    } finally {
      writer.close();
    }
    const roEnv = { ...env, HOMELAB_DATA_HOME: data };

    const listed = await runReadOnly([data], ['audit', '--json'], roEnv, lab.current.dir);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect((JSON.parse(listed.stdout) as AuditEntry[]).map((r) => [r.operation, r.outcome])).toEqual([['dns.add-txt', 'ok'], ['pve.start', 'running']]);
    const human = await runReadOnly([data], ['audit'], roEnv, lab.current.dir);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('dns.add-txt');
    expect(human.stdout).toContain('pve.start');
    expect(readdirSync(data).sort()).toEqual(['audit.sqlite', 'audit.sqlite-wal']);
  });

  it('does not run a change whose row cannot be written: exit 3, the file and the fix, nothing sent', async () => {
    const env = { ...lab.current.env };
    const data = env.HOMELAB_DATA_HOME;
    const file = auditFile(data);
    const changed = await runReadOnly([data], ['dns', 'add-txt', 'during-ro', 'not recorded'], env, lab.current.dir);
    expect(changed.code).toBe(3);
    const [message, hint, ...more] = changed.stderr.trim().split('\n');
    expect(message).toMatch(refusal(file, 'dns.add-txt'));
    expect(message).toContain('read-only');
    expect(hint).toMatch(/make .* writable for this user, or set HOMELAB_DATA_HOME to a writable folder/);
    expect(more).toEqual([]);

    // Only the audit file read-only (chmod 444 audit.sqlite): the same.
    const fileOnly = await runReadOnly([file], ['dns', 'add-txt', 'file-ro', 'not recorded'], env, lab.current.dir);
    expect(fileOnly.code).toBe(3);
    expect(fileOnly.stderr).toMatch(refusal(file, 'dns.add-txt'));
    expect(fileOnly.stderr).toContain(`make ${file} writable`);

    // A batch stops at that line, with the same exit status and message.
    const lines = join(lab.current.dir, 'lines.txt');
    writeFileSync(lines, 'dns add-txt batch-ro "not recorded"\ndns add-txt batch-ro-2 "not recorded"\n');
    const batch = await runReadOnly([data], ['batch', '--yes', lines], env, lab.current.dir);
    expect(batch.code).toBe(3);
    expect(batch.stdout + batch.stderr).toContain(`cannot write the audit log ${file}, so dns.add-txt was not run`);
    for (const name of ['during-ro', 'file-ro', 'batch-ro']) expect(sent()).not.toContain(name);
  });

  it('does not run a change over MCP either: the tool call is an error naming the file', async () => {
    const env = { ...lab.current.env };
    const data = env.HOMELAB_DATA_HOME;
    const { command, args, restore } = readOnlyCommand([data], [process.execPath, CLI, 'mcp', '--allow', 'change'], lab.current.dir);
    const client = new Client({ name: 'ro-agent', version: '1.0.0' });
    try {
      await client.connect(new StdioClientTransport({ command, args, env: { ...cliEnv('/tmp'), ...env }, stderr: 'pipe' }));
      const result = await client.callTool({ name: 'dns_add-txt', arguments: { name: 'mcp-ro', text: 'not recorded' } });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(`cannot write the audit log ${auditFile(data)}, so dns.add-txt was not run`);
    } finally {
      await client.close();
      restore();
    }
    expect(sent()).not.toContain('mcp-ro');
  });

  it('homelab audit with no log yet is an empty list with a note', async () => {
    const data = join(lab.current.dir, 'empty-data');
    mkdirSync(data);
    const env = { ...lab.current.env, HOMELAB_DATA_HOME: data };
    const json = await runReadOnly([data], ['audit', '--json'], env, lab.current.dir);
    expect([json.code, json.stdout.trim(), json.stderr]).toEqual([0, '[]', '']);
    const human = await runReadOnly([data], ['audit'], env, lab.current.dir);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`no audit log yet (${join(data, 'audit.sqlite')})`);
    expect(existsSync(join(data, 'audit.sqlite'))).toBe(false);
  });
});
