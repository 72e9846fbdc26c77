/**
 * @module test/services/pve/sim-raw
 * For the lifecycle tests against the lab's PVE simulator: a raw API client (what a caller
 * without the CLI's checks sends), the write requests sent since a point, a task's end,
 * and the refusal of a CLI call before anything is sent.
 */
import { expect } from 'vitest';
import { HttpClient } from '../../../src/core/http/index.js';
import { ApiError } from '../../../src/core/errors.js';
import { PveClient } from '../../../src/services/pve/client.js';
import type { PveSim } from '../../../src/services/pve/sim/index.js';
import { runCli } from '../../helpers/cli.js';

/** Requests from `from` on that change something (`POST`, `PUT`, `DELETE`). */
export const writesSince = (sim: PveSim, from: number) => sim.requests.slice(from).filter((r) => r.method !== 'GET');

/** A raw API client of the simulator. */
export function rawClient(sim: PveSim): PveClient {
  const { PVE_TOKEN_ID: id, PVE_TOKEN_SECRET: secret } = sim.credentials.values;
  return new PveClient(
    new HttpClient({ service: 'pve', baseUrl: `${sim.url}/api2/json`, fingerprint: sim.fingerprint, backoffMs: 10, headers: () => ({ authorization: `PVEAPIToken=${id}=${secret}` }) }),
    { url: sim.url, task_poll_ms: 50 },
  );
}

/** Waits for a task and returns its exit status and log. */
export async function finishedTask(client: PveClient, upid: string): Promise<{ exitstatus: string; log: string[] }> {
  for (let i = 0; i < 200; i++) {
    const s = await client.taskStatus(upid);
    if (s.status === 'stopped') return { exitstatus: String(s.exitstatus), log: (await client.taskLog(upid, 0, 500)).lines };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`task ${upid} did not finish`);
}

/** The API error a call ends with (fails the test when it succeeds). */
export async function apiErrorOf(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

/** Runs the CLI expecting a refusal with `code` before anything is sent; returns stderr. */
export async function refusedBeforeSending(sim: PveSim, env: Record<string, string>, args: string[], code: number): Promise<string> {
  const from = sim.requests.length;
  const r = await runCli(args, env);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(writesSince(sim, from), args.join(' ')).toEqual([]);
  return r.stderr;
}
