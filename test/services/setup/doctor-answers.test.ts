/**
 * `homelab doctor` against servers that answer a JSON shape their API never does: each
 * check says so in the one clean line the clients give ("unexpected answer from <service>:
 * <request>: <key>: …", exit 1), never a ZodError's JSON dump or a JSON parser's message.
 * Loopback fakes (HTTPS for PVE and PBS, as their config requires) answer each request from
 * a table the test changes between runs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAllAgents } from '../../../src/core/http/index.js';
import { startSimServer, type SimServer } from '../../../src/lab/sim-server.js';
import { runDoctor, type DoctorResult } from '../../../src/services/setup/doctor/operation.js';

type Service = 'pve' | 'pbs' | 'dns' | 'proxy' | 'beszel';

/** The body each fake answers per `METHOD path` (a string is sent as it is); anything else is a 404. */
const answers: Record<Service, Record<string, unknown>> = { pve: {}, pbs: {}, dns: {}, proxy: {}, beszel: {} };
const fakes = {} as Record<Service, SimServer>;
const dir = mkdtempSync(join(tmpdir(), 'homelab-doctor-answers-'));
const env = { ...process.env, HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data'), HOMELAB_CONTEXT: '' };

function credentials(folder: string, text: string): void {
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, folder), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, folder, 'credentials'), text, { mode: 0o600 });
}

async function doctor(): Promise<(area: Service, name: string) => { detail: string; exitCode: number | null } | undefined> {
  const result: DoctorResult = await runDoctor(env, AbortSignal.timeout(30_000));
  return (area, name) => result.checks.find((c) => c.area === area && c.name === name);
}

beforeAll(async () => {
  for (const service of ['pve', 'pbs', 'dns', 'proxy', 'beszel'] as const) {
    fakes[service] = await startSimServer({
      name: `${service}-fake`, tls: service === 'pve' || service === 'pbs',
      handle: ({ res, method, path }) => {
        const body = answers[service][`${method} ${path}`];
        res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
      },
    });
  }
  const section = (s: Service): string => `{ url: "${fakes[s].url}"${fakes[s].fingerprint ? `, fingerprint: "${fakes[s].fingerprint}"` : ''} }`;
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), ['services:', ...(['pve', 'pbs', 'dns', 'proxy', 'beszel'] as const).map((s) => `  ${s}: ${section(s)}`), ''].join('\n'), { mode: 0o600 });
  credentials('pve', 'PVE_TOKEN_ID=homelab@pve!cli\nPVE_TOKEN_SECRET=5b1f3c9e-8a42-4d7b-9c61-2e0f7a4d8b35\n');
  credentials('pbs', 'PBS_TOKEN_ID=root@pam!homelab\nPBS_TOKEN_SECRET=0d8c2a4e-51f7-4b93-a6e0-7c3d9b2f1e85\n');
  credentials('dns', 'DNS_TOKEN=abcdef0123456789\n');
  credentials('npm', 'NPM_EMAIL=admin@home.lan\nNPM_PASSWORD=pw\n');
  credentials('beszel', 'BESZEL_EMAIL=admin@home.lan\nBESZEL_PASSWORD=pw\n');
  answers.pve['GET /api2/json/version'] = { data: { version: '9.0.3' } };
  answers.pbs['GET /api2/json/version'] = { data: { version: '4.0', release: '18' } };
  answers.beszel['GET /api/health'] = { code: 200, message: 'API is healthy.' };
});

afterAll(async () => {
  await closeAllAgents();
  for (const fake of Object.values(fakes)) await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('doctor and an answer of the wrong shape', () => {
  it('names the request and the first bad key, on one line, exit 1', async () => {
    answers.pve['GET /api2/json/access/permissions'] = { data: [] };
    answers.pbs['GET /api2/json/admin/datastore'] = { data: [{ name: 'main' }] };
    answers.dns['GET /api/user/session/get'] = { status: 5 };
    answers.proxy['GET /api/'] = { status: 'OK', version: '2.12.3' };
    answers.beszel['POST /api/collections/users/auth-with-password'] = { record: { role: 'user' } };
    const line = await doctor();
    expect(line('pve', 'answers')?.detail).toBe('Proxmox VE 9.0.3, API token accepted');
    expect(line('pve', 'privileges')?.detail).toMatch(/^unexpected answer from pve: GET \/access\/permissions: data: [^\n{[]+$/);
    expect(line('pbs', 'datastores')?.detail).toMatch(/^unexpected answer from pbs: GET \/admin\/datastore: data\.0\.store: [^\n{[]+$/);
    expect(line('dns', 'answers')?.detail).toMatch(/^unexpected answer from dns: GET \/api\/user\/session\/get: status: [^\n{[]+$/);
    expect(line('proxy', 'answers')?.detail).toMatch(/^unexpected answer from proxy: GET \/api\/: version: [^\n{[]+$/);
    expect(line('beszel', 'login')?.detail).toMatch(/^unexpected answer from beszel: POST \/api\/collections\/users\/auth-with-password: token: [^\n{[]+$/);
    for (const [area, name] of [['pve', 'privileges'], ['pbs', 'datastores'], ['dns', 'answers'], ['proxy', 'answers'], ['beszel', 'login']] as const) {
      expect(line(area, name)?.exitCode, `${area} ${name}`).toBe(1);
    }
  });

  it('says so for a login answer that is not JSON, or not the login\'s shape', async () => {
    answers.dns['GET /api/user/session/get'] = { status: 'ok', info: { version: 7 } };
    answers.proxy['GET /api/'] = { status: 'OK', setup: true, version: { major: 2, minor: 12, revision: 3 } };
    answers.proxy['POST /api/tokens'] = { requires_2fa: 'yes' };
    answers.beszel['POST /api/collections/users/auth-with-password'] = 'not json';
    const line = await doctor();
    expect(line('dns', 'answers')?.detail).toMatch(/^unexpected answer from dns: GET \/api\/user\/session\/get: info\.version: [^\n{[]+$/);
    expect(line('proxy', 'answers')?.detail).toBe('Nginx Proxy Manager 2.12.3');
    expect(line('proxy', 'login')?.detail).toMatch(/^unexpected answer from proxy: POST \/api\/tokens: requires_2fa: [^\n{[]+$/);
    expect(line('beszel', 'login')?.detail).toBe('unexpected answer from beszel: malformed or truncated JSON (HTTP 200, 8 bytes)');
  });
});

describe('doctor and a login token the client could not use', () => {
  it('an NPM login (with or without 2FA) that gives no header-safe token is a login failure (exit 1), never a pass', async () => {
    answers.proxy['GET /api/'] = { status: 'OK', setup: true, version: { major: 2, minor: 12, revision: 3 } };
    for (const token of ['abc\ndef', 'abc\u001b]0;x\u0007', undefined]) {
      answers.proxy['POST /api/tokens'] = { token, expires: '2030-01-01T00:00:00.000Z' };
      const login = (await doctor())('proxy', 'login');
      expect(login?.exitCode).toBe(1);
      expect(login?.detail).toMatch(/^unexpected answer from proxy: POST \/api\/tokens: token: /);
      expect(login?.detail).not.toContain('\u001b');
    }
    credentials('npm', 'NPM_EMAIL=admin@home.lan\nNPM_PASSWORD=pw\nNPM_TOTP_SECRET=JBSWY3DPEHPK3PXP\n');
    try {
      answers.proxy['POST /api/tokens'] = { requires_2fa: true, challenge_token: 'c1' };
      answers.proxy['POST /api/tokens/2fa'] = { token: 'abc\ndef', expires: '2030-01-01T00:00:00.000Z' };
      const twoFa = (await doctor())('proxy', 'login');
      expect(twoFa?.exitCode).toBe(1);
      expect(twoFa?.detail).toMatch(/^unexpected answer from proxy: POST \/api\/tokens\/2fa: token: /);
      answers.proxy['POST /api/tokens/2fa'] = { token: 'eyJ.good', expires: '2030-01-01T00:00:00.000Z' };
      expect((await doctor())('proxy', 'login')?.exitCode).toBeNull();
    } finally {
      credentials('npm', 'NPM_EMAIL=admin@home.lan\nNPM_PASSWORD=pw\n');
    }
    answers.proxy['POST /api/tokens'] = { token: 'eyJ.good', expires: '2030-01-01T00:00:00.000Z' };
    expect((await doctor())('proxy', 'login')?.detail).toBe('NPM_EMAIL logs in (no 2FA on the account)');
  });
});
