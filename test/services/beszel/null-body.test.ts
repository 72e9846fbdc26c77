/**
 * A Beszel hub (or a proxy in front of it) that answers `null`, or JSON of the wrong
 * shape, to a request: the built CLI exits 1 with "unexpected answer from beszel", never
 * a raw TypeError and never exit 4 (the hub did answer).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

let server: Server;
let dir: string;
let env: Record<string, string>;
/** What the hub answers to record lists and views. */
let answer = 'null';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url?.includes('/auth-with-password')) {
        res.end(JSON.stringify({ token: 'header.eyJleHAiOjQxMDI0NDQ4MDB9.sig', record: { id: 'u1', email: 'admin@home.lan', verified: true } }));
      } else if (req.url?.includes('/auth-refresh')) {
        res.end(JSON.stringify({ token: 'header.eyJleHAiOjQxMDI0NDQ4MDB9.sig', record: { id: 'u1' } }));
      } else {
        res.end(answer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = mkdtempSync(join(tmpdir(), 'beszel-null-'));
  const config = join(dir, 'config');
  env = { HOMELAB_CONFIG_HOME: config, HOMELAB_DATA_HOME: join(dir, 'data') };
  mkdirSync(join(config, 'homelab'), { recursive: true });
  mkdirSync(join(config, 'beszel'), { recursive: true, mode: 0o700 });
  writeFileSync(join(config, 'homelab', 'config.yaml'), `services:\n  beszel:\n    url: http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  const creds = join(config, 'beszel', 'credentials');
  writeFileSync(creds, 'BESZEL_EMAIL=admin@home.lan\nBESZEL_PASSWORD=beszel-null-password\n', { mode: 0o600 });
  chmodSync(creds, 0o600);
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('beszel: an answer of the wrong shape', () => {
  for (const [what, body] of [['null', 'null'], ['a number', '42'], ['a list without items', '{"page":1}'], ['an array', '[]']] as const) {
    it(`exits 1 with "unexpected answer from beszel" when a list answers ${what}`, async () => {
      answer = body;
      for (const args of [['beszel', 'systems'], ['beszel', 'alerts']]) {
        const result = await runCli(args, env);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(/^homelab: .*unexpected answer from beszel/);
        expect(result.stderr).not.toMatch(/TypeError|Cannot read properties/);
        expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      }
    });
  }
});
