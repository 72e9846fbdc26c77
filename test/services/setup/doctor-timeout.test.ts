/**
 * `homelab doctor` waits each service's `timeout_seconds` when it is shorter than doctor's
 * own caps (8 s per request, 5 s for the TLS answer), and never longer than those: a
 * service allowed 600 s would otherwise keep doctor past its own 120 s limit on the bot,
 * MCP and the dashboard, with no report. Against loopback listeners that accept and never
 * answer, its lines name the limit waited, and the TLS line says it once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../../src/lab/ssh-target/keys.js';
import type { DoctorResult } from '../../../src/services/setup/doctor/operation.js';
import { runCli } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-doctor-timeout-'));
const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
const sockets = new Set<Socket>();
let silent: Server;
let port = 0;

function credentials(service: string, text: string): void {
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, service), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, service, 'credentials'), text, { mode: 0o600 });
}

beforeAll(async () => {
  silent = createServer((s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as { port: number }).port;
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), [
    'services:',
    `  kuma: { url: "http://127.0.0.1:${port}", timeout_seconds: 1 }`,
    `  dns: { url: "https://127.0.0.1:${port}", timeout_seconds: 1.5 }`,
    `  beszel: { url: "http://127.0.0.1:${port}", timeout_seconds: 600 }`,
    `  proxy: { url: "https://127.0.0.1:${port}", timeout_seconds: 600 }`,
    'ssh:',
    `  known_hosts: ${JSON.stringify(join(dir, 'known_hosts'))}`,
    '  timeout_seconds: 600',
    `  targets: [{ name: mute, host: 127.0.0.1, port: ${port}, user: root, key: ${JSON.stringify(join(dir, 'id_ed25519'))} }]`,
    '',
  ].join('\n'));
  generateKeyPair(join(dir, 'id_ed25519'), 'doctor@test');
  writeFileSync(join(dir, 'known_hosts'), '');
  credentials('kuma', 'KUMA_API_KEY=uk1_abcdef\n');
  credentials('dns', 'DNS_TOKEN=abcdef\n');
  credentials('beszel', 'BESZEL_EMAIL=a@home.lan\nBESZEL_PASSWORD=pw\n');
  credentials('npm', 'NPM_EMAIL=a@home.lan\nNPM_PASSWORD=pw\n');
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('doctor and timeout_seconds', () => {
  it('waits each service\'s own limit up to its caps, and says the TLS one once', async () => {
    const r = await runCli(['doctor', '--json'], env, { timeoutMs: 40_000 });
    expect(r.code, r.stderr).toBe(4);
    const checks = (JSON.parse(r.stdout) as DoctorResult).checks;
    const line = (area: string, name: string): string | undefined => checks.find((c) => c.area === area && c.name === name)?.detail;
    expect(line('kuma', 'answers')).toBe('kuma: GET /metrics timed out after 1 s');
    expect(line('dns', 'tls')).toBe(`no TLS answer from 127.0.0.1:${port} within 1.5 s`);
    // timeout_seconds: 600 is waited 8 s per request and 5 s for the TLS answer.
    expect(line('beszel', 'answers')).toBe('beszel: GET /health timed out after 8 s');
    expect(line('proxy', 'tls')).toBe(`no TLS answer from 127.0.0.1:${port} within 5 s`);
    // An SSH target allowed 600 s (ssh.timeout_seconds) is waited 8 s for its handshake.
    expect(line('ssh', 'host mute')).toMatch(/\b8 s\b/);
  });
});
