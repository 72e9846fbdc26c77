/**
 * PVE's error answers whatever their body: a PVE (or something in front of it) answering
 * an error with a JSON body that is not an object — `null`, a list, a number, a string —
 * is reported by its status line, never as a TypeError about reading `message` of null;
 * a `message` of the wrong type does not lose the `errors` beside it. Over a real socket
 * against a loopback HTTPS fake, in process and through the built CLI (`pve list`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { startSimServer, type SimServer } from '../../../src/lab/sim-server.js';
import { PveClient } from '../../../src/services/pve/client.js';
import { runCli } from '../../helpers/cli.js';

/** What the fake answers every request with. */
let answer: { status: number; body: string } = { status: 500, body: 'null' };
let fake: SimServer;
const dir = mkdtempSync(join(tmpdir(), 'homelab-pve-error-body-'));
const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };

function client(): PveClient {
  const http = new HttpClient({ service: 'pve', baseUrl: `${fake.url}/api2/json`, fingerprint: fake.fingerprint, retries: 0, headers: () => ({ authorization: 'PVEAPIToken=homelab@pve!cli=s' }) });
  return new PveClient(http, { url: fake.url, task_poll_ms: 100 });
}

async function errorOf(status: number, body: string): Promise<unknown> {
  answer = { status, body };
  return client().nodes().catch((e: unknown) => e);
}

beforeAll(async () => {
  fake = await startSimServer({
    name: 'pve-fake', tls: true,
    handle: ({ res }) => { res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8' }); res.end(answer.body); },
  });
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), `services:\n  pve: { url: "${fake.url}", fingerprint: "${fake.fingerprint}", node: pve1 }\n`, { mode: 0o600 });
  mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'pve'), { recursive: true, mode: 0o700 });
  writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'pve', 'credentials'), 'PVE_TOKEN_ID=homelab@pve!cli\nPVE_TOKEN_SECRET=5b1f3c9e-8a42-4d7b-9c61-2e0f7a4d8b35\n', { mode: 0o600 });
});

afterAll(async () => {
  await closeAllAgents();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a PVE error answer whose JSON body is not an object', () => {
  it.each(['null', '[1,2]', '42', '"broken"', 'true'])('reports the status line for a body of %s', async (body) => {
    const err = await errorOf(500, body);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(500);
    expect((err as ApiError).message).toBe('pve: Internal Server Error');
  });

  it('keeps the parameter errors when message is not a string', async () => {
    const err = await errorOf(400, JSON.stringify({ message: 7, errors: { vmid: 'value must have a minimum value of 100\n' } }));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('pve: Bad Request: vmid: value must have a minimum value of 100');
    expect((err as ApiError).fieldErrors).toEqual({ vmid: 'value must have a minimum value of 100' });
  });

  it('keeps the message when errors is not an object', async () => {
    const err = await errorOf(500, JSON.stringify({ message: 'storage local is not online\n', errors: null }));
    expect((err as ApiError).message).toBe('pve: storage local is not online');
    expect((err as ApiError).fieldErrors).toBeUndefined();
  });

  it('homelab pve list prints one line with the status, exit 1', async () => {
    answer = { status: 500, body: 'null' };
    const r = await runCli(['pve', 'list'], env);
    expect(r.stderr).toBe('homelab: pve: Internal Server Error\n');
    expect(r.code).toBe(1);
  });
});
