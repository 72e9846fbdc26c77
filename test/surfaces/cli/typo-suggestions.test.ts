/**
 * What the built CLI says to a new user's slips: a command or verb close to a known one is
 * named (`unknown command: pev (did you mean pve?)`), an option where the command or a
 * service's verb belongs is called an option, a typo of a global option names the one meant
 * (`--contxt`: did you mean --context?), and `help <words>` shows the help of those words (an unknown one is
 * named, exit 2), as `<words> --help` does; `<service> help` too.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';

describe('typos and help words', () => {
  it.each([
    [['pev', 'list'], 'homelab: unknown command: pev (did you mean pve?)\n  run: homelab --help\n'],
    [['pve', 'lsit'], 'homelab: unknown command: pve lsit (did you mean pve list?)\n  run: homelab pve --help\n'],
    [['stauts'], 'homelab: unknown command: stauts (did you mean status?)\n  run: homelab --help\n'],
    [['lba'], 'homelab: unknown command: lba (did you mean lab?)\n  run: homelab --help\n'],
    [['dns', 'recrods'], 'homelab: unknown command: dns recrods (did you mean dns records?)\n  run: homelab dns --help\n'],
    [['xyzzy'], 'homelab: unknown command: xyzzy\n  run: homelab --help\n'],
    [['--json'], 'homelab: --json is an option, not a command: give the command first (homelab <service> <verb> --json)\n  run: homelab --help\n'],
    [['--jsn', 'pve', 'list'], 'homelab: unknown option --jsn (did you mean --json?)\n  run: homelab --help\n'],
    [['--contxt', 'default', 'pve', 'list'], 'homelab: unknown option --contxt (did you mean --context?)\n  run: homelab --help\n'],
    [['--wait', 'pve', 'start', '101'], 'homelab: unknown option --wait\n  run: homelab --help\n'],
    [['--jsn'], 'homelab: --jsn is an option, not a command (did you mean --json?): give the command first (homelab <service> <verb> --json)\n  run: homelab --help\n'],
    [['pve', '--jsn'], 'homelab: --jsn is an option, not a pve command (did you mean --json?): give the command first (homelab pve <command> --json)\n  run: homelab pve --help\n'],
    [['pve', '--json'], 'homelab: --json is an option, not a pve command: give the command first (homelab pve <command> --json)\n  run: homelab pve --help\n'],
    [['pve', '--wait', 'start', '101'], 'homelab: --wait is an option, not a pve command: give the command first (homelab pve <command> --wait)\n  run: homelab pve --help\n'],
    [['help', 'nosuch'], 'homelab: unknown command: nosuch\n  run: homelab --help\n'],
  ])('%j → one line naming it, exit 2', async (args, stderr) => {
    const r = await runCli(args);
    expect([r.code, r.stderr, r.stdout]).toEqual([2, stderr, '']);
  });

  it('help <service> and <service> help show the service\'s help, help <service> <verb> the verb\'s', async () => {
    const service = await runCli(['pve', '--help']);
    expect(service.stdout).toMatch(/^homelab pve: /);
    for (const args of [['help', 'pve'], ['pve', 'help']]) {
      const r = await runCli(args);
      expect([r.code, r.stdout]).toEqual([0, service.stdout]);
    }
    const verb = await runCli(['help', 'pve', 'list']);
    expect([verb.code, verb.stdout]).toEqual([0, (await runCli(['pve', 'list', '--help'])).stdout]);
    expect((await runCli(['help', 'context'])).stdout).toBe((await runCli(['context', '--help'])).stdout);
  });
});
