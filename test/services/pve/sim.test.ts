/**
 * The PVE simulator over real sockets, with plain undici requests shaped after the fact
 * sheet (shared/api/pve.md): auth, envelopes, error shapes, tasks, the seeded story.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestById, lab } from '../../../src/lab/inventory.js';
import { selfSignedCert } from '../../../src/lab/sim-cert.js';
import { startPveSim, type PveSim } from '../../../src/services/pve/sim/index.js';
import { routeTable } from '../../../src/services/pve/sim/routes/table.js';
import { endpoints } from '../../../src/services/pve/sim/schema.js';

const UPID_RE = /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/;

let sim: PveSim;
let agent: Agent;

interface Answer { status: number; reason: string; type: string | null; text: string; json: { data?: unknown; total?: number; message?: string; errors?: Record<string, string> } | undefined }

/** One API call; `auth` is a full Authorization header value, or null for none. */
async function call(method: string, path: string, opts: { auth?: string | null; form?: Record<string, string>; json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  const auth = opts.auth === undefined ? `PVEAPIToken=${sim.tokens.cli.id}=${sim.tokens.cli.secret}` : opts.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${sim.url}/api2/json${path}`, { method, headers, body, dispatcher: agent });
  const text = await res.text();
  let json: Answer['json'];
  try { json = JSON.parse(text) as Answer['json']; } catch { json = undefined; }
  return { status: res.status, reason: res.statusText, type: res.headers.get('content-type'), text, json };
}

const ro = (): string => `PVEAPIToken=${sim.tokens.readonly.id}=${sim.tokens.readonly.secret}`;
const enc = encodeURIComponent;

async function taskStatus(node: string, upid: string): Promise<Record<string, unknown>> {
  return (await call('GET', `/nodes/${node}/tasks/${enc(upid)}/status`)).json?.data as Record<string, unknown>;
}

async function waitStopped(node: string, upid: string): Promise<Record<string, unknown>> {
  for (;;) {
    const s = await taskStatus(node, upid);
    if (s.status === 'stopped') return s;
    await new Promise((r) => setTimeout(r, 40));
  }
}

async function taskLog(node: string, upid: string): Promise<string[]> {
  const log = await call('GET', `/nodes/${node}/tasks/${enc(upid)}/log?start=0&limit=500`);
  return (log.json?.data as { n: number; t: string }[]).map((l) => l.t);
}

beforeAll(async () => {
  sim = await startPveSim({ taskDurationMs: 400, authFailDelayMs: 20 });
  agent = new Agent({ connect: { ca: (await selfSignedCert()).cert } });
});

afterAll(async () => {
  await sim.close();
  await agent.close();
});

describe('pve simulator: transport and auth', () => {
  it('answers in the {data} envelope with the PVE content type', async () => {
    const r = await call('GET', '/version');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/json;charset=UTF-8');
    expect(r.json?.data).toMatchObject({ version: lab.pveVersion, release: lab.pveVersion.split('.').slice(0, 2).join('.') });
  });

  it('refuses missing and wrong tokens with 401, the reason phrase and no JSON body', async () => {
    const none = await call('GET', '/version', { auth: null });
    expect([none.status, none.reason, none.text]).toEqual([401, 'No ticket', '']);
    const wrong = await call('GET', '/version', { auth: `PVEAPIToken=${sim.tokens.cli.id}=00000000-0000-0000-0000-000000000000` });
    expect([wrong.status, wrong.reason, wrong.text]).toEqual([401, 'Authentication failed!', '']);
    const unknown = await call('GET', '/version', { auth: 'PVEAPIToken=nobody@pve!x=secret' });
    expect(unknown.status).toBe(401);
  });

  it('accepts the space form and an URL-escaped token id', async () => {
    expect((await call('GET', '/version', { auth: `PVEAPIToken ${sim.tokens.cli.id}=${sim.tokens.cli.secret}` })).status).toBe(200);
    expect((await call('GET', '/version', { auth: `PVEAPIToken=${enc(sim.tokens.cli.id)}=${sim.tokens.cli.secret}` })).status).toBe(200);
  });

  it('logs in root@pam with a ticket and requires the CSRF token on writes', async () => {
    const login = await call('POST', '/access/ticket', { auth: null, form: { username: 'root@pam', password: sim.rootPassword } });
    const t = login.json?.data as { ticket: string; CSRFPreventionToken: string; username: string };
    expect(t.username).toBe('root@pam');
    const cookie = { cookie: `PVEAuthCookie=${enc(t.ticket)}` };
    expect((await call('GET', '/nodes', { auth: null, headers: cookie })).status).toBe(200);
    const noCsrf = await call('POST', '/nodes/pve1/apt/update', { auth: null, headers: cookie });
    expect([noCsrf.status, noCsrf.reason]).toEqual([401, 'Permission denied - invalid csrf token']);
    const ok = await call('POST', '/nodes/pve1/apt/update', { auth: null, headers: { ...cookie, CSRFPreventionToken: t.CSRFPreventionToken } });
    expect(ok.json?.data).toMatch(/^UPID:pve1:.*:aptupdate::root@pam:$/);
    const bad = await call('POST', '/access/ticket', { auth: null, form: { username: 'root@pam', password: 'nope' } });
    expect([bad.status, bad.reason]).toEqual([401, 'authentication failure']);
  });
});

describe('pve simulator: errors as PVE shapes them', () => {
  it('answers 400 Parameter verification failed with one entry per parameter and records it', async () => {
    sim.schemaViolations.length = 0;
    const r = await call('POST', '/nodes/pve1/qemu/200/snapshot', { form: { snapname: '1bad', vmstate: 'true', colour: 'red' } });
    expect([r.status, r.reason]).toEqual([400, 'Parameter verification failed.']);
    expect(r.json?.data).toBeNull();
    expect(r.json?.message).toMatch(/^Parameter verification failed\./);
    expect(r.json?.errors).toEqual({
      snapname: "invalid format - invalid configuration ID '1bad'\n",
      vmstate: "type check ('boolean') failed - got 'true'",
      colour: 'property is not defined in schema and the schema does not allow additional properties',
    });
    expect(sim.schemaViolations).toEqual([
      { method: 'POST', path: '/nodes/pve1/qemu/200/snapshot', template: '/nodes/{node}/qemu/{vmid}/snapshot', errors: r.json?.errors },
    ]);
    const vmid = await call('GET', '/nodes/pve1/qemu/99/status/current');
    expect(vmid.json?.errors).toEqual({ vmid: 'invalid format - value does not look like a valid VM ID\n' });
    const range = await call('GET', '/nodes/pve1/tasks?limit=-1&source=old');
    expect(Object.keys(range.json?.errors ?? {}).sort()).toEqual(['limit', 'source']);
    sim.schemaViolations.length = 0;
  });

  it('answers 501 for unknown methods (JSON) and for a body on DELETE (no body)', async () => {
    sim.schemaViolations.length = 0;
    const unknown = await call('GET', '/foo');
    expect([unknown.status, unknown.reason]).toEqual([501, "Method 'GET /foo' not implemented"]);
    expect(unknown.json).toEqual({ data: null, message: "Method 'GET /foo' not implemented" });
    const body = await call('DELETE', '/nodes/pve1/tasks/x', { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([body.status, body.reason, body.text]).toEqual([501, "Unexpected content for method 'DELETE'", '']);
    expect(sim.schemaViolations.map((v) => v.method)).toEqual(['GET', 'DELETE']);
    sim.schemaViolations.length = 0;
  });

  it('answers 403 to the read-only token on power, snapshot and apt-list calls, but lets it read', async () => {
    const power = await call('POST', '/nodes/pve2/lxc/105/status/shutdown', { auth: ro() });
    expect([power.status, power.reason]).toEqual([403, 'Permission check failed (/vms/105, VM.PowerMgmt)']);
    const snap = await call('POST', '/nodes/pve2/lxc/105/snapshot/none/rollback', { auth: ro() });
    expect(snap.reason).toBe('Permission check failed (/vms/105, VM.Snapshot|VM.Snapshot.Rollback)');
    const apt = await call('GET', '/nodes/pve1/apt/update', { auth: ro() });
    expect([apt.status, apt.reason]).toEqual([403, 'Permission check failed (/nodes/pve1, Sys.Modify)']);
    expect((await call('GET', '/cluster/resources?type=vm', { auth: ro() })).status).toBe(200);
    const perms = (await call('GET', '/access/permissions?path=/vms', { auth: ro() })).json?.data as Record<string, Record<string, number>>;
    expect(perms['/vms']).toHaveProperty('VM.Audit', 1);
    expect(perms['/vms']).not.toHaveProperty('VM.PowerMgmt');
  });

  it('fails like a missing config file when a guest is asked on the wrong node, and for unknown nodes', async () => {
    const wrong = await call('GET', '/nodes/pve1/qemu/201/status/current');
    expect([wrong.status, wrong.reason]).toEqual([500, "Configuration file 'nodes/pve1/qemu-server/201.conf' does not exist"]);
    expect(wrong.json?.message).toBe("Configuration file 'nodes/pve1/qemu-server/201.conf' does not exist\n");
    const node = await call('GET', '/nodes/pve9/lxc');
    expect(node.status).toBe(500);
    expect(node.reason).toMatch(/^hostname lookup 'pve9' failed/);
  });

  it('answers 595 for calls proxied to a node that is down, and shows it offline', async () => {
    const pve2 = sim.state.nodes.get('pve2');
    if (!pve2) throw new Error('no pve2');
    pve2.status = 'offline';
    try {
      const r = await call('GET', '/nodes/pve2/lxc');
      expect([r.status, r.reason]).toEqual([595, 'No route to host']);
      const nodes = (await call('GET', '/nodes')).json?.data as { node: string; status: string }[];
      expect(nodes.map((n) => `${n.node}:${n.status}`)).toEqual(['pve1:online', 'pve2:offline']);
      const vms = (await call('GET', '/cluster/resources?type=vm')).json?.data as { vmid: number; status: string }[];
      expect(vms.find((v) => v.vmid === 105)?.status).toBe('unknown');
      expect(vms.find((v) => v.vmid === 100)?.status).toBe('running');
    } finally {
      pve2.status = 'online';
    }
  });

  it('dies in the call itself where PVE does (500), and in the task where PVE does', async () => {
    const ct = await call('POST', '/nodes/pve1/lxc/100/status/start');
    expect([ct.status, ct.reason]).toEqual([500, 'CT 100 already running']);
    const reset = await call('POST', '/nodes/pve2/qemu/202/status/reset');
    expect([reset.status, reset.reason]).toEqual([500, 'VM 202 not running']);
    const start = await call('POST', '/nodes/pve1/qemu/200/status/start');
    expect(start.status).toBe(200);
    const done = await waitStopped('pve1', start.json?.data as string);
    expect(done.exitstatus).toBe('VM 200 already running');
    expect((await taskLog('pve1', start.json?.data as string)).at(-1)).toBe('TASK ERROR: VM 200 already running');
  });
});

describe('pve simulator: tasks', () => {
  it('runs a power action as a task: fresh UPID, running, then stopped OK with TASK OK, state changed at the end', async () => {
    expect(sim.state.guests.get(201)?.status).toBe('stopped');
    const r = await call('POST', '/nodes/pve2/qemu/201/status/start', { json: { timeout: 30 } });
    const upid = r.json?.data as string;
    const m = UPID_RE.exec(upid);
    expect(m?.[1]).toBe('pve2');
    expect([m?.[6], m?.[7], m?.[8]]).toEqual(['qmstart', '201', 'homelab@pve!cli']);
    const first = await taskStatus('pve2', upid);
    expect(first).toMatchObject({ upid, node: 'pve2', type: 'qmstart', id: '201', user: 'homelab@pve', tokenid: 'cli', status: 'running' });
    expect(first).not.toHaveProperty('exitstatus');
    expect(sim.state.guests.get(201)?.status).toBe('stopped');
    const done = await waitStopped('pve2', upid);
    expect(done.exitstatus).toBe('OK');
    expect((await taskLog('pve2', upid)).at(-1)).toBe('TASK OK');
    const current = (await call('GET', '/nodes/pve2/qemu/201/status/current')).json?.data as Record<string, unknown>;
    expect(current).toMatchObject({ status: 'running', qmpstatus: 'running', ha: { managed: 0 } });
    const list = await call('GET', `/nodes/pve2/tasks?vmid=201&typefilter=qmstart&limit=1`);
    expect(list.json?.total).toBeGreaterThanOrEqual(2);
    expect(list.json?.data).toEqual([expect.objectContaining({ upid, status: 'OK', user: 'homelab@pve', tokenid: 'cli' })]);
  });

  it('fails the next matching task on request, leaving the state as it was', async () => {
    sim.failNextTask(107, 'simulated failure');
    const r = await call('POST', '/nodes/pve2/lxc/107/status/shutdown', { form: { timeout: '10' } });
    const done = await waitStopped('pve2', r.json?.data as string);
    expect(done.exitstatus).toBe('simulated failure');
    expect((await taskLog('pve2', r.json?.data as string)).at(-1)).toBe('TASK ERROR: simulated failure');
    expect(sim.state.guests.get(107)?.status).toBe('running');
  });

  it('creates and deletes a snapshot through tasks holding a config lock, with the current pseudo entry', async () => {
    const created = await call('POST', '/nodes/pve1/lxc/102/snapshot', { form: { snapname: 'sim_test', description: 'from the test' } });
    const upid = created.json?.data as string;
    expect(upid).toMatch(/:vzsnapshot:102:homelab@pve!cli:$/);
    expect(sim.state.guests.get(102)?.lock).toBe('snapshot');
    expect((await waitStopped('pve1', upid)).exitstatus).toBe('OK');
    const log = await taskLog('pve1', upid);
    expect(log[0]).toBe("snapshotting 'rootfs' (local-lvm:vm-102-disk-0)");
    expect(log.at(-1)).toBe('TASK OK');
    const list = (await call('GET', '/nodes/pve1/lxc/102/snapshot')).json?.data as { name: string; parent?: string; description: string }[];
    expect(list.map((s) => s.name)).toEqual(['before_upgrade', 'sim_test', 'current']);
    expect(list.find((s) => s.name === 'sim_test')).toMatchObject({ parent: 'before_upgrade', description: 'from the test' });
    expect(list.at(-1)).toMatchObject({ description: 'You are here!', parent: 'sim_test' });
    const dup = await call('POST', '/nodes/pve1/lxc/102/snapshot', { form: { snapname: 'sim_test' } });
    expect((await waitStopped('pve1', dup.json?.data as string)).exitstatus).toBe("snapshot name 'sim_test' already used");
    const del = await call('DELETE', '/nodes/pve1/lxc/102/snapshot/sim_test');
    expect((await waitStopped('pve1', del.json?.data as string)).exitstatus).toBe('OK');
    const after = (await call('GET', '/nodes/pve1/lxc/102/snapshot')).json?.data as { name: string; parent?: string }[];
    expect(after.map((s) => s.name)).toEqual(['before_upgrade', 'current']);
    expect(after.at(-1)?.parent).toBe('before_upgrade');
  });

  it('stops a running task on DELETE with "received interrupt"', async () => {
    const release = sim.holdTasks('aptupdate');
    let upid = '';
    try {
      upid = (await call('POST', '/nodes/pve1/apt/update', { form: { quiet: '1' } })).json?.data as string;
      expect((await call('DELETE', `/nodes/pve1/tasks/${enc(upid)}`)).json).toEqual({ data: null });
    } finally {
      release();
    }
    const s = await taskStatus('pve1', upid);
    expect(s).toMatchObject({ status: 'stopped', exitstatus: 'received interrupt' });
    const active = await call('GET', '/nodes/pve1/tasks?source=active');
    expect((active.json?.data as { upid: string }[]).map((t) => t.upid)).not.toContain(upid);
  });

  it('holds matching tasks running past their time until released; a held task can still be stopped', async () => {
    const release = sim.holdTasks('aptupdate');
    let held = '';
    let stopped = '';
    try {
      held = (await call('POST', '/nodes/pve1/apt/update', { form: { quiet: '1' } })).json?.data as string;
      stopped = (await call('POST', '/nodes/pve1/apt/update', { form: { quiet: '1' } })).json?.data as string;
      // A task that is not held, started after them, runs as long: when it has ended, theirs is over too.
      sim.failNextTask(107, 'simulated failure');
      const other = await call('POST', '/nodes/pve2/lxc/107/status/shutdown', { form: { timeout: '10' } });
      expect((await waitStopped('pve2', other.json?.data as string)).exitstatus).toBe('simulated failure');
      expect(await taskStatus('pve1', held)).toMatchObject({ status: 'running' });
      expect(await taskStatus('pve1', stopped)).toMatchObject({ status: 'running' });
      await call('DELETE', `/nodes/pve1/tasks/${enc(stopped)}`);
      expect(await taskStatus('pve1', stopped)).toMatchObject({ status: 'stopped', exitstatus: 'received interrupt' });
    } finally {
      release();
    }
    expect(await waitStopped('pve1', held)).toMatchObject({ exitstatus: 'OK' });
    expect((await taskLog('pve1', held)).at(-1)).toBe('TASK OK');
    expect(await taskStatus('pve1', stopped)).toMatchObject({ exitstatus: 'received interrupt' });
    expect((await taskLog('pve1', stopped)).filter((l) => l.startsWith('TASK '))).toEqual(['TASK ERROR: received interrupt']);
  });

  it('answers 400 for unparsable and unknown UPIDs, and pages the log with total', async () => {
    const bad = await call('GET', '/nodes/pve1/tasks/nonsense/status');
    expect(bad.json?.errors).toEqual({ upid: 'unable to parse worker upid' });
    const pve2Task = sim.state.tasks.find((t) => t.node === 'pve2' && t.type === 'vzdump');
    const elsewhere = await call('GET', `/nodes/pve1/tasks/${enc(pve2Task?.upid ?? '')}/status`);
    expect(elsewhere.json?.errors).toEqual({ upid: 'no such task' });
    const page = await call('GET', `/nodes/pve2/tasks/${enc(pve2Task?.upid ?? '')}/log?start=1&limit=2`);
    expect((page.json?.data as { n: number }[]).map((l) => l.n)).toEqual([2, 3]);
    expect(page.json?.total).toBe(pve2Task?.log.length);
  });
});

describe('pve simulator: the seeded story', () => {
  it('has 201 stopped although onboot=1, and the boot task that failed to start it', async () => {
    const s2 = await startPveSim({ taskDurationMs: 50, authFailDelayMs: 10 });
    try {
      const g = s2.state.guests.get(201);
      expect(g?.status).toBe('stopped');
      expect(g?.config.onboot).toBe(1);
      expect(guestById(201).onboot).toBe(true);
      const failedStart = s2.state.tasks.find((t) => t.type === 'qmstart' && t.id === '201');
      expect(failedStart?.exitstatus).not.toBe('OK');
    } finally {
      await s2.close();
    }
  });

  it("shows last night's failed backup job on pve2 in the error filter", async () => {
    const r = await call('GET', '/nodes/pve2/tasks?typefilter=vzdump&statusfilter=error&limit=1');
    const [job] = r.json?.data as { upid: string; status: string; user: string }[];
    expect(job).toMatchObject({ status: 'job errors', user: 'root@pam' });
    expect((await taskLog('pve2', job?.upid ?? '')).join('\n')).toMatch(/ERROR: Backup of VM 106 failed - .*No space left on device/);
  });

  it('lists the three storages, pbs as a shared backup storage, and resources with PVE ids', async () => {
    const storages = (await call('GET', '/nodes/pve1/storage')).json?.data as { storage: string; type: string; content: string; shared: number }[];
    expect(storages.map((s) => s.storage)).toEqual(['local', 'local-lvm', 'pbs']);
    expect(storages.find((s) => s.storage === 'pbs')).toMatchObject({ type: 'pbs', content: 'backup', shared: 1 });
    const ids = ((await call('GET', '/cluster/resources')).json?.data as { id: string }[]).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['qemu/200', 'lxc/101', 'node/pve1', 'storage/pve1/local']));
    const vms = (await call('GET', '/cluster/resources?type=vm')).json?.data as { type: string }[];
    expect(new Set(vms.map((v) => v.type))).toEqual(new Set(['qemu', 'lxc']));
    const backups = (await call('GET', '/nodes/pve2/storage/pbs/content?vmid=106')).json?.data as { volid: string; format: string }[];
    expect(backups[0]?.volid).toMatch(/^pbs:backup\/ct\/106\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('gives configs with digest, onboot, tags and the guest IP in net0 (containers)', async () => {
    const cfg = (await call('GET', '/nodes/pve1/lxc/100/config')).json?.data as Record<string, unknown>;
    expect(cfg).toMatchObject({ hostname: 'dns', onboot: 1, tags: 'infra' });
    expect(cfg.net0).toContain(`ip=${guestById(100).ip}/24`);
    expect(cfg.digest).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('pve simulator: schema copy', () => {
  it('has a handler for every endpoint in pve-schema.json and no handler without one', () => {
    const keys = endpoints.map((e) => `${e.method} ${e.path}`).sort();
    expect(Object.keys(routeTable).sort()).toEqual(keys);
  });

  const shared = new URL('../../../../shared/api/schema/pve-api.json', import.meta.url);
  it.skipIf(!existsSync(shared))('copies its endpoints unchanged from the full schema', () => {
    const full = JSON.parse(readFileSync(shared, 'utf8')) as { endpoints: { path: string; method: string }[] };
    for (const e of endpoints) {
      expect(full.endpoints.find((x) => x.path === e.path && x.method === e.method)).toEqual(e);
    }
  });
});
