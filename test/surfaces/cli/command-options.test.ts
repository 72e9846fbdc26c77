/**
 * For every CLI command that is not an operation (and every word of one with options of its
 * own, `serve passwd`), shell completion offers exactly the options the command accepts:
 * what Tab offers after `--` is the command's row of the options table, its `--help` names
 * the same options (a command's help names its words' too), the built CLI accepts them all
 * (given together, each with a value when it takes one; each command stops right after
 * reading them, at a config.yaml that is not YAML or a value out of range), and refuses an option of another word of the same command, an unknown one,
 * and the top-level `--version` and `--all-contexts` where the table does not list them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryCommandIndex } from '../../../src/surfaces/cli/command-index-build.js';
import type { CommandIndexData } from '../../../src/surfaces/cli/command-index.js';
import { cliCommands } from '../../../src/surfaces/cli/commands.js';
import { complete } from '../../../src/surfaces/cli/completion/engine.js';
import type { CommandFlag } from '../../../src/surfaces/shared/command-options.js';
import { runCli } from '../../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'homelab-command-options-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** A config.yaml that is not YAML: a command that reads it stops there (exit 3), right after its options were read. */
const env = { HOMELAB_CONFIG_HOME: join(work, 'config'), HOMELAB_DATA_HOME: join(work, 'data') };
mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), 'services: [\n');

let index: CommandIndexData;
beforeAll(async () => {
  index = await registryCommandIndex();
});

/** A command (and a word of it) whose options are checked. */
interface Scope {
  words: string[];
  flags: readonly CommandFlag[];
  /** Words that make it stop after reading its options, before doing anything (`context current`). */
  probe: string[];
}

/** The words that make a command stop once its options are read (most read the broken config.yaml). */
const PROBES: Readonly<Record<string, string[]>> = { completion: ['bash'], context: ['current'] };

const scopes: Scope[] = cliCommands.flatMap((c) => [
  { words: [c.name], flags: c.flags, probe: PROBES[c.name] ?? [] },
  ...Object.entries(c.wordFlags ?? {}).map(([word, flags]) => ({ words: [c.name, word], flags, probe: [] })),
]);

/** A value each option that takes one accepts; lab's --latency is out of range, so that the lab stops after reading them. */
const SAMPLE: Readonly<Record<string, string>> = {
  port: '0', host: '127.0.0.1', refresh: '30s', 'trust-proxy': '127.0.0.1', user: 'bob',
  latency: '99999999', task: '1', guests: '0', 'refuse-monitors': '0', dir: join(work, 'lab'),
};
const given = (f: CommandFlag): string[] => (f.choices ? [`--${f.flag}`, f.choices[0] as string] : f.value ? [`--${f.flag}`, SAMPLE[f.flag] ?? 'x'] : [`--${f.flag}`]);
/** What a command says when it refuses an option. */
const REFUSED = /unknown option|unexpected argument|takes no options|needs a value|takes no value|works with status and watch only/;
const names = (flags: readonly CommandFlag[]): string[] => flags.map((f) => `--${f.flag}`).sort();

describe('the options of the commands that are not operations', () => {
  it('are listed for every command', () => {
    expect(scopes.map((s) => s.words.join(' '))).toEqual(expect.arrayContaining(['serve', 'serve passwd', 'lab', 'mcp', 'watch', 'bot', 'batch', 'context', 'completion', 'demo']));
  });

  it.each(scopes.map((s) => [s.words.join(' '), s] as const))('%s: Tab offers exactly the options its --help names', async (_, scope) => {
    const offered = complete({ index, commands: cliCommands, contexts: [], values: () => [] }, [...scope.words, '--'], 'bash').candidates.map((c) => c.value);
    expect(offered.filter((v) => v !== '--help').sort()).toEqual(names(scope.flags));
    const help = await runCli([...scope.words, '--help'], env);
    expect(help.code, help.stderr).toBe(0);
    // Every --option its help names, the global ones aside (--no-x and --x=… are forms of
    // --x); a command's help names its words' options too (serve: serve passwd --user).
    const documented = new Set([...help.stdout.matchAll(/--(?:no-)?([a-z][a-z-]*[a-z])/g)].map((m) => `--${m[1] as string}`));
    for (const global of ['--help', '--context']) documented.delete(global);
    const words = scope.words.length === 1 ? Object.values(cliCommands.find((c) => c.name === scope.words[0])?.wordFlags ?? {}).flat() : [];
    expect([...documented].sort()).toEqual([...new Set(names([...scope.flags, ...words]))].sort());
  });

  it.each(scopes.map((s) => [s.words.join(' '), s] as const))('%s: accepts every option Tab offers, and refuses others', async (_, scope) => {
    // All of them at once (demo takes none, and would run its tour).
    if (scope.flags.length) {
      const all = await runCli([...scope.words, ...scope.probe, ...scope.flags.flatMap(given)], env);
      expect(all.stderr).not.toMatch(REFUSED);
    }
    // Options of the command's other words, an unknown one, and the top level's.
    const command = cliCommands.find((c) => c.name === scope.words[0]);
    const others = [command?.flags ?? [], ...Object.values(command?.wordFlags ?? {})].flat().filter((f) => !scope.flags.some((o) => o.flag === f.flag));
    const foreign: CommandFlag[] = [...others, { flag: 'bogus', description: '' }, { flag: 'version', description: '' }, { flag: 'all-contexts', description: '' }];
    for (const flag of foreign.filter((f) => !scope.flags.some((o) => o.flag === f.flag))) {
      const run = await runCli([...scope.words, ...scope.probe, ...given(flag)], env);
      expect([run.code, run.stderr], `${scope.words.join(' ')} --${flag.flag}`).toEqual([2, expect.stringMatching(REFUSED)]);
    }
  });
});
