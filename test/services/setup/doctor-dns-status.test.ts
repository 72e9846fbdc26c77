/**
 * `homelab doctor`'s Technitium probe tells a refused token from a server error: only
 * `invalid-token` (the dns client's rule) is a refused token (exit 5, "create an API token");
 * any other error (a full disk) is an "answers" failure (exit 1) quoting the server. A login
 * answered with `error` is a refused login; a status no login gives is an "answers" failure;
 * a login answered ok without a header-safe token is an unexpected answer (exit 1), never a pass.
 * A loopback fake answers from a table the test changes between runs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeAllAgents } from '../../../src/core/http/index.js';
import { startSimServer, type SimServer } from '../../../src/lab/sim-server.js';
import { runDoctor } from '../../../src/services/setup/doctor/operation.js';

let fake: SimServer;
const answers: Record<string, unknown> = {};
const dir = mkdtempSync(join(tmpdir(), 'homelab-doctor-dns-'));
const env = { ...process.env, HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data'), HOMELAB_CONTEXT: '' };

function credentials(text: string): void {
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'dns'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'dns', 'credentials'), text, { mode: 0o600 });
}

async function dnsChecks(): Promise<{ name: string; status: string; detail: string; fix: string | null; exitCode: number | null }[]> {
  const result = await runDoctor(env, AbortSignal.timeout(30_000));
  return result.checks.filter((c) => c.area === 'dns' && c.name !== 'credentials');
}

beforeAll(async () => {
  fake = await startSimServer({
    name: 'dns-fake',
    handle: ({ res, method, path }) => {
      const body = answers[`${method} ${path}`];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    },
  });
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), `services:\n  dns: { url: "${fake.url}" }\n`, { mode: 0o600 });
});
afterAll(async () => {
  await closeAllAgents();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

it('a server error to the token check is an answers failure (exit 1), not a refused token', async () => {
  credentials('DNS_TOKEN=abcdef0123456789\n');
  answers['GET /api/user/session/get'] = { status: 'error', errorMessage: 'Disk full: cannot write the session.' };
  const checks = await dnsChecks();
  expect(checks).toEqual([expect.objectContaining({ name: 'answers', status: 'fail', exitCode: 1, detail: 'GET /api/user/session/get failed: Disk full: cannot write the session.' })]);
  expect(JSON.stringify(checks)).not.toMatch(/create an API token|refused/);
});

it('invalid-token is a refused token (exit 5) with the fix', async () => {
  answers['GET /api/user/session/get'] = { status: 'invalid-token', errorMessage: 'Invalid token or session expired.' };
  const checks = await dnsChecks();
  expect(checks).toEqual([expect.objectContaining({ name: 'token', status: 'fail', exitCode: 5, detail: 'DNS_TOKEN refused: Invalid token or session expired.' })]);
  expect(checks[0]?.fix).toMatch(/create an API token/);
});

it('a login answered error is refused (exit 5); a status no login gives is an answers failure (exit 1)', async () => {
  credentials('DNS_USER=admin\nDNS_PASSWORD=pw\n');
  answers['POST /api/user/login'] = { status: 'error', errorMessage: 'Invalid username or password for user: admin' };
  expect(await dnsChecks()).toEqual([expect.objectContaining({ name: 'token', status: 'fail', exitCode: 5 })]);
  answers['POST /api/user/login'] = { status: 'maintenance' };
  expect(await dnsChecks()).toEqual([expect.objectContaining({ name: 'answers', status: 'fail', exitCode: 1, detail: 'POST /api/user/login answered status maintenance' })]);
});

it('a login answered ok with a token no header can carry (or none) is an answers failure (exit 1), never a pass', async () => {
  credentials('DNS_USER=admin\nDNS_PASSWORD=pw\n');
  for (const token of ['abc\ndef', 'abc\u001b]0;x\u0007', undefined]) {
    answers['POST /api/user/login'] = { status: 'ok', token, info: { version: '13.6' } };
    const checks = await dnsChecks();
    expect(checks).toEqual([expect.objectContaining({ name: 'answers', status: 'fail', exitCode: 1 })]);
    expect(checks[0]?.detail).toMatch(/unexpected answer from dns: POST \/api\/user\/login: token: /);
    expect(JSON.stringify(checks)).not.toContain('\u001b');
  }
  answers['POST /api/user/login'] = { status: 'ok', token: 'e1b2c3', info: { version: '13.6' } };
  expect((await dnsChecks()).map((c) => `${c.name} ${c.status}`)).toEqual(['answers pass', 'token pass']);
});
