/**
 * `status --timeout` and `check --timeout` outside 1 to 300 seconds: one line naming the
 * range (exit 2), not "must be a number of seconds" for a number of seconds. The built CLI;
 * the input is refused before any service is asked, so no lab is needed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

const home = mkdtempSync(join(tmpdir(), 'homelab-timeout-range-'));
const env = { HOMELAB_CONFIG_HOME: join(home, 'config'), HOMELAB_DATA_HOME: join(home, 'data'), HOMELAB_CONTEXT: '' };
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('--timeout out of range', () => {
  for (const command of ['status', 'check']) {
    for (const value of ['0', '301', '3600', 'soon']) {
      it(`${command} --timeout ${value} names the range`, async () => {
        const run = await runCli([command, '--timeout', value], env);
        expect(run.stderr.trim()).toBe(`homelab: ${command}: --timeout must be from 1 to 300 seconds`);
        expect(run.code).toBe(2);
      });
    }
  }
});
