/**
 * The global options the overview lists work before the command too (`homelab --json pve
 * list`), and a command group given without its sub-verb (`homelab kuma add`) says which
 * sub-verbs it takes, exit 2: the built CLI against the DNS simulator, and the word mover.
 */
import { describe, expect, it } from 'vitest';
import { leadingSwitchesLast } from '../../../src/surfaces/cli/leading-switches.js';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { runCli } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
const env = (): Record<string, string> => ({ ...lab.current.env });

describe('global switches before the command', () => {
  it('--json before the command prints JSON, as after it', async () => {
    const before = await runCli(['--json', 'dns', 'records'], env());
    expect(before.code, before.stderr).toBe(0);
    const after = await runCli(['dns', 'records', '--json'], env());
    expect(JSON.parse(before.stdout)).toEqual(JSON.parse(after.stdout));
    const withContext = await runCli(['--json', '--context', 'default', '--no-color', 'dns', 'records'], env());
    expect(withContext.code, withContext.stderr).toBe(0);
    expect(JSON.parse(withContext.stdout)).toEqual(JSON.parse(after.stdout));
  });

  it('--json between the service and its verb prints JSON too (as completion reads the line)', async () => {
    const between = await runCli(['dns', '--json', 'records'], env());
    expect(between.code, between.stderr).toBe(0);
    const after = await runCli(['dns', 'records', '--json'], env());
    expect(JSON.parse(between.stdout)).toEqual(JSON.parse(after.stdout));
  });

  it('--version after a global switch prints the version, as alone', async () => {
    const alone = await runCli(['--version'], env());
    for (const args of [['--json', '--version'], ['--no-color', '--version']]) {
      const r = await runCli(args, env());
      expect([r.code, r.stdout], args.join(' ')).toEqual([0, alone.stdout]);
    }
  });

  it('--yes (and -y) before the command confirms a destructive one without a terminal', async () => {
    const sim = lab.current.sims.get('dns') as DnsSim;
    expect((await runCli(['dns', 'add', 'lead-yes', '10.5.0.231'], env())).code).toBe(0);
    const r = await runCli(['--yes', 'dns', 'delete', 'lead-yes'], env());
    expect(r.code, r.stderr).toBe(0);
    expect(sim.store.records.filter((x) => x.name === 'lead-yes.home.lan')).toEqual([]);
    expect((await runCli(['dns', 'add', 'lead-y', '10.5.0.232'], env())).code).toBe(0);
    expect((await runCli(['-y', '--json', 'dns', 'delete', 'lead-y'], env())).code).toBe(0);
  });

  it('moves the switches before any -- after the other words, from between the command\'s words too', () => {
    expect(leadingSwitchesLast(['--json', 'pve', 'list'])).toEqual(['pve', 'list', '--json']);
    expect(leadingSwitchesLast(['--yes', '--context', 'office', '-y', 'telegram', 'send', '--', '--json'])).toEqual(['--context', 'office', 'telegram', 'send', '--yes', '-y', '--', '--json']);
    expect(leadingSwitchesLast(['--json=false', '--all-contexts', 'status'])).toEqual(['--all-contexts', 'status', '--json=false']);
    expect(leadingSwitchesLast(['pve', '--json', 'list'])).toEqual(['pve', 'list', '--json']);
    expect(leadingSwitchesLast(['pve', '-y', 'start', '100', '--', '-y'])).toEqual(['pve', 'start', '100', '-y', '--', '-y']);
    expect(leadingSwitchesLast(['--json', '--context', 'office'])).toEqual(['--json', '--context', 'office']);
    expect(leadingSwitchesLast(['--json'])).toEqual(['--json']);
  });
});

describe('a command group without its sub-verb', () => {
  it('kuma add names its sub-verbs and exits 2 (every group alike)', async () => {
    const r = await runCli(['kuma', 'add'], env());
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('homelab: kuma add needs one of: http, ping, port, keyword, push\n  usage: homelab kuma add http|ping|port|keyword|push … (run: homelab kuma --help)\n');
    const create = await runCli(['pve', 'create', '--cores', '2'], env());
    expect(create.code).toBe(2);
    expect(create.stderr).toContain('homelab: pve create needs one of: ct');
    const wrong = await runCli(['kuma', 'add', 'smtp', 'mail'], env());
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('homelab: unknown command: kuma add smtp\n  usage: homelab kuma add http|ping|port|keyword|push');
  });

  it('an unknown verb of a service or a top-level group is a usage error pointing at its help', async () => {
    const verb = await runCli(['kuma', 'frob'], env());
    expect(verb.code).toBe(2);
    expect(verb.stderr).toBe('homelab: unknown command: kuma frob\n  run: homelab kuma --help\n');
    const group = await runCli(['shims', 'frob'], env());
    expect(group.code).toBe(2);
    expect(group.stderr).toBe('homelab: unknown command: shims frob\n  run: homelab shims --help\n');
    expect((await runCli(['kuma', 'add', '--help'], env())).code).toBe(0);
  });
});
