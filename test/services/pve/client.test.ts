/**
 * The PVE client over real sockets against the simulator: auth, TLS pinning, timeouts,
 * error messages, retries, task waiting, and that every request it sends is one real
 * PVE would accept (the simulator checks each against the API schema).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, AuthError, CancelledError, OperationError, TimeoutError, TlsError, UsageError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { TaskLeftRunningError, waitForTask, type TaskApi } from '../../../src/services/proxmox/tasks.js';
import { PveClient } from '../../../src/services/pve/client.js';
import { startPveSim, type PveSim } from '../../../src/services/pve/sim/index.js';

let sim: PveSim;

function client(options: { secret?: string; fingerprint?: string; timeoutMs?: number } = {}): PveClient {
  const id = sim.credentials.values.PVE_TOKEN_ID;
  const secret = options.secret ?? sim.credentials.values.PVE_TOKEN_SECRET;
  return new PveClient(
    new HttpClient({
      service: 'pve', baseUrl: `${sim.url}/api2/json`, fingerprint: options.fingerprint ?? sim.fingerprint, timeoutMs: options.timeoutMs,
      backoffMs: 10, headers: () => ({ authorization: `PVEAPIToken=${id}=${secret}` }),
    }),
    { url: sim.url, task_poll_ms: 100 },
  );
}

beforeAll(async () => {
  sim = await startPveSim({ taskDurationMs: 200, authFailDelayMs: 50 });
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});

describe('PVE client', () => {
  it('resolves a vmid to its type and node once, from cluster resources', async () => {
    const before = sim.requests.length;
    const guest = await client().resolveGuest(107);
    expect(guest).toMatchObject({ vmid: 107, type: 'lxc', node: 'pve2', name: 'forgejo' });
    expect(sim.requests.slice(before).map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual(['GET /api2/json/cluster/resources?type=vm']);
    await expect(client().resolveGuest(4242)).rejects.toBeInstanceOf(UsageError);
  });

  it('reports a refused token as an auth error (exit 5) without the secret', async () => {
    const err = await client({ secret: 'wrong-secret-value' }).guests().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).exitCode).toBe(5);
    expect((err as AuthError).message).toMatch(/^pve: authentication refused/);
    expect((err as AuthError).message).not.toContain('wrong-secret-value');
  });

  it('refuses a server whose certificate does not match the pin', async () => {
    const err = await client({ fingerprint: Array(32).fill('AA').join(':') }).guests().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).actualFingerprint).toBe(sim.fingerprint);
  });

  it('times out a request the server never answers', async () => {
    sim.faults.hangNext = 1;
    const err = await client({ timeoutMs: 300 }).nodes().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it('surfaces the message of a 500 from the handler', async () => {
    const c = client();
    const guest = await c.resolveGuest(202);
    const err = await c.post(`${c.guestPath(guest)}/status/resume`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(500);
    expect((err as ApiError).message).toMatch(/^pve: .*202/);
  });

  it('surfaces parameter errors from the errors member', async () => {
    const c = client();
    const guest = await c.resolveGuest(200);
    const err = await c.post(`${c.guestPath(guest)}/snapshot`, { snapname: '1bad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).fieldErrors).toHaveProperty('snapname');
    expect((err as ApiError).message).toMatch(/Parameter verification failed: snapname: /);
    sim.schemaViolations.length = 0;
  });

  it('retries reads on 503 but never a power action', async () => {
    const c = client();
    sim.faults.failNext = { count: 1, status: 503 };
    expect((await c.nodes()).length).toBe(2);
    const guest = await c.resolveGuest(202);
    sim.faults.failNext = { count: 1, status: 503 };
    const before = sim.requests.length;
    await expect(c.power(guest, 'start')).rejects.toBeInstanceOf(ApiError);
    expect(sim.requests.length - before).toBe(1);
  });

  it('waits for a task and judges it by exitstatus, not status', async () => {
    const c = client();
    const guest = await c.resolveGuest(201);
    const notes: string[] = [];
    const ok = await waitForTask(c, await c.power(guest, 'start'), { label: 'start', pollMs: 50, progress: (n) => notes.push(n) });
    expect(ok.exitstatus).toBe('OK');
    expect(notes.length).toBeGreaterThan(0);
    const again = await c.power(guest, 'start').catch((e: unknown) => e);
    if (typeof again === 'string') {
      const err = await waitForTask(c, again, { label: 'start of VM 201', pollMs: 50 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OperationError);
      expect((err as OperationError).message).toMatch(/^start of VM 201 failed: /);
      expect((err as OperationError).details?.at(-1)).toMatch(/^TASK ERROR: /);
    } else {
      expect(again).toBeInstanceOf(ApiError);
    }
  });

  it('a task that failed is reported failed even when the wait is cancelled as it ends, not as still running', async () => {
    const c = client();
    const guest = await c.resolveGuest(201);
    await waitForTask(c, await c.power(guest, 'start'), { label: 'start', pollMs: 50 }).catch(() => undefined);
    // VM 201 runs now: starting it again fails in the task.
    const upid = await c.power(guest, 'start');
    const stop = new AbortController();
    // The real client, its signal aborted (Ctrl-C) right after it read the task as stopped.
    const api: TaskApi = {
      service: 'pve',
      taskStatus: async (u, signal) => {
        const status = await c.taskStatus(u, signal);
        if (status.status === 'stopped') stop.abort(new CancelledError('interrupted'));
        return status;
      },
      taskLog: (u, start, limit, signal) => c.taskLog(u, start, limit, signal),
    };
    const err = await waitForTask(api, upid, { label: 'start of VM 201', pollMs: 50, signal: stop.signal }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(TaskLeftRunningError);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).message).toBe('start of VM 201 failed: VM 201 already running');
  });

  it('sent nothing real PVE would reject', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
