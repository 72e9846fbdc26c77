/**
 * `homelab watch --all-contexts` as a daemon when a lab cannot be watched: that lab (a schedule
 * croner refuses, a bad `watch:` block) is logged `not watched`,
 * the others are watched, and SIGTERM stops it with exit 0; when no lab can be watched it exits
 * 3 at once, leaving nothing running. Runs the built CLI against two simulated labs.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../src/lab/lab.js';
import { CLI, cliEnv, runCli } from '../helpers/cli.js';
import { startTwoLabs, type TwoLabs } from '../helpers/two-labs.js';
import { until } from '../surfaces/telegram/harness.js';

let labs: TwoLabs;
beforeAll(async () => { labs = await startTwoLabs(['pve']); });
afterAll(async () => { await labs?.close(); });

const sections = (lab: RunningLab): Record<string, unknown> => Object.fromEntries([...lab.sims.values()].map((s) => [s.service, s.configSection]));

describe('watch --all-contexts with a lab that cannot be watched', () => {
  it('watches the others, logs that one, and stops cleanly on SIGTERM', async () => {
    labs.writeConfig({ watch: { for: '0s' } }, {
      office: { services: sections(labs.office), watch: { checks: { guests: { schedule: 'not a cron' } } } },
      attic: { services: sections(labs.office), watch: { for: 'soon' } },
    });
    try {
      const child = spawn(process.execPath, [CLI, 'watch', '--all-contexts', '--stdout'], { env: { ...cliEnv(labs.home.dir), ...labs.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
      try {
        await until(() => /^\[default\] /m.test(stdout), `a [default] alert (stderr: ${stderr})`, 60_000);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited, stderr).toEqual({ code: 0, signal: null });
      for (const lab of ['office', 'attic']) expect(stderr).toMatch(new RegExp(`^homelab watch: \\[${lab}\\] not watched: `, 'm'));
      expect(stderr).toMatch(/^homelab watch: \[office\] not watched: .*watch\.checks\.guests\.schedule/m);
      expect(stderr).toMatch(/^homelab watch: \[default\] .* next at /m);
      expect(stdout).not.toMatch(/^\[(office|attic)\] /m);
    } finally {
      labs.writeConfig();
    }
  }, 120_000);

  it('exits 3 when no lab can be watched', async () => {
    labs.writeConfig({ watch: { checks: { guests: { schedule: 'not a cron' } } } });
    try {
      const r = await runCli(['watch', '--all-contexts', '--stdout'], labs.env, { timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^homelab watch: \[default\] not watched: /m);
      expect(r.stderr).toMatch(/^homelab watch: \[office\] not watched: /m);
      expect(r.stderr).toContain('no lab could be watched');
    } finally {
      labs.writeConfig();
    }
  }, 60_000);
});
