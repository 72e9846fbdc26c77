/**
 * One rule for the lab a command runs in (docs/contexts.md): a command that runs in one lab
 * refuses a current lab the config does not define (exit 3), chosen by `--context`,
 * HOMELAB_CONTEXT or `current_context`; the commands that run in no one lab (`completion`,
 * `lab`, `demo`, and the `--all-contexts` fan-outs `status` and `watch`) ignore that
 * choice entirely, flag and environment alike.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startTwoLabs, type TwoLabs } from '../../helpers/two-labs.js';

let labs: TwoLabs;
beforeAll(async () => { labs = await startTwoLabs(['pve']); });
afterAll(async () => { await labs?.close(); });

const choices: [string, string[], Record<string, string>][] = [
  ['HOMELAB_CONTEXT', [], { HOMELAB_CONTEXT: 'nope' }],
  ['--context', ['--context', 'nope'], {}],
];

describe('a current lab the config does not define', () => {
  it.each(choices)('(%s) is refused by a command that runs in one lab (exit 3)', async (_from, args, env) => {
    const r = await runCli([...args, 'pve', 'list'], { ...labs.env, ...env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown context "nope"');
  });

  it.each(choices)('(%s) is ignored by completion, lab --help and demo --help', async (_from, args, env) => {
    const script = await runCli([...args, 'completion', 'bash'], { ...labs.env, ...env });
    expect([script.code, script.stderr]).toEqual([0, '']);
    expect(script.stdout).toContain('_homelab_completion()');
    for (const command of ['lab', 'demo']) {
      const help = await runCli([...args, command, '--help'], { ...labs.env, ...env });
      expect([help.code, help.stderr], command).toEqual([0, '']);
      expect(help.stdout).toContain(`Usage: homelab ${command}`);
    }
  });

  it('is ignored by status --all-contexts and watch --once --all-contexts: every lab runs', async () => {
    const env = { ...labs.env, HOMELAB_CONTEXT: 'nope' };
    const status = await runCli(['status', '--all-contexts', '--json'], env, { timeoutMs: 60_000 });
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { context: string; error: unknown }[]).map((o) => [o.context, o.error])).toEqual([['default', null], ['office', null]]);
    const watch = await runCli(['watch', '--once', '--stdout', '--all-contexts'], env, { timeoutMs: 90_000 });
    expect(watch.code, watch.stderr).toBe(0);
    expect(watch.stderr).toContain('homelab watch: [office] ');
    expect(watch.stderr).toContain('homelab watch: [default] ');
  }, 120_000);

  it('named by current_context (a removed lab) is ignored by watch --all-contexts too', async () => {
    const path = join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `${text}current_context: removed\n`);
    try {
      expect((await runCli(['pve', 'list'], labs.env)).code).toBe(3);
      const watch = await runCli(['watch', '--once', '--stdout', '--all-contexts'], labs.env, { timeoutMs: 90_000 });
      expect(watch.code, watch.stderr).toBe(0);
      expect(watch.stderr).toContain('homelab watch: [office] ');
    } finally {
      writeFileSync(path, text);
    }
  }, 120_000);
});
