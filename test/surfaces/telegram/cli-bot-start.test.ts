import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type RunningLab } from '../../../src/lab/lab.js';
import { startTelegramSim, type TelegramSim } from '../../../src/services/telegram/sim/index.js';
import { CLI, cliEnv, runCli } from '../../helpers/cli.js';
import { writeBotToken } from '../../helpers/bot-token.js';
import { OWNER, until } from './harness.js';

let lab: RunningLab;
let sim: TelegramSim;
let child: ChildProcess | undefined;

beforeAll(async () => {
  [lab, sim] = await Promise.all([startLab({ services: ['pve'] }), startTelegramSim()]);
  writeBotToken(lab.env.HOMELAB_CONFIG_HOME, sim.token);
});
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  Object.assign(sim.faults, { only: undefined, hangNext: 0 });
});
afterAll(async () => { await Promise.all([sim?.close(), lab?.close()]); });

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('homelab bot while it starts', () => {
  it('exits 4 at once with one line when the Bot API refuses connections (no endless getMe retries)', async () => {
    const apiRoot = `http://127.0.0.1:${await closedPort()}`;
    lab.writeConfig({ telegram: { api_root: apiRoot, owner_chat_id: OWNER, allowed_users: [OWNER] } });
    const r = await runCli(['bot'], { HOME: lab.dir, ...lab.env });
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')[0]).toBe(`homelab: telegram: cannot reach the Bot API at ${apiRoot}: Network request for 'getMe' failed!`);
    expect(r.stderr).not.toContain(sim.token.split(':')[1]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops on %s while getMe gets no answer, and exits 0', async (signal) => {
    lab.writeConfig({ telegram: { api_root: sim.url, owner_chat_id: OWNER, allowed_users: [OWNER] } });
    Object.assign(sim.faults, { only: ['getMe'], hangNext: 1 });
    const calls = sim.state.calls.length;
    const started = spawn(process.execPath, [CLI, 'bot'], { env: { ...cliEnv(lab.dir), ...lab.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let stdout = '';
    started.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
    const exited = new Promise<number | null>((resolve) => started.on('close', resolve));
    await until(() => sim.state.calls.slice(calls).some((c) => c.method === 'getMe'), 'the bot to ask getMe', 20_000);
    started.kill(signal);
    expect(await exited).toBe(0);
    expect(stdout).toContain('"bot stopped"');
    expect(stdout).not.toContain('"bot started"');
    expect(sim.state.calls.slice(calls).map((c) => c.method)).toEqual(['getMe']);
  });
});
