/**
 * The PBS client over real HTTPS sockets against the simulator: the token header with
 * its colon separator, TLS pinning, error mapping from PBS's plain-text bodies, and
 * waiting on GC/verify UPIDs with the waiter PVE uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, AuthError, OperationError, TlsError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { PbsClient, pbsAuthHeader } from '../../../src/services/pbs/index.js';
import { DEFAULT_GC_FAILURE, startPbsSim, VERIFY_FAILED, type PbsSim } from '../../../src/services/pbs/sim/index.js';
import { waitForTask } from '../../../src/services/proxmox/tasks.js';

let sim: PbsSim;

function client(options: { authorization?: string; fingerprint?: string } = {}): PbsClient {
  const authorization = options.authorization ?? pbsAuthHeader(sim.tokenId, sim.tokenSecret);
  return new PbsClient(new HttpClient({
    service: 'pbs', baseUrl: `${sim.url}/api2/json`, fingerprint: options.fingerprint ?? sim.fingerprint, backoffMs: 10,
    headers: () => ({ authorization }),
  }), { url: sim.url, stale_hours: 26, task_poll_ms: 20 });
}

const wait = (c: PbsClient, upid: string): ReturnType<typeof waitForTask> => waitForTask(c, upid, { label: 'task', pollMs: 20 });

beforeAll(async () => {
  sim = await startPbsSim({ taskDurationMs: 100, authFailDelayMs: 0, forbiddenDelayMs: 0 });
});
afterAll(async () => {
  await closeAllAgents();
  await sim.close();
});

describe('PBS client', () => {
  it('sends PBSAPIToken=USER@REALM!TOKENID:SECRET, with a colon before the secret', async () => {
    const before = sim.requests.length;
    expect((await client().datastores()).map((d) => d.store)).toEqual(['main']);
    const sent = sim.requests[before]?.headers.authorization;
    expect(sent).toBe(`PBSAPIToken=root@pam!homelab:${sim.tokenSecret}`);
  });

  it('is refused when the secret follows "=" as in PVE, which is why the colon matters', async () => {
    const pveStyle = `PBSAPIToken=${sim.tokenId}=${sim.tokenSecret}`;
    const err = await client({ authorization: pveStyle }).datastores().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).exitCode).toBe(5);
    expect((err as AuthError).message).toBe('pbs: authentication refused (authentication failed - invalid token name)');
  });

  it('reports a wrong secret as an auth error without the secret', async () => {
    const err = await client({ authorization: pbsAuthHeader(sim.tokenId, 'wrong-secret-value') }).usage().catch((e: unknown) => e);
    expect((err as AuthError).message).toBe('pbs: authentication refused (authentication failed - invalid credentials)');
    expect((err as AuthError).message).not.toContain('wrong-secret-value');
  });

  it('refuses a certificate that does not match the pin before sending the token', async () => {
    const before = sim.requests.length;
    const err = await client({ fingerprint: Array(32).fill('AB').join(':') }).datastores().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TlsError);
    expect((err as TlsError).actualFingerprint?.toUpperCase()).toBe(sim.fingerprint?.toUpperCase());
    expect(sim.requests.length).toBe(before);
  });

  it('maps a 403 to a permission error naming the privileges', async () => {
    const secret = sim.addToken('audit', ['Datastore.Audit']);
    const err = await client({ authorization: pbsAuthHeader('root@pam!audit', secret) }).startGc('main').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).message).toBe('pbs: permission denied (permission check failed)');
    expect((err as AuthError).hint).toContain('Datastore.Modify');
  });

  it('turns plain-text parameter errors into field errors', async () => {
    const err = await client().get('/nodes/localhost/tasks', z.unknown(), { limit: 'many', bogus: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fieldErrors).toEqual({ limit: 'invalid digit found in string', bogus: 'schema does not allow additional properties.' });
    expect((err as ApiError).message).toBe('pbs: parameter verification errors: limit: invalid digit found in string; bogus: schema does not allow additional properties.');
  });

  it('names an unknown datastore with the server words', async () => {
    const err = await client().gcStatus('offsite').catch((e: unknown) => e);
    expect((err as ApiError).message).toBe("pbs: no such datastore 'offsite'");
  });

  it('reads snapshots whose files are objects (as servers send them)', async () => {
    const snaps = await client().snapshots('main', { type: 'ct', id: '106' });
    expect(snaps).toHaveLength(7);
    expect(snaps[0]?.files?.[0]).toMatchObject({ filename: 'pct.conf.blob' });
  });

  it('waits on a GC UPID until it stops; warnings are not success (exit 1 with the log)', async () => {
    const c = client();
    const upid = await c.startGc('main');
    const err = await wait(c, upid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).exitCode).toBe(1);
    expect((err as OperationError).message).toMatch(/finished with warnings: WARNINGS: 1$/);
    expect((err as OperationError).details?.at(-1)).toBe('TASK WARNINGS: 1');
  });

  it('fails a GC task that ends in error with the last lines of its log', async () => {
    sim.knobs.failNext.gc = true;
    const c = client();
    const err = await wait(c, await c.startGc('main')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationError);
    expect((err as OperationError).exitCode).toBe(1);
    expect((err as OperationError).message).toBe(`task failed: ${DEFAULT_GC_FAILURE}`);
    expect((err as OperationError).details?.at(-1)).toBe(`TASK ERROR: ${DEFAULT_GC_FAILURE}`);
  });

  it('fails a verify task that finds a bad chunk, and passes one that does not', async () => {
    const c = client();
    expect((await wait(c, await c.startVerify('main'))).exitstatus).toBe('OK');
    sim.knobs.failNext.verify = true;
    const err = await wait(c, await c.startVerify('main', { 'backup-type': 'vm', 'backup-id': '200', 'ignore-verified': false })).catch((e: unknown) => e);
    expect((err as OperationError).message).toBe(`task failed: ${VERIFY_FAILED}`);
    expect((err as OperationError).details).toContain('Failed to verify the following snapshots/groups:');
  });

  it('sent only requests the server accepted as valid (none refused by the parameter check)', () => {
    const refused = sim.requests.filter((r) => r.status === 400 && !r.query.has('bogus') && !r.path.endsWith('/offsite/gc'));
    expect(refused.map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([]);
  });
});
