/**
 * The audit log: every change or danger operation from the CLI (the built binary),
 * the bot (the same invoke path with a Telegram actor) and MCP (the SDK client) is
 * recorded before and after it runs, reads are not, the log is filtered by
 * `homelab audit`, an operation does not run when its row cannot be written, and no
 * secret is in any row (nor anywhere in the database file).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installAuditHook } from '../../src/audit/hook.js';
import { AuditStore, auditFile, type AuditEntry } from '../../src/audit/store.js';
import { createContext } from '../../src/core/context.js';
import { ConfigError, OperationError } from '../../src/core/errors.js';
import { invoke } from '../../src/core/invoke.js';
import { defineOperation } from '../../src/core/operation.js';
import { registerSecret } from '../../src/core/redact.js';
import type { PveSim } from '../../src/services/pve/sim/index.js';
import { getRegistry } from '../../src/services/index.js';
import { runCli, runCliJson } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { connect, startServer } from '../surfaces/mcp/helpers.js';

const lab = useLab({ services: ['pve'] });
const SECRET = 'hunter2-very-secret-value';
let removeHook: () => void;

beforeAll(() => {
  removeHook = installAuditHook();
  registerSecret(SECRET);
});
afterAll(() => removeHook());

const env = (): Record<string, string> => ({ ...lab.current.env });
const pve = (): PveSim => lab.current.sims.get('pve') as PveSim;
const rows = (): AuditEntry[] => {
  const store = AuditStore.open(lab.current.env.HOMELAB_DATA_HOME);
  try {
    return store.list({ limit: 1000 });
  } finally {
    store.close();
  }
};

let ran = 0;
const login = defineOperation({
  id: 'test.login',
  summary: 'a test operation with secrets in its input',
  input: z.object({ user: z.string(), password: z.string(), apiToken: z.string(), note: z.string() }),
  risk: 'change',
  async run(_ctx, input): Promise<{ ok: true }> {
    ran += 1;
    if (input.user === 'bad') throw new OperationError(`login refused for ${input.user} with ${input.password}`);
    return { ok: true };
  },
});

describe('audit log', () => {
  it('records a CLI change before and after, with the local user, and not a read', async () => {
    pve().state.guests.get(201)!.status = 'stopped';
    const started = await runCli(['pve', 'start', '201'], env());
    expect(started.code).toBe(0);
    const failed = await runCli(['pve', 'start', '777'], env());
    expect(failed.code).not.toBe(0);
    expect((await runCli(['pve', 'list'], env())).code).toBe(0);
    const cli = rows().filter((r) => r.surface === 'cli');
    expect(cli.map((r) => [r.operation, r.actor, r.outcome, r.input])).toEqual([
      ['pve.start', userInfo().username, 'ok', { vmid: 201, wait: true }],
      ['pve.start', userInfo().username, 'error', { vmid: 777, wait: true }],
    ]);
    expect(cli[1]?.error).toContain('777');
    expect(cli.every((r) => typeof r.durationMs === 'number' && r.durationMs >= 0)).toBe(true);
  });

  it('records bot calls through the same invoke path, with secrets redacted', async () => {
    const ctx = createContext({ actor: { surface: 'telegram', id: '1001' }, env: env() });
    await invoke(login, { user: 'alice', password: SECRET, apiToken: 'tok-123456', note: `rotated from ${SECRET}` }, ctx);
    await expect(invoke(login, { user: 'bad', password: SECRET, apiToken: 'x', note: '' }, ctx)).rejects.toThrow(OperationError);
    const mute = getRegistry().get('watch.mute');
    if (!mute) throw new Error('watch.mute is not registered');
    await invoke(mute, { check: 'guests', duration: '1h' }, ctx);
    const bot = rows().filter((r) => r.surface === 'telegram');
    expect(bot.map((r) => [r.operation, r.actor, r.outcome])).toEqual([['test.login', '1001', 'ok'], ['test.login', '1001', 'error'], ['watch.mute', '1001', 'ok']]);
    expect(bot[0]?.input).toEqual({ user: 'alice', password: '***', apiToken: '***', note: 'rotated from ***' });
    expect(bot[1]?.error).toBe('login refused for bad with ***');
    expect(bot[2]?.input).toEqual({ check: 'guests', duration: '1h' });
  });

  it('records MCP calls under the client name', async () => {
    pve().state.guests.get(201)!.status = 'stopped';
    const server = await startServer(lab.current, 'change');
    const client = await connect(server, 'audit-agent');
    try {
      const result = await client.callTool({ name: 'pve_start', arguments: { vmid: 201 } });
      expect(result.isError).toBeFalsy();
      const refused = await client.callTool({ name: 'pve_stop', arguments: { vmid: 201 } });
      expect(refused.isError).toBe(true);
    } finally {
      await client.close();
      await server.close();
    }
    expect(rows().filter((r) => r.surface === 'mcp').map((r) => [r.operation, r.actor, r.outcome])).toEqual([['pve.start', 'audit-agent', 'ok']]);
  });

  it('shows and filters the log with homelab audit', async () => {
    const all = await runCliJson<AuditEntry[]>(['audit'], env());
    expect(new Set(all.map((r) => r.surface))).toEqual(new Set(['cli', 'telegram', 'mcp']));
    const bot = await runCliJson<AuditEntry[]>(['audit', '--actor', '1001'], env());
    expect(bot.map((r) => r.operation)).toEqual(['test.login', 'test.login', 'watch.mute']);
    // `surface:id`, as surfaces name their actors (`web:alice`, `telegram:1001`): both must match.
    expect((await runCliJson<AuditEntry[]>(['audit', '--actor', 'telegram:1001'], env())).map((r) => r.operation)).toEqual(['test.login', 'test.login', 'watch.mute']);
    expect(await runCliJson<AuditEntry[]>(['audit', '--actor', 'mcp:1001'], env())).toEqual([]);
    expect((await runCliJson<AuditEntry[]>(['audit', '--actor', 'mcp:audit-agent'], env())).map((r) => [r.surface, r.actor, r.operation])).toEqual([['mcp', 'audit-agent', 'pve.start']]);
    const failedPve = await runCliJson<AuditEntry[]>(['audit', '--operation', 'pve', '--failed'], env());
    expect(failedPve.map((r) => [r.surface, r.input.vmid])).toEqual([['cli', 777]]);
    const mcp = await runCliJson<AuditEntry[]>(['audit', '--surface', 'mcp', '--since', '1h'], env());
    expect(mcp).toHaveLength(1);
    const human = await runCli(['audit', '--actor', '1001'], env());
    expect(human.stdout).toMatch(/TIME\s+SURFACE\s+ACTOR\s+OPERATION/);
    expect(human.stdout).toContain('password=***');
    const bad = await runCli(['audit', '--since', 'yesterday'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('since');
  });

  it('keeps every secret out of the database file', () => {
    const file = auditFile(lab.current.env.HOMELAB_DATA_HOME);
    const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes).toContain('pve.start');
    const secrets = [SECRET, pve().credentials.values.PVE_TOKEN_SECRET as string, 'tok-123456'];
    for (const secret of secrets) expect(bytes).not.toContain(secret);
  });

  it('does not run an operation whose audit row cannot be written', async () => {
    const blocked = join(lab.current.dir, 'not-a-directory');
    writeFileSync(blocked, 'x');
    const before = ran;
    for (const surface of ['cli', 'telegram', 'mcp', 'watch'] as const) {
      const ctx = createContext({ actor: { surface, id: 'tester' }, env: { ...env(), HOMELAB_DATA_HOME: blocked } });
      const refused = await invoke(login, { user: 'alice', password: 'p', apiToken: 't', note: '' }, ctx).then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as ConfigError).message).toMatch(new RegExp(`^cannot write the audit log ${join(blocked, 'audit.sqlite')}, so test\\.login was not run \\(`));
      expect((refused as ConfigError).exitCode).toBe(3);
    }
    expect(ran).toBe(before);
  });
});
