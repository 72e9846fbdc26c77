/**
 * `context use` changes config.yaml byte for byte as little as it can: only the value of
 * `current_context` (its comment, the spacing before it and its quotes kept), or one line
 * added at the end when the file has none; and nothing at all (not even the file's mtime)
 * when the lab asked for is the current one already, written or implied (a config without
 * `contexts:` is the lab `default`). A layout it cannot edit in place (a block scalar value,
 * a file ending in `...`, an indented top-level map) is re-printed instead, never corrupted:
 * the file reads back as before with only `current_context` changed; a CRLF file keeps its
 * line endings and a flow-style top-level map gets the pair inside its braces.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'homelab-context-use-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let n = 0;
/** A config home whose config.yaml is `text`; returns its environment and the file's path. */
function home(text: string): { env: Record<string, string>; path: string } {
  const dir = join(work, `home-${n++}`);
  mkdirSync(join(dir, 'homelab'), { recursive: true, mode: 0o700 });
  const path = join(dir, 'homelab', 'config.yaml');
  writeFileSync(path, text, { mode: 0o600 });
  return { env: { HOMELAB_CONFIG_HOME: dir, HOMELAB_DATA_HOME: join(dir, 'data') }, path };
}

const LABS = [
  '# my labs',
  'services:',
  '  dns: { url: "http://127.0.0.1:9", zone: home.lan }   # the house',
  'contexts:   # labs here',
  '  office:',
  '    services:',
  '      dns: { url: "http://127.0.0.1:9", zone: office.lan }',
  '',
].join('\n');

describe('context use', () => {
  it('with current_context written: replaces only its value; the same name again writes nothing', async () => {
    const text = `${LABS}current_context: default      # pinned\n`;
    const { env, path } = home(text);
    const before = statSync(path);
    const same = await runCli(['context', 'use', 'default'], env);
    expect([same.code, same.stdout]).toEqual([0, 'current context: default (unchanged)\n']);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(statSync(path).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(path).ino).toBe(before.ino);
    const r = await runCli(['context', 'use', 'office'], env);
    expect([r.code, r.stdout]).toEqual([0, 'current context: office (was default)\n']);
    expect(readFileSync(path, 'utf8')).toBe(`${LABS}current_context: office      # pinned\n`);
    expect((await runCli(['context', 'current'], env)).stdout).toBe('office\n');
  });

  it('without current_context: the implied lab writes nothing; another adds one line at the end', async () => {
    const { env, path } = home(LABS);
    expect((await runCli(['context', 'use', 'default'], env)).stdout).toBe('current context: default (unchanged)\n');
    expect(readFileSync(path, 'utf8')).toBe(LABS);
    expect((await runCli(['context', 'use', 'office'], env)).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(`${LABS}current_context: office\n`);
  });

  it('--json of context use and context current is indented like every other command\'s', async () => {
    const { env, path } = home(LABS);
    const used = await runCli(['context', 'use', 'office', '--json'], env);
    expect(used.code).toBe(0);
    expect(used.stdout).toBe(`${JSON.stringify({ previous: 'default', current: 'office', path }, null, 2)}\n`);
    const current = await runCli(['context', 'current', '--json'], env);
    expect(current.stdout).toBe(`${JSON.stringify(JSON.parse(current.stdout), null, 2)}\n`);
    expect(current.stdout.split('\n').length).toBeGreaterThan(2);
  });

  it('on a config without contexts: default is unchanged and the file is not touched', async () => {
    const text = 'services:\n  dns: { url: "http://127.0.0.1:9", zone: home.lan }   # the only lab\n';
    const { env, path } = home(text);
    const r = await runCli(['context', 'use', 'default'], env);
    expect([r.code, r.stdout]).toEqual([0, 'current context: default (unchanged)\n']);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('keeps the quotes the value had, quotes a name YAML would read as a number, and fills an empty value before its comment', async () => {
    const quoted = home(`${LABS}current_context: 'default'  # pinned\n`);
    expect((await runCli(['context', 'use', 'office'], quoted.env)).code).toBe(0);
    expect(readFileSync(quoted.path, 'utf8')).toBe(`${LABS}current_context: 'office'  # pinned\n`);
    const numeric = home(`${LABS}  "2024":\n    services: {}\ncurrent_context: office\n`);
    expect((await runCli(['context', 'use', '2024'], numeric.env)).code).toBe(0);
    expect(readFileSync(numeric.path, 'utf8')).toBe(`${LABS}  "2024":\n    services: {}\ncurrent_context: "2024"\n`);
    expect((await runCli(['context', 'current'], numeric.env)).stdout).toBe('2024\n');
    const empty = home(`${LABS}current_context:   # pinned\n`);
    const r = await runCli(['context', 'use', 'office'], empty.env);
    expect(r.stdout).toBe('current context: office (replaced current_context, which was empty, not a context name)\n');
    expect(readFileSync(empty.path, 'utf8')).toBe(`${LABS}current_context:   office # pinned\n`);
  });

  it('never corrupts a layout it cannot edit in place: the file reads back as before, current_context changed', async () => {
    const body = 'services:\n  dns: { url: "http://127.0.0.1:9", zone: home.lan }\ncontexts:\n  office:\n    services: {}\n';
    const texts = [
      `current_context: >-\n  default\n${body}`,
      `${body}current_context: >-\n  default\n`,
      `${body}...\n`,
      body.replace(/^/gm, '  ').replace(/ +$/, ''),
      `${body}current_context: |\n  default\n# the end\n`,
    ];
    for (const text of texts) {
      const { env, path } = home(text);
      const r = await runCli(['context', 'use', 'office'], env);
      expect([r.code, r.stderr], text).toEqual([0, '']);
      const docs = parseAllDocuments(readFileSync(path, 'utf8'));
      expect(Array.isArray(docs) && docs.length, text).toBe(1);
      const [before, after] = [parseAllDocuments(text), docs].map((d) => (d as { toJS(): Record<string, unknown> }[])[0]?.toJS());
      expect(after, text).toEqual({ ...before, current_context: 'office' });
      expect((await runCli(['context', 'current'], env)).stdout, text).toBe('office\n');
    }
  });

  it('adds the line in the file\'s own line ending, and inside a flow-style top-level map', async () => {
    const crlf = home(`${LABS.replace(/\n/g, '\r\n')}`);
    expect((await runCli(['context', 'use', 'office'], crlf.env)).code).toBe(0);
    expect(readFileSync(crlf.path, 'utf8')).toBe(`${LABS}current_context: office\n`.replace(/\n/g, '\r\n'));
    const flow = home('{ services: { dns: { url: "http://127.0.0.1:9", zone: home.lan } }, contexts: { office: { services: {} } } }   # one line\n');
    expect((await runCli(['context', 'use', 'office'], flow.env)).code).toBe(0);
    expect(readFileSync(flow.path, 'utf8')).toBe('{ services: { dns: { url: "http://127.0.0.1:9", zone: home.lan } }, contexts: { office: { services: {} } }, current_context: office }   # one line\n');
  });
});
