/**
 * The whole-number flags of the commands that are not operations (`serve --port`,
 * `mcp --http --port`, `lab --latency`/`--guests`) read a number as the operations do:
 * plain decimal digits. Hex, an exponent, a sign, surrounding space, a decimal point and an
 * empty value are a usage error (exit 2) naming the flag, before anything starts: never
 * `--port 0x50` serving on :80 or `--port=` on a random port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const PORT = 'homelab: --port must be a port number from 1 to 65535 (0 picks a free one)';
const BAD = [['0x50'], ['1e3'], ['+80'], [' 80'], ['80.0'], [''], ['-0']];

describe('number flags of serve, mcp and lab', () => {
  // An empty config home: nothing here may get as far as reading a config.
  const home = mkdtempSync(join(tmpdir(), 'homelab-number-flags-'));
  const env = { HOME: home, HOMELAB_CONFIG_HOME: join(home, 'config'), HOMELAB_DATA_HOME: join(home, 'data') };
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it.each(BAD)('serve --port %j is exit 2 naming --port', async (word) => {
    for (const args of [['serve', '--port', word], ['serve', `--port=${word}`]]) {
      const res = await runCli(args, env, { timeoutMs: 10_000 });
      expect([res.code, res.stderr.split('\n')[0]]).toEqual([2, PORT]);
    }
  });

  it.each(BAD)('mcp --http --port %j is exit 2 naming --port', async (word) => {
    const res = await runCli(['mcp', '--http', `--port=${word}`], env, { timeoutMs: 10_000 });
    expect([res.code, res.stderr.split('\n')[0]]).toEqual([2, PORT]);
  });

  it.each(BAD)('lab --latency %j and --guests with it are exit 2 naming the flag', async (word) => {
    const latency = await runCli(['lab', `--latency=${word}`], env, { timeoutMs: 10_000 });
    expect([latency.code, latency.stderr.split('\n')[0]]).toEqual([2, 'homelab: --latency must be a whole number from 0 to 60000']);
    const guests = await runCli(['lab', '--guests', word], env, { timeoutMs: 10_000 });
    expect([guests.code, guests.stderr.split('\n')[0]]).toEqual([2, 'homelab: --guests must be a whole number from 0 to 10000']);
  });

  it('still takes a plain decimal port: a bad --allow after it is the only complaint', async () => {
    const res = await runCli(['serve', '--port', '8480', '--allow', 'everything'], env, { timeoutMs: 10_000 });
    expect([res.code, res.stderr.split('\n')[0]]).toEqual([2, 'homelab: --allow must be change or danger (read is the default)']);
  });
});
