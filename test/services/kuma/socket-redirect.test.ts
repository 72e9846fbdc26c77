/**
 * A Kuma URL whose Socket.IO handshake is answered with a redirect: the session fails at
 * once with the same exit-3 line as `/metrics` (`kuma: redirected to <origin> (HTTP 301):
 * set services.kuma.url to where it redirects`), not after the connect timeout as an
 * unreachable host. A loopback server over a real socket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/core/errors.js';
import { RedirectError } from '../../../src/core/http/index.js';
import { startSimServer, type SimServer } from '../../../src/lab/sim-server.js';
import { KumaClient } from '../../../src/services/kuma/client.js';
import { KumaTokenCache } from '../../../src/services/kuma/token-cache.js';

let moved: SimServer;
const dir = mkdtempSync(join(tmpdir(), 'kuma-redirect-'));
beforeAll(async () => {
  moved = await startSimServer({ name: 'moved', handle: ({ res }) => void res.writeHead(301, { location: 'http://127.0.0.2:3001/' }).end() });
});
afterAll(async () => {
  await moved.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a Kuma URL that redirects the Socket.IO handshake', () => {
  it('is refused as a redirect (exit 3) naming where it points, not retried as unreachable', async () => {
    // A connect timeout far longer than the test's: only a refusal at once ends it in time.
    const client = new KumaClient({ url: moved.url, timeoutMs: 60_000, username: 'admin', password: 'pw', tokens: new KumaTokenCache(dir, moved.url, 'admin') });
    try {
      const err = await client.resolve('media').then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(RedirectError);
      expect((err as RedirectError).exitCode).toBe(ExitCode.config);
      expect((err as Error).message).toBe('kuma: redirected to http://127.0.0.2:3001 (HTTP 301): set services.kuma.url to where it redirects');
    } finally {
      await client.close();
    }
  });
});
