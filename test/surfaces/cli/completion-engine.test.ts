/**
 * Shell completion's rules (surfaces/cli/completion/engine) on the real registry's command
 * index: services, aliases and top-level commands first; verbs, multi-word verbs; flags
 * (given ones left out, `--no-x` for switches on by default, `--yes` only where something
 * changes); enum choices after a flag, after `--flag=` (bash's split words too); positionals
 * after flag values; dynamic values of the kinds a field names, by value or by description;
 * `--context` only when the config has contexts; file names for file inputs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompletionValue } from '../../../src/core/completion.js';
import { registryCommandIndex } from '../../../src/surfaces/cli/command-index-build.js';
import type { CommandIndexData } from '../../../src/surfaces/cli/command-index.js';
import { cliCommands } from '../../../src/surfaces/cli/commands.js';
import { complete } from '../../../src/surfaces/cli/completion/engine.js';
import type { CompletionModel, Shell } from '../../../src/surfaces/cli/completion/model.js';

let index: CommandIndexData;
beforeAll(async () => {
  index = await registryCommandIndex();
});

const stored: Record<string, Record<string, CompletionValue[]>> = {
  default: {
    'pve.guest': [{ value: '100', description: 'dns' }, { value: '102', description: 'mgmt' }, { value: '201', description: 'media' }],
    'pve.node': [{ value: 'pve1' }, { value: 'pve2' }],
    'kuma.monitor': [{ value: 'Home Assistant', description: 'http https://ha.home.lan' }, { value: 'forgejo' }],
    'ssh.target': [{ value: 'web' }],
  },
  office: { 'pve.guest': [{ value: '300', description: 'printer' }] },
};

function model(contexts: string[] = []): CompletionModel {
  return { index, commands: cliCommands, contexts, values: (kind, context) => (kind === 'context' ? contexts.map((value) => ({ value })) : stored[context ?? 'default']?.[kind] ?? []) };
}

const values = (line: string[], shell: Shell = 'bash', m = model()): string[] => complete(m, line, shell).candidates.map((c) => c.value);

describe('completion of commands', () => {
  it('offers services, aliases and top-level commands first, each with its summary', () => {
    const first = complete(model(), [''], 'zsh').candidates;
    const names = first.map((c) => c.value);
    for (const name of ['pve', 'dns', 'proxy', 'npm-api', 'pbs', 'beszel', 'kuma', 'updates', 'telegram', 'status', 'doctor', 'shims', 'lab', 'completion']) expect(names).toContain(name);
    expect(first.find((c) => c.value === 'pve')?.description).toMatch(/Proxmox VE/);
    expect(names).not.toContain('__complete');
    expect(values(['k'])).toEqual(['kuma']);
  });

  it('offers a service\'s verbs, through an alias too, and the words of multi-word verbs', () => {
    expect(values(['pve', 'st'])).toEqual(['status', 'start', 'stop', 'storage']);
    expect(values(['npm-api', 'l'])).toEqual(['list']);
    expect(values(['kuma', 'add', ''])).toEqual(['http', 'ping', 'port', 'keyword', 'push']);
    expect(values(['pve', 'create', ''])).toEqual(['ct']);
    expect(values(['shims', ''])).toEqual(['install']);
    expect(values(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(values(['nosuch', ''])).toEqual([]);
  });

  it('offers an operation\'s flags, leaving out those given and positional ones', () => {
    const flags = values(['pve', 'list', '--']);
    expect(flags).toEqual(expect.arrayContaining(['--type', '--node', '--status', '--json', '--help']));
    expect(flags).not.toContain('--yes');
    expect(values(['pve', 'list', '--type', 'lxc', '--'])).not.toContain('--type');
    // A switch that is on by default is offered as its negation; a change offers --yes.
    const start = values(['pve', 'start', '105', '--']);
    expect(start).toEqual(expect.arrayContaining(['--no-wait', '--yes']));
    expect(start).not.toContain('--vmid');
    // Nothing positional is left: an empty word gets the flags.
    expect(values(['pve', 'list', ''])).toContain('--type');
  });

  it('offers the options of the commands that are not operations, and their choices', () => {
    expect(values(['serve', '--'])).toEqual(['--allow', '--host', '--port', '--refresh', '--trust-proxy', '--help']);
    // A word with options of its own: serve passwd takes --user only.
    expect(values(['serve', 'passwd', '--'])).toEqual(['--user', '--help']);
    expect(values(['serve', 'passwd', '--user', ''])).toEqual([]);
    expect(values(['context', 'list', '--'])).toEqual(['--json', '--help']);
    // Commands without options of their own offer --help only: not the top level's --version or --all-contexts.
    for (const name of ['completion', 'demo']) {
      expect(values([name, '--'])).toEqual(['--help']);
      // They run in no lab: no --context either.
      expect(values([name, '--'], 'bash', model(['default', 'office']))).toEqual(['--help']);
    }
    expect(values(['serve', '--allow', ''])).toEqual(['change', 'danger']);
    expect(values(['serve', '--allow=d'])).toEqual(['--allow=danger']);
    expect(values(['serve', '--allow', 'change', '--'])).not.toContain('--allow');
    // A free value: nothing to offer (not the options).
    expect(values(['serve', '--port', ''])).toEqual([]);
    expect(values(['serve', ''])).toEqual(['passwd']);
    expect(values(['mcp', '--h'])).toEqual(['--http', '--help']);
    expect(values(['watch', '--'])).toEqual(expect.arrayContaining(['--once', '--digest', '--stdout', '--all-contexts']));
    // watch's subcommands are operations, completed as before.
    expect(values(['watch', ''])).toEqual(expect.arrayContaining(['status', 'mute']));
    expect(values(['bot', '--'])).toEqual(['--console', '--help']);
    expect(values(['batch', '--k'])).toEqual(['--keep-going']);
    expect(values(['lab', '--'])).toEqual(['--latency', '--task', '--guests', '--refuse-monitors', '--dir', '--json', '--help']);
    // lab, demo and completion run in no lab: --context does not apply to them (docs/contexts.md).
    for (const command of ['lab', 'demo', 'completion']) expect(values([command, '--'], 'bash', model(['default', 'office'])), command).not.toContain('--context');
    expect(values(['serve', '--'], 'bash', model(['default', 'office']))).toContain('--context');
    expect(values(['--context', 'office', 'serve', '--'], 'bash', model(['default', 'office']))).not.toContain('--context');
    // Typed anyway, --context offers no lab where it is ignored, or refused beside --all-contexts.
    for (const command of ['lab', 'demo', 'completion']) {
      expect(values([command, '--context', ''], 'bash', model(['default', 'office'])), command).toEqual([]);
      expect(values([command, '--context='], 'zsh', model(['default', 'office'])), command).toEqual([]);
    }
    expect(values(['--all-contexts', '--context', ''], 'bash', model(['default', 'office']))).toEqual([]);
    expect(values(['status', '--all-contexts', '--context', ''], 'bash', model(['default', 'office']))).toEqual([]);
    expect(values(['status', '--context', ''], 'bash', model(['default', 'office']))).toEqual(['default', 'office']);
  });
});

describe('the global switches --json, --yes and -y', () => {
  it('are read past, before the command and between its words, as the CLI reads them', () => {
    const verbs = ['status', 'start', 'stop', 'storage'];
    for (const line of [['--json', 'pve', 'st'], ['-y', 'pve', 'st'], ['--yes', 'pve', 'st'], ['pve', '--json', 'st'], ['--no-json', 'pve', 'st'], ['--json=false', 'pve', 'st'], ['--yes', '--no-color', '--json', 'pve', 'st']]) {
      expect(values(line), line.join(' ')).toEqual(verbs);
    }
    // bash splits --json=true into three words.
    expect(values(['--json', '=', 'true', 'pve', 'st'])).toEqual(verbs);
    expect(values(['--yes', 'pve', ''])).toEqual(expect.arrayContaining(verbs));
    expect(values(['--json', ''])).toEqual(expect.arrayContaining(['pve', 'dns', 'lab', 'serve']));
    expect(values(['--json', 'pve', 'start', ''])).toEqual(['100', '102', '201']);
    expect(values(['-y', '--context', 'office', 'pve', 'start', ''], 'bash', model(['default', 'office']))).toEqual(['300']);
    expect(values(['--json', 'lab', '--d'])).toEqual(['--dir']);
  });

  it('count as given: not offered again', () => {
    expect(values(['--json', 'pve', 'list', '--'])).not.toContain('--json');
    expect(values(['-y', 'pve', 'start', '100', '--'])).not.toContain('--yes');
    expect(values(['pve', '--no-yes', 'start', '100', '--'])).not.toContain('--yes');
    expect(values(['--json', 'lab', '--'])).not.toContain('--json');
    expect(values(['--yes', 'batch', '--'])).toEqual(['--keep-going', '--json', '--help']);
  });

  it('offers a list option again once given, since its repeats add up (--domains, --tags)', () => {
    expect(values(['proxy', 'update', 'a.lan', '--domains', 'a.lan', '--'])).toContain('--domains');
    expect(values(['pve', 'set', '105', '--tags', 'web', '--'])).toContain('--tags');
    expect(values(['pve', 'set', '105', '--name', 'web', '--'])).not.toContain('--name');
  });
});

describe('completion of values', () => {
  it('offers enum choices after a flag, after --flag= and in bash\'s split words', () => {
    expect(values(['pve', 'list', '--type', ''])).toEqual(['qemu', 'lxc']);
    expect(values(['pve', 'list', '--status', 'r'])).toEqual(['running']);
    expect(values(['pve', 'list', '--type=l'], 'zsh')).toEqual(['--type=lxc']);
    expect(values(['pve', 'list', '--type=l'], 'fish')).toEqual(['--type=lxc']);
    // bash: COMP_WORDBREAKS splits `--type=l` and replaces only the part after `=`.
    expect(values(['pve', 'list', '--type', '=', 'l'])).toEqual(['lxc']);
    expect(values(['pve', 'list', '--type', '='])).toEqual(['qemu', 'lxc']);
    // A value given that way counts as given.
    expect(values(['pve', 'list', '--type', '=', 'lxc', '--'])).not.toContain('--type');
  });

  it('offers stored values of the kinds a field names: VMIDs, nodes, monitors, SSH targets', () => {
    expect(values(['pve', 'start', ''])).toEqual(['100', '102', '201']);
    expect(values(['pve', 'start', '2'])).toEqual(['201']);
    expect(complete(model(), ['pve', 'start', ''], 'zsh').candidates[1]).toEqual({ value: '102', description: 'mgmt' });
    // A guest's name picks its VMID when no VMID starts with the word.
    expect(values(['pve', 'stop', 'mg'])).toEqual(['102']);
    expect(values(['pve', 'migrate', '102', ''])).toEqual(['pve1', 'pve2']);
    expect(values(['pve', 'list', '--node', ''])).toEqual(['pve1', 'pve2']);
    expect(values(['kuma', 'pause', 'H'])).toEqual(['Home Assistant']);
    expect(values(['updates', 'apply', ''])).toEqual(['web']);
    // The positional after a flag's value, and after a switch.
    expect(values(['pve', 'snapshot', '--description', 'before upgrade', ''])).toEqual(['100', '102', '201']);
    expect(values(['pve', 'start', '--no-wait', '1'])).toEqual(['100', '102']);
    // A field of no kind offers nothing rather than something wrong.
    expect(values(['dns', 'add', 'wiki', ''])).toEqual([]);
  });

  it('offers --context and its names only when the config has contexts, and reads that context\'s values', () => {
    expect(values(['--'])).not.toContain('--context');
    expect(values(['pve', 'list', '--'])).not.toContain('--context');
    // Typed anyway, --context takes the one lab of such a config: default.
    expect(values(['--context', ''])).toEqual(['default']);
    expect(values(['--context=d'], 'zsh')).toEqual(['--context=default']);
    const two = model(['default', 'office']);
    expect(values(['--'], 'bash', two)).toEqual(expect.arrayContaining(['--context', '--all-contexts']));
    expect(values(['--all-contexts', 's'], 'bash', two)).toEqual(expect.arrayContaining(['status']));
    expect(values(['pve', 'list', '--'], 'bash', two)).toContain('--context');
    expect(values(['--context', ''], 'bash', two)).toEqual(['default', 'office']);
    expect(values(['--context=o'], 'zsh', two)).toEqual(['--context=office']);
    expect(values(['--context', 'office', 'pve', 'start', ''], 'bash', two)).toEqual(['300']);
    expect(values(['--context', 'office', ''], 'bash', two)).toContain('pve');
    // A command's word that takes a kind of value: `context use <name>`.
    expect(values(['context', ''], 'bash', two)).toEqual(['list', 'use', 'current']);
    expect(values(['context', 'use', 'o'], 'bash', two)).toEqual(['office']);
  });

  it('offers --all-contexts on status (the command it fans out) until a lab is named, and nowhere else', () => {
    const two = model(['default', 'office']);
    expect(values(['status', '--a'], 'bash', two)).toEqual(['--all-contexts']);
    expect(values(['status', '--'], 'bash', two)).toEqual(expect.arrayContaining(['--context', '--all-contexts']));
    expect(values(['pve', 'list', '--a'], 'bash', two)).toEqual([]);
    expect(values(['status', '--all-contexts', '--'], 'bash', two)).not.toContain('--all-contexts');
    expect(values(['status', '--all-contexts', '--'], 'bash', two)).not.toContain('--context');
    expect(values(['--context', 'office', 'status', '--'], 'bash', two)).not.toContain('--all-contexts');
    expect(values(['--context', 'office', 'pve', 'list', '--'], 'bash', two)).not.toContain('--context');
    expect(values(['status', '--a'])).toEqual([]);
  });

  it('lets the shell complete file names for a file input', () => {
    const answer = complete(model(), ['pve', 'clone', '9000', '--ssh-key', ''], 'bash');
    expect(answer.mode).toBe('files');
  });

  it('lets the shell complete file or directory names for the commands that take paths', () => {
    const mode = (line: string[], shell: Shell = 'bash'): string => complete(model(), line, shell).mode;
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      for (const line of [['batch', ''], ['batch', 'lines'], ['plan', ''], ['apply', 'la'], ['export', ''], ['--json', 'plan', '']]) expect(mode(line, shell), line.join(' ')).toBe('files');
      for (const line of [['shims', 'install', ''], ['shims', 'install', '~/b'], ['lab', '--dir', ''], ['lab', '--latency', '5', '--dir', '/tm']]) expect(mode(line, shell), line.join(' ')).toBe('dirs');
    }
    // Their options still complete as options.
    expect(values(['batch', '--k'])).toEqual(['--keep-going']);
    expect(values(['plan', '--d'])).toEqual(['--detailed-exitcode']);
    expect(mode(['lab', '--latency', ''])).toBe('words');
  });

  it('offers the labs after audit --lab', () => {
    expect(values(['audit', '--lab', ''], 'bash', model(['default', 'office']))).toEqual(['default', 'office']);
    expect(values(['audit', '--lab=o'], 'zsh', model(['default', 'office']))).toEqual(['--lab=office']);
  });

  it('leaves out values that would read as options, except after --', () => {
    const dashed: CompletionModel = { ...model(), values: (kind) => (kind === 'kuma.monitor' ? [{ value: '-dash' }, { value: 'forgejo' }] : []) };
    expect(values(['kuma', 'show', ''], 'bash', dashed)).toEqual(['forgejo']);
    expect(values(['kuma', 'show', '-'], 'bash', dashed)).not.toContain('-dash');
    expect(values(['kuma', 'show', '--', ''], 'bash', dashed)).toEqual(['-dash', 'forgejo']);
  });

  it('after --all-contexts offers only the commands that take it, and neither lab option again', () => {
    const two = model(['default', 'office']);
    expect(values(['--all-contexts', ''], 'bash', two).sort()).toEqual(['status', 'watch']);
    expect(values(['--all-contexts', 'st'], 'bash', two)).toEqual(['status']);
    const watch = values(['watch', '--all-contexts', '--'], 'bash', two);
    expect(watch).toEqual(expect.arrayContaining(['--once', '--digest', '--stdout']));
    expect(watch).not.toContain('--all-contexts');
    expect(watch).not.toContain('--context');
    expect(values(['--context', 'office', 'watch', '--'], 'bash', two)).not.toContain('--all-contexts');
    expect(values(['--all-contexts', '--'], 'bash', two)).toEqual(['--help', '--version']);
  });
});
