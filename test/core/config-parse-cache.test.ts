/**
 * The parse cache of config.yaml: a hit only for the very text parsed before (never stale),
 * kept private (0700 folder, 0600 file), never holding what JSON would change, never used
 * from a folder others may write; what it returns is validated by the config's schema.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/core/config.js';
import { CONFIG_PARSE_CACHE, parseCached } from '../../src/core/config-parse-cache.js';

const work = mkdtempSync(join(tmpdir(), 'homelab-parse-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const freshEnv = (): NodeJS.ProcessEnv => ({ XDG_CACHE_HOME: join(work, `cache-${n++}`) });
const cacheFile = (env: NodeJS.ProcessEnv): string => join(env.XDG_CACHE_HOME as string, 'homelab', CONFIG_PARSE_CACHE);

/** parseYaml, counting its calls. */
function counting(): { parse: (text: string) => unknown; calls: () => number } {
  let calls = 0;
  return { parse: (text) => { calls++; return parseYaml(text) as unknown; }, calls: () => calls };
}

describe('config parse cache', () => {
  it('parses a text once and gives the same value back for the same text, privately stored', () => {
    const env = freshEnv();
    const yaml = counting();
    const text = 'services:\n  pve:\n    url: https://10.5.0.2:8006\n';
    const first = parseCached(text, env, yaml.parse);
    expect(parseCached(text, env, yaml.parse)).toEqual(first);
    expect(yaml.calls()).toBe(1);
    expect(statSync(cacheFile(env)).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.XDG_CACHE_HOME as string, 'homelab')).mode & 0o777).toBe(0o700);
    // One character more is another text: parsed again.
    expect(parseCached(`${text} `, env, yaml.parse)).toEqual(first);
    expect(yaml.calls()).toBe(2);
  });

  it('never keeps a value JSON would change, a broken text, or anything from a folder others may write', () => {
    const env = freshEnv();
    const yaml = counting();
    const inf = 'watch:\n  interval: .inf\n';
    expect(parseCached(inf, env, yaml.parse)).toEqual({ watch: { interval: Infinity } });
    expect(parseCached(inf, env, yaml.parse)).toEqual({ watch: { interval: Infinity } });
    expect(yaml.calls()).toBe(2);
    expect(() => parseCached('contexts: [\n', env, yaml.parse)).toThrow();
    expect(() => readFileSync(cacheFile(env))).toThrow();

    const open = freshEnv();
    mkdirSync(join(open.XDG_CACHE_HOME as string, 'homelab'), { recursive: true });
    chmodSync(join(open.XDG_CACHE_HOME as string, 'homelab'), 0o777);
    const text = 'ssh:\n  targets: []\n';
    parseCached(text, open, yaml.parse);
    parseCached(text, open, yaml.parse);
    expect(yaml.calls()).toBe(5);
    expect(() => readFileSync(cacheFile(open))).toThrow();
  });

  it('keeps nothing when the environment names no absolute cache or home folder', () => {
    const yaml = counting();
    for (const env of [{}, { HOME: '' }, { HOME: 'relative/home' }, { XDG_CACHE_HOME: 'relative', HOME: '.' }] as NodeJS.ProcessEnv[]) {
      parseCached('a: 1\n', env, yaml.parse);
      parseCached('a: 1\n', env, yaml.parse);
    }
    expect(yaml.calls()).toBe(8);
    expect(() => statSync(join(process.cwd(), 'relative'))).toThrow();
    expect(() => statSync(join(process.cwd(), '.cache', 'homelab', CONFIG_PARSE_CACHE))).toThrow();
  });

  it('removes the temporary files of killed runs when it writes, and leaves one being written', () => {
    const env = freshEnv();
    const dir = join(env.XDG_CACHE_HOME as string, 'homelab');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    // A process running through the test: its pid is taken, but its file is too old to be a write under way.
    const running = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      const killed = join(dir, `${CONFIG_PARSE_CACHE}.${dead}.tmp`);
      const old = join(dir, `${CONFIG_PARSE_CACHE}.${String(running.pid)}.tmp`);
      // Another process writing now (this one's parent, running; this one's own name is its own write's).
      const writing = join(dir, `${CONFIG_PARSE_CACHE}.${process.ppid}.tmp`);
      const other = join(dir, `something-else.${dead}.tmp`);
      for (const file of [killed, old, writing, other]) writeFileSync(file, '{', { mode: 0o600 });
      const tenMinutesAgo = new Date(Date.now() - 600_000);
      utimesSync(old, tenMinutesAgo, tenMinutesAgo);
      parseCached('a: 1\n', env, (text) => parseYaml(text) as unknown);
      expect(readdirSync(dir).sort()).toEqual([CONFIG_PARSE_CACHE, `${CONFIG_PARSE_CACHE}.${process.ppid}.tmp`, `something-else.${dead}.tmp`].sort());
    } finally {
      running.kill();
    }
  });

  it('survives a damaged cache file', () => {
    const env = freshEnv();
    const yaml = counting();
    parseCached('a: 1\n', env, yaml.parse);
    writeFileSync(cacheFile(env), '{"text": "a: 1\\n", "ra');
    expect(parseCached('a: 1\n', env, yaml.parse)).toEqual({ a: 1 });
    expect(yaml.calls()).toBe(2);
    expect(parseCached('a: 1\n', env, yaml.parse)).toEqual({ a: 1 });
    expect(yaml.calls()).toBe(2);
  });

  it('serves loadConfig, whose schema still validates what the cache gives', () => {
    const env = { ...freshEnv(), HOMELAB_CONFIG_HOME: join(work, `config-${n++}`) };
    mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
    const text = 'ssh:\n  targets:\n    - name: dns\n      host: 10.5.0.53\n';
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), text);
    expect(loadConfig(env).ssh.targets.map((t) => t.name)).toEqual(['dns']);
    expect(JSON.parse(readFileSync(cacheFile(env), 'utf8'))).toEqual({ parser: 'yaml@dev', text, raw: { ssh: { targets: [{ name: 'dns', host: '10.5.0.53' }] } } });
    // The cache is what a run with this very text reads (a second config file, not yet seen by this process).
    const again = { ...env, HOMELAB_CONFIG_HOME: join(work, `config-${n++}`) };
    mkdirSync(join(again.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
    writeFileSync(join(again.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), text);
    // Made by another parser (a yaml upgrade): not used.
    writeFileSync(cacheFile(env), JSON.stringify({ parser: 'yaml@0.0.1', text, raw: { ssh: { targets: [{ name: 'other', host: '10.5.0.53' }] } } }));
    expect(loadConfig(again).ssh.targets.map((t) => t.name)).toEqual(['dns']);
    const other = { ...env, HOMELAB_CONFIG_HOME: join(work, `config-${n++}`) };
    mkdirSync(join(other.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
    writeFileSync(join(other.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), text);
    writeFileSync(cacheFile(env), JSON.stringify({ parser: 'yaml@dev', text, raw: { ssh: { targets: [{ name: 'from cache', host: '10.5.0.53' }] } } }));
    expect(() => loadConfig(other)).toThrow(/targets.*name.*simple name|must be a simple name/s);
  });
});
