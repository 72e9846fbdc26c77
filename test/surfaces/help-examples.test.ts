/**
 * Every help example of every operation works as written: the CLI's help prints it as a
 * shell line that runs homelab once (a pipeline's other side untouched), and its homelab
 * command goes through the CLI's parser (words split as a shell would, the operation
 * resolved to the one it documents, the input validated) without a usage error. The bot's
 * `--help` shows only the examples it takes (no shell line, no input only the command line
 * gives: `cliOnlyInputs`), each of those goes through the bot's own parser as well, and an
 * example it leaves out is one of those two kinds.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inputFromWords, wordName } from '../../src/core/args.js';
import { parseInput } from '../../src/core/invoke.js';
import { cliExampleLine, exampleSegments, isShellExample } from '../../src/core/op-examples.js';
import { isOfferedOn, type AnyOperation } from '../../src/core/operation.js';
import { getRegistry } from '../../src/services/index.js';
import { splitLine } from '../../src/surfaces/cli/batch-lines.js';
import { registryCommandIndex } from '../../src/surfaces/cli/command-index-build.js';
import { CommandIndex } from '../../src/surfaces/cli/command-index.js';
import { operationHelp as cliHelp } from '../../src/surfaces/cli/help.js';
import { parseCommandLine } from '../../src/surfaces/telegram/command-line.js';
import { botExample, botShowsExample, operationHelp as botHelp } from '../../src/surfaces/telegram/help.js';
import { route } from '../../src/surfaces/telegram/router.js';

const registry = getRegistry();
const withExamples = registry.all().filter((op) => op.examples?.length);
const cases = withExamples.flatMap((op) => (op.examples ?? []).map((e) => [op.id, e, op] as const));

/** An OpenSSH public key line: what the CLI passes for a flag it reads from a file (`--ssh-key`). */
const KEY = `ssh-ed25519 ${Buffer.concat([
  Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]),
  generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32),
]).toString('base64')} test@hub`;

/**
 * The homelab command of an example, without `homelab` and without the shell around it (the
 * pipe's other side, a redirection), still quoted as written: `df -h | homelab telegram send`
 * → `telegram send`; `services --markdown > SERVICES.md` → `services --markdown`.
 */
function exampleCommand(example: string): string {
  const { parts } = exampleSegments(example);
  const own = parts.find((p) => /^homelab(\s|$)/.test(p));
  return own ? own.replace(/^homelab\s*/, '') : parts[0] ?? '';
}

/** The text between `Examples` and the end of a help text, one example a line. */
function examplesOf(help: string, heading: string): string[] {
  const at = help.indexOf(heading);
  return at < 0 ? [] : help.slice(at + heading.length).split('\n').map((l) => l.trim()).filter(Boolean);
}

describe('help examples', () => {
  it('are written for a few operations at least (the test reads something)', () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.some(([, e]) => isShellExample(e))).toBe(true);
  });

  it('are written for every operation: each --help shows at least one', () => {
    expect(registry.all().filter((op) => !op.examples?.length).map((op) => op.id)).toEqual([]);
  });

  it.each(cases)('%s: the CLI parses %j', (_id, example, op) => {
    const words = splitLine(exampleCommand(example));
    const resolved = registry.resolve(words);
    expect(resolved?.op.id, `${example} runs another operation`).toBe(op.id);
    const { input: raw } = inputFromWords(op, resolved?.rest ?? []);
    for (const key of op.cliFiles ?? []) if (typeof raw[key] === 'string') raw[key] = KEY;
    expect(() => parseInput(op, raw, wordName(op))).not.toThrow();
  });

  it("the CLI's --help prints each as a shell line that runs homelab once", async () => {
    const index = new CommandIndex(await registryCommandIndex());
    for (const op of withExamples) {
      const shown = examplesOf(cliHelp(index.get(op.id) as NonNullable<ReturnType<CommandIndex['get']>>), 'Examples:');
      expect(shown, op.id).toEqual((op.examples ?? []).map(cliExampleLine));
      for (const line of shown) expect(line.match(/(^|[|;&]\s*)homelab\s/g), line).toHaveLength(1);
    }
    expect(cliExampleLine('df -h | homelab telegram send')).toBe('df -h | homelab telegram send');
    expect(cliExampleLine('services --markdown > SERVICES.md')).toBe('homelab services --markdown > SERVICES.md');
  });

  const onBot = cases.filter(([, , op]) => isOfferedOn(op, 'telegram'));

  it.each(onBot)("%s: the bot's help shows %j only when the bot takes it", (_id, example, op: AnyOperation) => {
    const shown = examplesOf(botHelp(op), '<b>Examples</b>').map((l) => l.replace(/^<code>|<\/code>$/g, ''));
    const html = `/${botExample(op, example)}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    if (!botShowsExample(op, example)) {
      expect(shown).not.toContain(html);
      // Left out only for a reason the bot has: a shell line, or an input only the command line gives.
      if (!isShellExample(example)) {
        const words = splitLine(exampleCommand(example));
        const given = Object.keys(inputFromWords(op, registry.resolve(words)?.rest ?? []).input);
        expect(given.filter((k) => (op.cliOnlyInputs ?? []).includes(k)), `${example} is left out of the bot's help`).not.toEqual([]);
      }
      return;
    }
    expect(shown).toContain(html);
    // A flag the CLI reads from a file shows a placeholder for the text: the key text put in.
    const line = parseCommandLine(`/${botExample(op, example).replace(/<text of [^>]*>/g, KEY)}`);
    if (!line) throw new Error(`${example} is no bot command`);
    const routed = route(registry, line);
    expect(routed.kind).toBe('run');
    if (routed.kind !== 'run') return;
    expect(routed.op.id).toBe(op.id);
    // The operation refuses an input only the command line gives (a lab file's path) from the bot.
    const given = inputFromWords(op, registry.resolve([line.name, ...line.words])?.rest ?? []).input;
    expect(Object.keys(given).filter((k) => (op.cliOnlyInputs ?? []).includes(k))).toEqual([]);
  });

  it.each([
    ['export', ['export ./lab.yaml', 'export - > lab.yaml']],
    ['services', ['services --markdown > SERVICES.md']],
    ['plan', ['plan ./lab.yaml', 'plan --detailed-exitcode']],
    ['apply', ['apply ./lab.yaml --dry-run']],
    ['telegram.send', ['df -h | homelab telegram send']],
  ])("the bot's help of %s leaves out %j, which it would refuse", (id, refused) => {
    const op = registry.get(id);
    if (!op) throw new Error(`no operation ${id}`);
    for (const example of refused) expect(op.examples).toContain(example);
    const help = botHelp(op);
    expect(help).toContain('<b>Examples</b>');
    for (const example of refused) expect(help).not.toContain(`/${example.replace(/>/g, '&gt;')}<`);
  });
});
