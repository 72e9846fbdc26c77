/**
 * Contexts in the config (no network): which context a run is in and what it sees, the
 * paths of its credentials and state (`default` keeps today's), what is shared, refusals
 * with one clear line and exit 3, and the audit log's context column added to a database
 * made before contexts (its rows read as `default`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStore, auditFile } from '../../src/audit/store.js';
import { loadConfig } from '../../src/core/config.js';
import { takeContextFlags } from '../../src/core/context-flag.js';
import { contextChoice } from '../../src/core/context-name.js';
import { createContext } from '../../src/core/context.js';
import { ConfigError, ExitCode, UsageError } from '../../src/core/errors.js';
import { LabSet } from '../../src/core/lab-set.js';
import { contextDataHome, credentialsFile } from '../../src/core/paths.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-contexts-'));
  env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
  mkdirSync(join(dir, 'config', 'homelab'), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (text: string): void => writeFileSync(join(dir, 'config', 'homelab', 'config.yaml'), text);
const pve = (port: number): string => `{ url: "https://127.0.0.1:${port}" }`;
const TWO = `services:\n  pve: ${pve(1001)}\ntelegram:\n  owner_chat_id: 5\n  allowed_users: [5]\ncontexts:\n  office:\n    services:\n      pve: ${pve(2002)}\n    telegram:\n      owner_chat_id: 7\n`;

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(ExitCode.config);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('a config without contexts', () => {
  it('is the context default with today\'s paths', () => {
    write(`services:\n  pve: ${pve(1001)}\n`);
    const config = loadConfig(env);
    expect(config.context).toBe('default');
    expect(config.contextNames).toEqual(['default']);
    expect(config.services.pve).toEqual({ url: 'https://127.0.0.1:1001' });
    expect(credentialsFile('pve', env)).toBe(join(dir, 'config', 'pve', 'credentials'));
    expect(contextDataHome(env)).toBe(join(dir, 'data'));
    expect(createContext({ actor: { surface: 'cli', id: 't' }, env }).dataDir).toBe(join(dir, 'data'));
    expect(refusal(() => loadConfig({ ...env, HOMELAB_CONTEXT: 'office' })).message).toContain('unknown context "office"');
  });

  it('a missing file is the context default too', () => {
    expect(loadConfig(env).context).toBe('default');
    expect(refusal(() => loadConfig({ ...env, HOMELAB_CONTEXT: 'office' })).message).toContain('defines default');
  });
});

describe('contexts', () => {
  it('top-level services are the context default; a context sees its own services and the shared settings it overrides', () => {
    write(TWO);
    const home = loadConfig(env);
    expect(home.contextNames).toEqual(['default', 'office']);
    expect(home.context).toBe('default');
    expect(home.services.pve).toEqual({ url: 'https://127.0.0.1:1001' });
    const office = loadConfig({ ...env, HOMELAB_CONTEXT: 'office' });
    expect(office.context).toBe('office');
    expect(office.origin).toBe('contexts.office.');
    expect(office.services.pve).toEqual({ url: 'https://127.0.0.1:2002' });
    // telegram is shared: the context overrides owner_chat_id and keeps the allowlist.
    expect(office.telegram).toEqual({ owner_chat_id: 7, allowed_users: [5] });
    expect(office.ssh.targets).toEqual([]);
  });

  it('keeps each context\'s credentials and state apart; the bot\'s token is shared', () => {
    write(TWO);
    const office = { ...env, HOMELAB_CONTEXT: 'office' };
    expect(credentialsFile('pve', office)).toBe(join(dir, 'config', 'homelab', 'contexts', 'office', 'pve', 'credentials'));
    expect(credentialsFile('telegram', office)).toBe(join(dir, 'config', 'telegram', 'credentials'));
    expect(contextDataHome(office)).toBe(join(dir, 'data', 'contexts', 'office'));
    expect(createContext({ actor: { surface: 'cli', id: 't' }, env: office }).dataDir).toBe(join(dir, 'data', 'contexts', 'office'));
    // A preloaded config of a context pins it, whatever the environment says.
    const ctx = createContext({ actor: { surface: 'cli', id: 't' }, env, config: loadConfig(office) });
    expect(ctx.dataDir).toBe(join(dir, 'data', 'contexts', 'office'));
    expect(ctx.env.HOMELAB_CONTEXT).toBe('office');
  });

  it('current_context chooses; HOMELAB_CONTEXT wins over it', () => {
    write(`${TWO}current_context: office\n`);
    expect(loadConfig(env).context).toBe('office');
    expect(credentialsFile('pve', env)).toContain(join('contexts', 'office', 'pve'));
    expect(loadConfig({ ...env, HOMELAB_CONTEXT: 'default' }).context).toBe('default');
  });

  it('without top-level services there is no default: the first context is current', () => {
    write(`contexts:\n  lab2:\n    services:\n      pve: ${pve(3)}\n  lab1: {}\n`);
    expect(contextChoice({ contexts: { lab2: {}, lab1: {} } })).toEqual({ names: ['lab2', 'lab1'], current: 'lab2' });
    expect(loadConfig(env).context).toBe('lab2');
    expect(refusal(() => loadConfig({ ...env, HOMELAB_CONTEXT: 'default' })).message).toContain('defines lab2, lab1');
  });

  it('refuses what cannot be, with one line naming the key', () => {
    write(`services:\n  pve: ${pve(1)}\ncontexts:\n  default:\n    services: {}\n`);
    expect(refusal(() => loadConfig(env)).message).toContain('contexts.default: the top-level services/ssh are already the context default');
    write('contexts:\n  office:\n    servics: {}\n');
    expect(refusal(() => loadConfig(env)).message).toMatch(/contexts\.office: .*servics/);
    write('contexts:\n  "../up": {}\n');
    expect(refusal(() => loadConfig(env)).message).toContain('contexts.../up');
    write(TWO);
    expect(refusal(() => loadConfig({ ...env, HOMELAB_CONTEXT: '../../etc' })).message).toContain('not a valid name');
    expect(() => credentialsFile('pve', { ...env, HOMELAB_CONTEXT: '../x' })).toThrow(ConfigError);
  });

  it('a lab set gives each context its own clients and config, and refuses an unknown one', () => {
    write(TWO);
    const labs = new LabSet(env, loadConfig(env));
    expect(labs.home).toBe('default');
    expect(labs.several).toBe(true);
    const office = labs.get('office');
    expect(office.config.services.pve).toEqual({ url: 'https://127.0.0.1:2002' });
    expect(office.clients).not.toBe(labs.get().clients);
    expect(labs.get('office')).toBe(office);
    expect(office.dataDir).toBe(join(dir, 'data', 'contexts', 'office'));
    expect(refusal(() => labs.get('garage')).message).toContain('default, office');
  });
});

describe('--context words', () => {
  it('are taken out anywhere before --, once: a second --context naming another lab is a usage error, the same one is harmless', () => {
    expect(takeContextFlags(['pve', 'list', '--context=b'])).toEqual({ words: ['pve', 'list'], context: 'b', allContexts: false });
    expect(takeContextFlags(['--context', 'a', 'pve', 'list'])).toEqual({ words: ['pve', 'list'], context: 'a', allContexts: false });
    for (const twice of [['--context', 'a', 'pve', 'list', '--context=b'], ['--context=a', 'pve', '--context', 'b']]) {
      expect(() => takeContextFlags(twice)).toThrow(/^--context given twice \("a", "b"\): name one lab$/);
    }
    expect(takeContextFlags(['--context', 'office', 'pve', 'list', '--context', 'office'])).toEqual({ words: ['pve', 'list'], context: 'office', allContexts: false });
    expect(takeContextFlags(['--context=a', 'pve', '--context', 'a', '--context=a'])).toEqual({ words: ['pve'], context: 'a', allContexts: false });
    expect(takeContextFlags(['status', '--all-contexts', '--json'])).toEqual({ words: ['status', '--json'], allContexts: true });
    expect(takeContextFlags(['telegram', 'send', '--', '--context', 'x'])).toEqual({ words: ['telegram', 'send', '--', '--context', 'x'], allContexts: false });
    expect(() => takeContextFlags(['--context'])).toThrow(UsageError);
    expect(() => takeContextFlags(['--context', '--json'])).toThrow(UsageError);
    expect(() => takeContextFlags(['--context='])).toThrow(UsageError);
  });
});

describe('the audit log\'s context column', () => {
  it('is added to a database made before contexts; older rows read as default', () => {
    const data = join(dir, 'data');
    mkdirSync(data, { recursive: true });
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { exec(sql: string): void; close(): void };
    const old = new Database(auditFile(data));
    old.exec(`CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, surface TEXT NOT NULL, actor TEXT NOT NULL,
      operation TEXT NOT NULL, risk TEXT NOT NULL, input TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT 'running', error TEXT, duration_ms INTEGER, plan TEXT, plan_step TEXT);
      INSERT INTO audit (started_at, surface, actor, operation, risk, input, outcome) VALUES (${Date.now()}, 'cli', 'old', 'pve.start', 'change', '{}', 'ok');`);
    old.close();
    const reading = AuditStore.openForReading(data);
    expect(reading?.list({ context: 'default' }).map((r) => r.actor)).toEqual(['old']);
    expect(reading?.list({ context: 'office' })).toEqual([]);
    reading?.close();
    const store = AuditStore.open(data);
    store.begin({ startedAt: Date.now(), actor: { surface: 'mcp', id: 'new' }, operation: 'pve.start', risk: 'change', input: {}, context: 'office' });
    expect(store.list().map((r) => [r.actor, r.context])).toEqual([['old', 'default'], ['new', 'office']]);
    expect(store.list({ context: 'office' }).map((r) => r.actor)).toEqual(['new']);
    store.close();
  });
});
