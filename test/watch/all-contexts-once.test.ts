/**
 * `homelab watch --once --all-contexts` (cron over every lab) when a lab cannot be watched: that
 * lab (a bad `watch:` block) is logged `not watched`, every other lab is still checked, wherever
 * the bad lab comes in config.yaml, and the run then exits with the worst code (3). A schedule
 * croner refuses is no reason not to watch a lab here (a round uses none): only a warning. Runs
 * the built CLI against two simulated labs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLab } from '../../src/lab/lab.js';
import { runCli } from '../helpers/cli.js';
import { startTwoLabs, type TwoLabs } from '../helpers/two-labs.js';

let labs: TwoLabs;
beforeAll(async () => { labs = await startTwoLabs(['pve']); });
afterAll(async () => { await labs?.close(); });

const sections = (lab: RunningLab): Record<string, unknown> => Object.fromEntries([...lab.sims.values()].map((s) => [s.service, s.configSection]));

describe('watch --once --all-contexts with a lab that cannot be watched', () => {
  it('checks the labs after a bad first one, then exits 3 naming it', async () => {
    // The top-level `watch:` (the default lab's) has a typo; the office lab has a block of its own.
    labs.writeConfig({ watch: { for: '0s', checks: { guests: { fro: '1m' } } } }, {
      office: { services: sections(labs.office), watch: { for: '0s', checks: {} } },
    });
    try {
      const r = await runCli(['watch', '--once', '--all-contexts', '--stdout'], labs.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^homelab watch: \[default\] not watched: .*watch\.checks\.guests: Unrecognized key: "fro"/m);
      expect(r.stderr).toMatch(/^homelab watch: \[office\] guests: \d+ finding\(s\)/m);
      expect(r.stdout).toMatch(/^\[office\] 🔴 guests/m);
      expect(r.stderr).toMatch(/^homelab: watch --once: 1 lab not watched \(\[default\]\)$/m);
    } finally {
      labs.writeConfig();
    }
  }, 120_000);

  it('checks the labs before a bad last one, then exits 3 naming it', async () => {
    labs.writeConfig({ watch: { for: '0s', checks: {} } }, {
      office: { services: sections(labs.office), watch: { for: '0s', checks: { guests: { fro: '1m' } } } },
    });
    try {
      const r = await runCli(['watch', '--once', '--all-contexts', '--stdout'], labs.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/^homelab watch: \[default\] guests: \d+ finding\(s\)/m);
      expect(r.stdout).toMatch(/^\[default\] 🔴 guests/m);
      expect(r.stderr).toMatch(/^homelab watch: \[office\] not watched: .*watch\.checks\.guests: Unrecognized key: "fro"/m);
      expect(r.stderr).toMatch(/^homelab: watch --once: 1 lab not watched \(\[office\]\)$/m);
    } finally {
      labs.writeConfig();
    }
  }, 120_000);

  it('sends the digest of a lab with a schedule croner refuses (unused here), warning naming the key: exit 0', async () => {
    labs.writeConfig({ watch: { checks: { nodes: { schedule: '61 * * * *' } } } }, {
      office: { services: sections(labs.office), watch: { checks: {} } },
    });
    try {
      const r = await runCli(['watch', '--digest', '--all-contexts', '--stdout'], labs.env, { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^homelab watch: \[default\] warning: watch\.checks\.nodes\.schedule: "61 \* \* \* \*" is not a valid cron expression .*; watch --digest uses no schedule and runs all the same/m);
      expect(r.stderr).not.toMatch(/not watched/);
      expect(r.stdout).toMatch(/^\[office\] /m);
      expect(r.stdout).toMatch(/^\[default\] /m);
    } finally {
      labs.writeConfig();
    }
  }, 120_000);
});
