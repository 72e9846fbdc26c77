/**
 * The Beszel SDK's fetch adapter handed a header no request can carry (a token holding a
 * newline): a local fault (exit 1) naming the call, through `beszelError` unchanged, with
 * nothing sent; not "not the JSON a hub sends" and not "cannot reach".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExitCode, HomelabError } from '../../../src/core/errors.js';
import { HttpClient, closeAllAgents } from '../../../src/core/http/index.js';
import { sendJson, startSimServer, type SimServer } from '../../../src/lab/sim-server.js';
import { beszelError, fetchVia } from '../../../src/services/beszel/transport.js';

let hub: SimServer;
beforeAll(async () => {
  hub = await startSimServer({ name: 'beszel', handle: ({ res }) => sendJson(res, 200, { page: 1, perPage: 30, totalItems: 0, totalPages: 0, items: [] }) });
});
afterAll(async () => {
  await closeAllAgents();
  await hub.close();
});

it('a header that cannot be built fails as a local fault (exit 1) before anything is sent', async () => {
  const http = new HttpClient({ service: 'beszel', baseUrl: `${hub.url}/api` });
  const err = await fetchVia(http)(`${hub.url}/api/collections/systems/records`, { headers: { authorization: 'abc\ndef' } })
    .then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(HomelabError);
  const typed = beszelError(err, 'list systems');
  expect(typed.exitCode).toBe(ExitCode.failed);
  expect(typed.message).toBe('beszel: cannot send GET /api/collections/systems/records: a header holds a character HTTP does not allow');
  expect(hub.requests).toHaveLength(0);
});
