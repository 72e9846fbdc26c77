/**
 * The HTTP transport's bearer token: generated once into the data directory (0600)
 * and reused, or read from `mcp.token_file`, which must be private; and the built
 * `homelab mcp --http` serving with it. A token no request could send (whitespace inside it,
 * as a wrapped base64 line has) is refused at start (exit 3), and `doctor` fails on it.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { generatedTokenFile, loadOrCreateToken, mcpConfigSchema } from '../../../src/surfaces/mcp/config.js';
import { CLI, runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';
import { connect } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-mcp-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lab = useLab({ services: ['pve'] });

describe('MCP bearer token', () => {
  it('is generated once into the data directory with mode 0600, then reused', () => {
    const settings = mcpConfigSchema.parse({});
    const first = loadOrCreateToken(settings, join(dir, 'data'));
    expect(first.created).toBe(true);
    expect(first.file).toBe(generatedTokenFile(join(dir, 'data')));
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(first.token.length).toBeGreaterThanOrEqual(40);
    const second = loadOrCreateToken(settings, join(dir, 'data'));
    expect(second).toMatchObject({ token: first.token, created: false });
  });

  it('is read from mcp.token_file, which must not be readable by others', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 'a-token-of-the-owners-choosing\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const settings = mcpConfigSchema.parse({ token_file: file });
    expect(() => loadOrCreateToken(settings, dir)).toThrow(ConfigError);
    expect(() => loadOrCreateToken(settings, dir)).toThrow(/readable by group or others/);
    chmodSync(file, 0o600);
    expect(loadOrCreateToken(settings, dir)).toMatchObject({ token: 'a-token-of-the-owners-choosing', file, created: false });
    expect(() => loadOrCreateToken(mcpConfigSchema.parse({ token_file: join(dir, 'missing') }), dir)).toThrow(/does not exist/);
  });

  it('refuses a token with whitespace inside it (a wrapped base64 line), naming the file, and one in characters a header cannot carry', () => {
    const file = join(dir, 'wrapped');
    const settings = mcpConfigSchema.parse({ token_file: file });
    for (const text of ['abcdefghij klmnopqrstuvwxyz\n', 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn\nopqrstuvwxyz==\n', 'abcdefghij\tklmnopqrstuvwxyz']) {
      writeFileSync(file, text, { mode: 0o600 });
      expect(() => loadOrCreateToken(settings, dir)).toThrow(`the token in ${file} contains whitespace (a space or a line break), so no request can send it: a token is one word`);
    }
    writeFileSync(file, 'abcdefghijklmnopé\n', { mode: 0o600 });
    expect(() => loadOrCreateToken(settings, dir)).toThrow(/holds a character other than printable ASCII/);
    writeFileSync(file, '  abcdefghijklmnopqrstuvwxyz\n\n', { mode: 0o600 });
    expect(loadOrCreateToken(settings, dir).token).toBe('abcdefghijklmnopqrstuvwxyz');
  });

  it('the built CLI: `homelab mcp --http` exits 3 on a token with a line break inside, and doctor fails its mcp token line', async () => {
    const file = join(dir, 'wrapped-cli');
    writeFileSync(file, 'abcdefghij\nklmnopqrstuvwxyz\n', { mode: 0o600 });
    const config = join(lab.current.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const before = readFileSync(config, 'utf8');
    appendFileSync(config, `\nmcp:\n  token_file: ${file}\n`);
    try {
      const served = await runCli(['mcp', '--http', '--port', '0'], lab.current.env);
      expect(served.code).toBe(3);
      expect(served.stderr).toContain(`homelab: the token in ${file} contains whitespace (a space or a line break), so no request can send it: a token is one word\n`);
      const doctor = await runCli(['doctor'], lab.current.env);
      expect(doctor.code).toBe(3);
      expect(doctor.stdout).toMatch(new RegExp(`✗ files +mcp token +the token in ${file} contains whitespace`));
    } finally {
      writeFileSync(config, before);
    }
  });

  it('protects `homelab mcp --http`, which prints where the token is but never the token', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--http', '--port', '0'], { env: { PATH: process.env.PATH ?? '', HOME: dir, ...lab.current.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    try {
      const started = await new Promise<{ url: string; file: string }>((resolve, reject) => {
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          const url = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1];
          const file = /bearer token generated into (\S+)/.exec(stderr)?.[1];
          if (url && file) resolve({ url, file });
        });
        child.once('exit', (code) => reject(new Error(`homelab mcp exited ${code}: ${stderr}`)));
      });
      const token = readFileSync(started.file, 'utf8').trim();
      expect(stderr).not.toContain(token);
      const client = await connect({ url: started.url, port: 0, sessions: () => 0, close: async () => undefined }, 'remote-agent', token);
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('pve_list');
      await client.close();
      const refused = await fetch(started.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(refused.status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
