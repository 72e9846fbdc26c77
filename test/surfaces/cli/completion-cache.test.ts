/**
 * The completion cache ($HOMELAB_DATA_HOME/completion/<context>/<kind>.json): written 0600
 * through a rename, in a 0700 directory; a full listing replaces a kind's values, a
 * filtered one adds to them; values older than
 * the TTL are not offered; contexts are kept apart; words a shell cannot take as one word
 * are dropped; a damaged or unwritable cache costs suggestions, never an error. Also the
 * config values: contexts, the current one, and each context's SSH targets.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPLETION_MAX_VALUES, COMPLETION_TTL_MS, RESTAMP_MS, cachedValues, completionCacheFile, storeCompletions } from '../../../src/surfaces/cli/completion/cache.js';
import { readConfigValues, selectedContext } from '../../../src/surfaces/cli/completion/config-values.js';

const work = mkdtempSync(join(tmpdir(), 'homelab-completion-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const freshEnv = (): NodeJS.ProcessEnv => ({ HOMELAB_DATA_HOME: join(work, `data-${n}`), HOMELAB_CONFIG_HOME: join(work, `config-${n++}`) });
const guests = (...ids: number[]) => ids.map((id) => ({ value: String(id), description: `guest ${id}` }));

describe('completion cache', () => {
  it('is written 0600 and read back per kind and context', () => {
    const env = freshEnv();
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(100, 101) }, { kind: 'pve.node', values: [{ value: 'pve1' }] }]);
    const file = completionCacheFile(env, 'default', 'pve.guest') as string;
    expect(file).toBe(join(env.HOMELAB_DATA_HOME as string, 'completion', 'default', 'pve.guest.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(cachedValues(env, 'default', 'pve.guest')).toEqual([{ value: '100', description: 'guest 100' }, { value: '101', description: 'guest 101' }]);
    expect(cachedValues(env, 'default', 'pve.node')).toEqual([{ value: 'pve1' }]);
    expect(cachedValues(env, 'office', 'pve.guest')).toEqual([]);
    storeCompletions(env, 'office', [{ kind: 'pve.guest', values: guests(300) }]);
    expect(cachedValues(env, 'office', 'pve.guest').map((v) => v.value)).toEqual(['300']);
    expect(cachedValues(env, 'default', 'pve.guest').map((v) => v.value)).toEqual(['100', '101']);
  });

  it('replaces a kind on a full listing and adds to it on a filtered one', () => {
    const env = freshEnv();
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(100, 101, 102) }]);
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(100, 102) }]);
    expect(cachedValues(env, 'default', 'pve.guest').map((v) => v.value)).toEqual(['100', '102']);
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: [{ value: '105', description: 'new' }, { value: '100', description: 'renamed' }], partial: true }]);
    expect(cachedValues(env, 'default', 'pve.guest')).toEqual([{ value: '102', description: 'guest 102' }, { value: '105', description: 'new' }, { value: '100', description: 'renamed' }]);
  });

  it('leaves the file alone when a listing shows what it holds, and restamps it when the stamps grow old', () => {
    const env = freshEnv();
    const start = Date.now() - 2 * RESTAMP_MS;
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(100, 101) }], start);
    const file = completionCacheFile(env, 'default', 'pve.guest') as string;
    const written = () => readFileSync(file, 'utf8');
    const first = written();
    const inode = statSync(file).ino;
    // The same listing a minute later: not rewritten (same file, same stamps).
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(100, 101) }], start + 60_000);
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(101), partial: true }], start + 60_000);
    expect(written()).toBe(first);
    expect(statSync(file).ino).toBe(inode);
    // A changed description, order or value set is written at once.
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: [{ value: '100', description: 'renamed' }, ...guests(101)] }], start + 120_000);
    expect(cachedValues(env, 'default', 'pve.guest', start + 120_000)[0]).toEqual({ value: '100', description: 'renamed' });
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(101, 100) }], start + 180_000);
    expect(cachedValues(env, 'default', 'pve.guest', start + 180_000).map((v) => v.value)).toEqual(['101', '100']);
    // The same values once the stamps are RESTAMP_MS old: restamped, so they stay offered a TTL on.
    const later = start + 180_000 + RESTAMP_MS;
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(101, 100) }], later);
    expect(cachedValues(env, 'default', 'pve.guest', later + COMPLETION_TTL_MS - 1000)).toHaveLength(2);
  });

  it('keeps 20,000 values of a kind: a full listing its first ones, a filtered one its newest', () => {
    const env = freshEnv();
    const many = Array.from({ length: COMPLETION_MAX_VALUES + 5 }, (_, i) => ({ value: String(100 + i) }));
    expect(COMPLETION_MAX_VALUES).toBe(20_000);
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: many }]);
    const full = cachedValues(env, 'default', 'pve.guest');
    expect(full).toHaveLength(COMPLETION_MAX_VALUES);
    expect(full.at(-1)?.value).toBe(String(100 + COMPLETION_MAX_VALUES - 1));
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: [{ value: '99999999' }], partial: true }]);
    const added = cachedValues(env, 'default', 'pve.guest');
    expect(added).toHaveLength(COMPLETION_MAX_VALUES);
    expect(added[0]?.value).toBe('101');
    expect(added.at(-1)?.value).toBe('99999999');
  });

  it('does not offer values older than the TTL', () => {
    const env = freshEnv();
    const then = Date.now() - COMPLETION_TTL_MS - 1000;
    storeCompletions(env, 'default', [{ kind: 'kuma.monitor', values: [{ value: 'old' }] }], then);
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(100) }]);
    expect(cachedValues(env, 'default', 'kuma.monitor')).toEqual([]);
    expect(cachedValues(env, 'default', 'pve.guest')).toHaveLength(1);
    // A filtered listing drops the expired values it would otherwise keep.
    storeCompletions(env, 'default', [{ kind: 'kuma.monitor', values: [{ value: 'new' }], partial: true }]);
    const stored = JSON.parse(readFileSync(completionCacheFile(env, 'default', 'kuma.monitor') as string, 'utf8')) as { entries: unknown[] };
    expect(stored.entries).toHaveLength(1);
  });

  it('keeps names that cannot be file names out of the file system', () => {
    const env = freshEnv();
    expect(completionCacheFile(env, '../x', 'pve.guest')).toBeUndefined();
    expect(completionCacheFile(env, 'default', '../../x')).toBeUndefined();
    expect(() => storeCompletions(env, '../x', [{ kind: 'pve.guest', values: guests(100) }])).not.toThrow();
    expect(cachedValues(env, '../x', 'pve.guest')).toEqual([]);
  });

  it('drops words with control characters and flattens descriptions', () => {
    const env = freshEnv();
    storeCompletions(env, 'default', [{ kind: 'kuma.monitor', values: [{ value: 'ok name' }, { value: 'two\nlines' }, { value: 'tab\there' }, { value: '' }, { value: 'x', description: 'a\tb\nc' }] }]);
    expect(cachedValues(env, 'default', 'kuma.monitor')).toEqual([{ value: 'ok name' }, { value: 'x', description: 'a b c' }]);
  });

  it('survives a damaged file and a path it cannot write', () => {
    const env = freshEnv();
    const damaged = completionCacheFile(env, 'default', 'pve.guest') as string;
    mkdirSync(dirname(damaged), { recursive: true });
    writeFileSync(damaged, '{"format":2,"entries":[["100"');
    expect(cachedValues(env, 'default', 'pve.guest')).toEqual([]);
    storeCompletions(env, 'default', [{ kind: 'pve.guest', values: guests(100) }]);
    expect(cachedValues(env, 'default', 'pve.guest').map((v) => v.value)).toEqual(['100']);
    // A file that is a directory: nothing offered, nothing thrown.
    const odd = freshEnv();
    mkdirSync(completionCacheFile(odd, 'default', 'pve.guest') as string, { recursive: true });
    expect(cachedValues(odd, 'default', 'pve.guest')).toEqual([]);
    expect(() => storeCompletions(odd, 'default', [{ kind: 'pve.guest', values: guests(100) }])).not.toThrow();
  });
});

describe('completion values from config.yaml', () => {
  const write = (env: NodeJS.ProcessEnv, text: string): void => {
    mkdirSync(join(env.HOMELAB_CONFIG_HOME as string, 'homelab'), { recursive: true });
    writeFileSync(join(env.HOMELAB_CONFIG_HOME as string, 'homelab', 'config.yaml'), text);
  };

  it('reads the SSH targets of a config without contexts, as the context default', () => {
    const env = freshEnv();
    write(env, 'services: {}\nssh:\n  targets:\n    - { name: web, host: 10.5.0.20 }\n    - { host: 10.5.0.21 }\n    - { name: git, host: 10.5.0.12 }\n');
    const config = readConfigValues(env);
    expect(config.contexts).toEqual([]);
    expect(selectedContext(config, env)).toBe('default');
    expect(config.sshTargets('default')).toEqual([{ value: 'web', description: '10.5.0.20' }, { value: 'git', description: '10.5.0.12' }]);
  });

  it('reads contexts, the current one, and each context\'s targets', () => {
    const env = freshEnv();
    write(env, 'current_context: office\ncontexts:\n  home:\n    ssh: { targets: [{ name: web, host: 10.5.0.20 }] }\n  office:\n    ssh: { targets: [{ name: printer, host: 10.9.0.5 }] }\n');
    const config = readConfigValues(env);
    expect(config.contexts).toEqual(['home', 'office']);
    expect(selectedContext(config, env)).toBe('office');
    expect(selectedContext(config, { ...env, HOMELAB_CONTEXT: 'home' })).toBe('home');
    expect(selectedContext(config, { ...env, HOMELAB_CONTEXT: 'home' }, 'office')).toBe('office');
    expect(config.sshTargets('home').map((t) => t.value)).toEqual(['web']);
    expect(config.sshTargets('office').map((t) => t.value)).toEqual(['printer']);
  });

  it('counts the top-level services and ssh as the context default beside contexts:', () => {
    const env = freshEnv();
    write(env, 'services: {}\nssh: { targets: [{ name: web, host: 10.5.0.20 }] }\ncontexts:\n  office:\n    ssh: { targets: [{ name: printer }] }\n');
    const config = readConfigValues(env);
    expect([config.contexts, config.current]).toEqual([['default', 'office'], 'default']);
    expect([config.sshTargets('default').map((t) => t.value), config.sshTargets('office').map((t) => t.value)]).toEqual([['web'], ['printer']]);
  });

  it('completes nothing from a missing or broken config, without throwing', () => {
    const env = freshEnv();
    expect(readConfigValues(env).contexts).toEqual([]);
    write(env, 'services: [\n');
    expect(readConfigValues(env).sshTargets('default')).toEqual([]);
    write(env, 'ssh: { targets: 7 }\ncontexts: nope\n');
    const config = readConfigValues(env);
    expect([config.contexts, config.sshTargets('default')]).toEqual([[], []]);
  });
});
