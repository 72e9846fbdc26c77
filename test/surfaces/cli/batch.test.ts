/**
 * `homelab batch` as a user runs it: the built binary reading command lines from stdin
 * or a file, against the Technitium simulator over real sockets. Checks output (text and
 * one JSON object per line), exit codes, what reached the simulator (nothing, for a
 * batch refused before it ran), kept-alive connections and the audit rows.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DnsSim } from '../../../src/services/dns/sim/index.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { useLab } from '../../helpers/lab.js';

const lab = useLab({ services: ['dns'] });
const env = (): Record<string, string> => ({ ...lab.current.env });
const sim = (): DnsSim => lab.current.sims.get('dns') as DnsSim;
const stored = (name: string): string[] => sim().store.records.filter((r) => r.name === name && r.type === 'A').map((r) => String(r.rData.ipAddress));
const adds = (): number => sim().requests.filter((r) => r.path === '/api/zones/records/add').length;
const batch = (lines: string[], args: string[] = []) => runCli(['batch', ...args], env(), { input: `${lines.join('\n')}\n` });
const jsonLines = (stdout: string): Record<string, unknown>[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

interface AuditRow { operation: string; input: Record<string, unknown>; outcome: string; surface: string }

let seq = 0;
let prefix = '';
beforeEach(() => { prefix = `b${++seq}`; });

describe('homelab batch', () => {
  it('runs a batch of dns adds in one process over kept-alive connections, each line audited', async () => {
    let connections = 0;
    const count = (): void => { connections++; };
    sim().server.on('connection', count);
    const before = adds();
    const lines = ['# three hosts for the lab', '', ...[1, 2, 3].map((i) => `dns add ${prefix}-${i} 10.7.${seq}.${i}`), `homelab dns add ${prefix}-4 10.7.${seq}.4 --ttl 300 --comment "the fourth one" # trailing comment`];
    const res = await batch(lines);
    sim().server.off('connection', count);
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual([
      `ok        3  dns add ${prefix}-1 10.7.${seq}.1`,
      `ok        4  dns add ${prefix}-2 10.7.${seq}.2`,
      `ok        5  dns add ${prefix}-3 10.7.${seq}.3`,
      `ok        6  homelab dns add ${prefix}-4 10.7.${seq}.4 --ttl 300 --comment "the fourth one" # trailing comment`,
    ]);
    expect(res.stderr).toContain('batch: 4 ok');
    for (const i of [1, 2, 3, 4]) expect(stored(`${prefix}-${i}.home.lan`)).toEqual([`10.7.${seq}.${i}`]);
    const fourth = sim().store.records.find((r) => r.name === `${prefix}-4.home.lan`);
    expect(fourth).toMatchObject({ ttl: 300, comments: 'the fourth one' });
    expect(adds() - before).toBe(4);
    // 8 requests (a read and an add per line) over one kept-alive connection, not one each.
    expect(connections).toBe(1);
    const audit = await runCliJson<AuditRow[]>(['audit', '--operation', 'dns.add'], env());
    const mine = audit.filter((r) => String(r.input.name).startsWith(`${prefix}-`));
    expect(mine.map((r) => [r.input.name, r.outcome, r.surface]).sort()).toEqual([1, 2, 3, 4].map((i) => [`${prefix}-${i}`, 'ok', 'cli']));
  });

  it('stops at the first failing line and exits with its code; the lines after it do not run', async () => {
    const res = await batch([`dns add ${prefix}-a 10.8.${seq}.1`, `dns add ${prefix}-a 10.8.${seq}.1`, `dns add ${prefix}-b 10.8.${seq}.2`]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`ok        1  dns add ${prefix}-a`);
    expect(res.stdout).toContain(`failed    2  dns add ${prefix}-a 10.8.${seq}.1: ${prefix}-a.home.lan already has A 10.8.${seq}.1 (exit 1)`);
    expect(res.stdout).not.toContain(`${prefix}-b`);
    expect(res.stderr).toContain('1 ok, 1 failed, 1 not run');
    expect(stored(`${prefix}-b.home.lan`)).toEqual([]);
  });

  it('with --keep-going runs every line and exits with the most serious failure', async () => {
    // Line 2 fails (exit 1), line 3 names a service the config lacks (exit 3): 3 wins.
    const res = await batch([`dns add ${prefix}-a 10.9.${seq}.1`, `dns add ${prefix}-a 10.9.${seq}.1`, 'pve list', `dns add ${prefix}-b 10.9.${seq}.2`], ['--keep-going']);
    expect(res.code).toBe(3);
    expect(res.stdout).toMatch(/^failed +3 +pve list: pve is not configured.*\(exit 3\)$/m);
    expect(res.stdout).toMatch(new RegExp(`^ok +4 +dns add ${prefix}-b`, 'm'));
    expect(stored(`${prefix}-b.home.lan`)).toEqual([`10.9.${seq}.2`]);
    expect(res.stderr).toContain('2 ok, 2 failed');
  });

  it('prints one JSON object per line with --json, reading the lines from a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'homelab-batch-')), 'lines.txt');
    writeFileSync(file, [`dns add ${prefix}-j 10.10.${seq}.1`, '# a comment', `dns records --type A`, `dns add ${prefix}-j 10.10.${seq}.1`].join('\n'));
    const res = await runCli(['batch', file, '--json', '--keep-going'], env());
    expect(res.code).toBe(1);
    const [first, second, third, ...rest] = jsonLines(res.stdout);
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ line: 1, command: `dns add ${prefix}-j 10.10.${seq}.1`, ok: true, result: { zone: 'home.lan', record: { name: `${prefix}-j.home.lan`, type: 'A', value: `10.10.${seq}.1` } } });
    expect(second).toMatchObject({ line: 3, command: 'dns records --type A', ok: true });
    expect((second?.result as { records: { name: string }[] }).records.some((r) => r.name === `${prefix}-j.home.lan`)).toBe(true);
    expect(third).toEqual({ line: 4, command: `dns add ${prefix}-j 10.10.${seq}.1`, ok: false, error: `${prefix}-j.home.lan already has A 10.10.${seq}.1`, exitCode: 1 });
  });

  it('refuses a destructive line without --yes and without a terminal, before running any line', async () => {
    const before = adds();
    const lines = [`dns add ${prefix}-d 10.11.${seq}.1`, `dns delete ${prefix}-d --type A`];
    const refused = await batch(lines);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the batch has a destructive line (2); nothing was run');
    expect(refused.stderr).toContain('add --yes to run it from stdin');
    expect(adds()).toBe(before);
    expect(stored(`${prefix}-d.home.lan`)).toEqual([]);

    const confirmed = await batch(lines, ['--yes', '--json']);
    expect(confirmed.code).toBe(0);
    expect(jsonLines(confirmed.stdout).map((l) => [l.line, l.ok])).toEqual([[1, true], [2, true]]);
    expect(stored(`${prefix}-d.home.lan`)).toEqual([]);
    expect(adds()).toBe(before + 1);
  });

  it("does not take a line's own --yes as the batch's confirmation: only the batch's --yes (or its one prompt) runs destructive lines", async () => {
    const before = adds();
    const lines = [`dns add ${prefix}-y 10.13.${seq}.1`, `dns delete ${prefix}-y --type A --yes`, `dns delete ${prefix}-z -y`];
    const refused = await batch(lines);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the batch has destructive lines (2, 3); nothing was run');
    expect(adds()).toBe(before);
    const confirmed = await batch(lines.slice(0, 2), ['--yes']);
    expect(confirmed.code).toBe(0);
    expect(adds()).toBe(before + 1);
    expect(stored(`${prefix}-y.home.lan`)).toEqual([]);
  });

  it('reads its own switches as switches: --keep-going=false stops at the first failure, --keep-going=x is refused', async () => {
    const lines = (tag: string): string[] => [`dns add ${prefix}-${tag} 10.14.${seq}.1`, `dns add ${prefix}-${tag} 10.14.${seq}.1`, `dns add ${prefix}-${tag}2 10.14.${seq}.2`];
    for (const off of ['--keep-going=false', '--keep-going=no', '--no-keep-going']) {
      const tag = off.replace(/\W/g, '');
      const res = await batch(lines(tag), [off]);
      expect(res.code, off).toBe(1);
      expect(res.stderr, off).toContain('1 ok, 1 failed, 1 not run');
      expect(stored(`${prefix}-${tag}2.home.lan`), off).toEqual([]);
    }
    const on = await batch(lines('on'), ['--keep-going=yes']);
    expect(on.code).toBe(1);
    expect(on.stderr).toContain('2 ok, 1 failed');
    for (const bad of ['--keep-going=x', '--keep-going=']) {
      const res = await batch(lines('bad'), [bad]);
      expect(res.code, bad).toBe(2);
      expect(res.stderr, bad).toContain('--keep-going is a switch');
      expect(stored(`${prefix}-bad.home.lan`), bad).toEqual([]);
    }
  });

  it('with --keep-going ranks a line that does not parse (2) above one that ran and failed (1)', async () => {
    const res = await batch([`dns add ${prefix}-r 10.15.${seq}.1`, `dns add ${prefix}-r 10.15.${seq}.1`, `dns add ${prefix}-s 10.15.${seq}.2 --frob`], ['--keep-going']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('1 ok, 2 failed');
  });

  it('reports a line with a bad flag (or that does not parse) by its number, and runs nothing', async () => {
    const before = sim().requests.length;
    const res = await batch([`dns add ${prefix}-f 10.12.${seq}.1`, '', `dns add ${prefix}-g 10.12.${seq}.2 --frob`, 'dns add "unclosed', 'pve nosuch', 'bot'], ['--json']);
    expect(res.code).toBe(2);
    expect(jsonLines(res.stdout)).toEqual([
      { line: 3, command: `dns add ${prefix}-g 10.12.${seq}.2 --frob`, ok: false, error: 'unknown option --frob for dns add', exitCode: 2, hint: 'see: homelab dns add --help' },
      { line: 4, command: 'dns add "unclosed', ok: false, error: 'unterminated double quote', exitCode: 2 },
      { line: 5, command: 'pve nosuch', ok: false, error: 'unknown command: pve nosuch', exitCode: 2, hint: 'see: homelab pve --help' },
      { line: 6, command: 'bot', ok: false, error: 'bot cannot run inside a batch', exitCode: 2 },
    ]);
    expect(res.stderr).toContain('4 of 5 lines cannot run (lines 3, 4, 5, 6); nothing was run');
    // One line is one: "(line 3)", and "1 of 1 line".
    const one = await batch([`dns add ${prefix}-h 10.12.${seq}.3`, `dns add ${prefix}-i 10.12.${seq}.4`, `dns add ${prefix}-j 10.12.${seq}.5 --frob`]);
    expect([one.code, one.stderr.trim().split('\n').at(-1)]).toEqual([2, 'batch: 1 of 3 lines cannot run (line 3); nothing was run']);
    const alone = await batch([`dns add ${prefix}-j 10.12.${seq}.5 --frob`]);
    expect([alone.code, alone.stderr.trim().split('\n').at(-1)]).toEqual([2, 'batch: 1 of 1 line cannot run (line 1); nothing was run']);
    expect(sim().requests.length).toBe(before);
    expect(stored(`${prefix}-f.home.lan`)).toEqual([]);
  });

  it('ranks a line naming an unknown lab as a config error (3), as homelab --context does', async () => {
    const before = sim().requests.length;
    const res = await batch([`dns add ${prefix}-n 10.16.${seq}.1`, '--context nope dns records']);
    expect(res.code).toBe(3);
    expect(res.stdout).toMatch(/^failed +2 +--context nope dns records: unknown context "nope": .* defines default \(exit 3\)$/m);
    expect(res.stderr).toContain('nothing was run');
    expect(sim().requests.length).toBe(before);
    // The command line agrees, and with --keep-going 3 outranks a line that does not parse (2).
    expect((await runCli(['--context', 'nope', 'dns', 'records'], env())).code).toBe(3);
    const going = await batch(['--context nope dns records', 'dns add "unclosed'], ['--keep-going']);
    expect(going.code).toBe(3);
  });

  it('names the sub-verbs of a group given without one (kuma add), like the command line', async () => {
    const res = await batch(['kuma add', 'pve create', 'kuma add smtp x'], ['--json']);
    expect(res.code).toBe(2);
    expect(jsonLines(res.stdout).map((l) => [l.error, l.hint])).toEqual([
      ['kuma add needs one of: http, ping, port, keyword, push', 'usage: homelab kuma add http|ping|port|keyword|push … (see: homelab kuma --help)'],
      ['pve create needs one of: ct', 'usage: homelab pve create ct … (see: homelab pve --help)'],
      ['unknown command: kuma add smtp', 'usage: homelab kuma add http|ping|port|keyword|push … (see: homelab kuma --help)'],
    ]);
  });

  it('checks input against the schema before running, and has its own help and usage errors', async () => {
    const bad = await batch([`dns add ${prefix}-h not-an-ip`]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/^failed +1 +dns add \S+ not-an-ip: dns add: .*ip.*\(exit 2\)$/m);
    const help = await runCli(['batch', '--help'], env());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: homelab batch [file] [--keep-going] [--yes] [--json]');
    const unknown = await runCli(['batch', '--frob'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option --frob for batch');
    const missing = await runCli(['batch', '/nonexistent/lines.txt'], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the batch file /nonexistent/lines.txt: ENOENT');
  });

  it('joins a line ending in a backslash with the next, as a shell does, naming the first line', async () => {
    const res = await batch(['# continued', `dns add ${prefix}-c \\`, `  10.17.${seq}.1 \\`, '  --ttl 120', 'dns zones \\', '  --frob'], ['--json', '--keep-going']);
    expect(res.code).toBe(2);
    expect(jsonLines(res.stdout).map((l) => [l.line, l.command, l.ok, l.error])).toEqual([
      [2, `dns add ${prefix}-c   10.17.${seq}.1   --ttl 120`, true, undefined],
      [5, 'dns zones   --frob', false, 'unknown option --frob for dns zones'],
    ]);
    expect(sim().store.records.find((r) => r.name === `${prefix}-c.home.lan`)).toMatchObject({ ttl: 120 });
  });

  it("prints a failed read's result, then its hint (which may point at the result above)", async () => {
    const creds = `${lab.current.env.HOMELAB_CONFIG_HOME}/dns/credentials`;
    chmodSync(creds, 0o644);
    try {
      const res = await batch(['doctor']);
      expect(res.code).toBe(3);
      const lines = res.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^failed +1 +doctor: doctor: 1 of \d+ checks failed \(dns credentials\) \(exit 3\)$/);
      const check = lines.findIndex((l) => /^ +✗ dns +credentials/.test(l));
      const hint = lines.indexOf('        fix the failures above, then run homelab doctor again');
      expect(check).toBeGreaterThan(0);
      expect(hint).toBe(lines.length - 1);
    } finally {
      chmodSync(creds, 0o600);
    }
  });
});
