/**
 * The PBS simulator's seeded story and its tasks, over raw HTTPS requests: a group per
 * backed-up guest of the inventory, ct/106 stale with a failed verify, a GC warning, one
 * failed backup task in the last 24 h; GC and verify start tasks that finish with OK,
 * warnings or an error; every answer matches the `returns` schema of the PBS API dump.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guests } from '../../../src/lab/inventory.js';
import { trouble } from '../../../src/lab/trouble.js';
import { endpointSchema } from '../../../src/services/pbs/sim/api-schema.js';
import { DEFAULT_GC_FAILURE, startPbsSim, VERIFY_FAILED, type PbsSim } from '../../../src/services/pbs/sim/index.js';
import { closeRaw, raw } from './raw.js';
import { normaliseSnapshotFiles, returnsErrors } from './returns-check.js';

let sim: PbsSim;
let auth: string;
const get = async (path: string): Promise<{ data: unknown; body: Record<string, unknown> }> => {
  const res = await raw(sim.url, 'GET', path, { authorization: auth });
  expect(res.status, res.text).toBe(200);
  return { data: res.body?.data, body: res.body ?? {} };
};
const post = async (path: string, form?: Record<string, string>): Promise<string> => {
  const res = await raw(sim.url, 'POST', path, { authorization: auth, ...(form ? { form } : {}) });
  expect(res.status, res.text).toBe(200);
  return res.body?.data as string;
};
/** Polls a task until it stops (the simulator settles tasks on read). */
async function waitTask(upid: string): Promise<{ exitstatus: string; log: string[] }> {
  for (;;) {
    const { data } = await get(`/nodes/localhost/tasks/${encodeURIComponent(upid)}/status`);
    const status = data as { status: string; exitstatus: string };
    if (status.status === 'stopped') {
      const log = await get(`/nodes/localhost/tasks/${encodeURIComponent(upid)}/log?limit=0`);
      return { exitstatus: status.exitstatus, log: (log.data as { t: string }[]).map((l) => l.t) };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  sim = await startPbsSim({ authFailDelayMs: 0, forbiddenDelayMs: 0, taskDurationMs: 30 });
  auth = `PBSAPIToken=${sim.tokenId}:${sim.tokenSecret}`;
});
afterAll(async () => {
  await closeRaw();
  await sim.close();
});

describe('PBS simulator: seeded story', () => {
  it('has a backup group per backed-up guest, vm/ or ct/ by guest type', async () => {
    const { data } = await get('/admin/datastore/main/groups');
    const groups = data as { 'backup-type': string; 'backup-id': string; 'last-backup': number }[];
    const expected = guests.filter((g) => g.lastBackupHoursAgo !== undefined).map((g) => `${g.type === 'qemu' ? 'vm' : 'ct'}/${g.vmid}`);
    expect(groups.map((g) => `${g['backup-type']}/${g['backup-id']}`).sort()).toEqual(expected.sort());
    const stale = groups.find((g) => g['backup-id'] === String(trouble.staleBackupGuest));
    const hours = (Date.now() / 1000 - (stale?.['last-backup'] ?? 0)) / 3600;
    expect(stale?.['backup-type']).toBe('ct');
    expect(Math.floor(hours)).toBe(77);
  });

  it('lists snapshots with file objects, sizes and exactly one failed verify (ct/106)', async () => {
    const { data } = await get('/admin/datastore/main/snapshots');
    const snaps = data as { 'backup-id': string; size: number; files: unknown[]; verification?: { state: string } }[];
    expect(snaps.every((s) => s.size > 0 && typeof s.files[0] === 'object')).toBe(true);
    const failed = snaps.filter((s) => s.verification?.state === 'failed');
    expect(failed.map((s) => s['backup-id'])).toEqual([String(trouble.staleBackupGuest)]);
    expect(snaps.some((s) => s.verification === undefined)).toBe(true);
  });

  it('reports usage with an estimated full date in the future and the GC warning', async () => {
    const { data } = await get('/status/datastore-usage');
    const [main] = data as { store: string; used: number; total: number; 'estimated-full-date': number }[];
    expect(main?.store).toBe('main');
    expect(main!['estimated-full-date']).toBeGreaterThan(Date.now() / 1000);
    const gc = (await get('/admin/datastore/main/gc')).data as { 'last-run-state': string; upid: string };
    expect(gc['last-run-state']).toBe('WARNINGS: 1');
    const log = await get(`/nodes/localhost/tasks/${encodeURIComponent(gc.upid)}/log?limit=0`);
    expect((log.data as { t: string }[]).some((l) => l.t.startsWith('WARN: warning: unable to access non-existent chunk'))).toBe(true);
  });

  it('has one failed task in the last 24 h: the backup of ct/106', async () => {
    const since = Math.floor(Date.now() / 1000) - 86_400;
    const { data } = await get(`/nodes/localhost/tasks?since=${since}&errors=1&limit=0`);
    const failed = (data as { worker_type: string; worker_id: string; status: string; upid: string }[]).filter((t) => !t.status.startsWith('WARNINGS'));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ worker_type: 'backup', worker_id: 'main:ct/106', status: 'backup ended but finished flag is not set.' });
    expect(failed[0]?.upid).toContain(':backup:main\\x3act-106:');
  });

  it('pages the task list and counts total the way PBS does', async () => {
    const { data, body } = await get('/nodes/localhost/tasks?limit=5');
    expect(data).toHaveLength(5);
    expect(body.total).toBe(6);
  });

  it('answers every GET with data matching the schema returns', async () => {
    const paths: [string, string][] = [
      ['/version', '/version'], ['/nodes/{node}/status', '/nodes/localhost/status'], ['/admin/datastore', '/admin/datastore'],
      ['/admin/datastore/{store}/status', '/admin/datastore/main/status?verbose=1'], ['/status/datastore-usage', '/status/datastore-usage'],
      ['/admin/datastore/{store}/groups', '/admin/datastore/main/groups'], ['/admin/datastore/{store}/snapshots', '/admin/datastore/main/snapshots'],
      ['/admin/datastore/{store}/gc', '/admin/datastore/main/gc'], ['/admin/gc', '/admin/gc'], ['/admin/verify', '/admin/verify'],
      ['/nodes/{node}/tasks', '/nodes/localhost/tasks?limit=0'],
    ];
    for (const [template, path] of paths) {
      const { data } = await get(path);
      const value = template.endsWith('/snapshots') ? normaliseSnapshotFiles(data) : data;
      expect(returnsErrors(value, endpointSchema('GET', template).returns), path).toEqual([]);
    }
    const tasks = (await get('/nodes/localhost/tasks?limit=3')).data as { upid: string }[];
    const status = (await get(`/nodes/localhost/tasks/${encodeURIComponent(tasks[0]!.upid)}/status`)).data;
    expect(returnsErrors(status, endpointSchema('GET', '/nodes/{node}/tasks/{upid}/status').returns)).toEqual([]);
  });
});

describe('PBS simulator: GC and verify tasks', () => {
  it('runs GC as a task that warns while a snapshot needs the missing chunk', async () => {
    sim.knobs.taskDurationMs = 60_000;
    const upid = await post('/admin/datastore/main/gc');
    sim.knobs.taskDurationMs = 30;
    expect(upid).toMatch(/^UPID:pbs:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:garbage_collection:main:root@pam!homelab:$/);
    const status = (await get(`/nodes/localhost/tasks/${encodeURIComponent(upid)}/status`)).data as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'running', type: 'garbage_collection', id: 'main', user: 'root@pam', tokenid: 'homelab' });
    const task = sim.state.tasks.tasks.find((t) => t.upid === upid);
    if (task) task.finishAtMs = 0; // let it finish now instead of in a minute
    const done = await waitTask(upid);
    expect(done.exitstatus).toBe('WARNINGS: 1');
    expect(done.log.at(-1)).toBe('TASK WARNINGS: 1');
    expect(((await get('/admin/datastore/main/gc')).data as { upid: string }).upid).toBe(upid);
  });

  it('fails the next GC when the knob is set, and only the next', async () => {
    sim.knobs.failNext.gc = true;
    const failed = await waitTask(await post('/admin/datastore/main/gc'));
    expect(failed.exitstatus).toBe(DEFAULT_GC_FAILURE);
    expect(failed.log.at(-1)).toBe(`TASK ERROR: ${DEFAULT_GC_FAILURE}`);
    expect(((await get('/admin/datastore/main/gc')).data as Record<string, unknown>)['last-run-state']).toBe(DEFAULT_GC_FAILURE);
    expect((await waitTask(await post('/admin/datastore/main/gc'))).exitstatus).toBe('WARNINGS: 1');
  });

  it('refuses a second GC while one runs, as the GC lock does', async () => {
    sim.knobs.taskDurationMs = 60_000;
    const first = await post('/admin/datastore/main/gc');
    const second = await waitTask(await post('/admin/datastore/main/gc'));
    expect(second.exitstatus).toBe('Start GC failed - (already running/locked)');
    const abort = await raw(sim.url, 'DELETE', `/nodes/localhost/tasks/${encodeURIComponent(first)}`, { authorization: auth });
    expect(abort.status).toBe(200);
    expect((await waitTask(first)).exitstatus).toBe('abort requested - aborting task');
    sim.knobs.taskDurationMs = 30;
  });

  it('verifies new snapshots OK, and fails on the knob or on the broken snapshot', async () => {
    const ok = await waitTask(await post('/admin/datastore/main/verify'));
    expect(ok.exitstatus).toBe('OK');
    const snaps = (await get('/admin/datastore/main/snapshots')).data as { verification?: unknown }[];
    expect(snaps.every((s) => s.verification !== undefined)).toBe(true);
    sim.knobs.failNext.verify = true;
    const knob = await waitTask(await post('/admin/datastore/main/verify', { 'backup-type': 'vm', 'backup-id': '200' }));
    expect(knob.exitstatus).toBe(VERIFY_FAILED);
    expect(knob.log).toContain('Failed to verify the following snapshots/groups:');
    const broken = await waitTask(await post('/admin/datastore/main/verify', { 'backup-type': 'ct', 'backup-id': '106', 'ignore-verified': '0' }));
    expect(broken.exitstatus).toBe(VERIFY_FAILED);
    expect(broken.log.at(-1)).toBe(`TASK ERROR: ${VERIFY_FAILED}`);
  });

  it('reads an unknown but well-formed UPID as stopped with exit status unknown', async () => {
    const upid = 'UPID:pbs:000002D5:00000C41:000FFFFF:67F0A1B2:garbage_collection:main:root@pam:';
    const status = (await get(`/nodes/localhost/tasks/${encodeURIComponent(upid)}/status`)).data;
    expect(status).toMatchObject({ status: 'stopped', exitstatus: 'unknown' });
  });
});
