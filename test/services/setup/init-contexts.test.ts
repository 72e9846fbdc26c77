/**
 * `init` in a config of several labs, and what it writes: it sets up the lab the run is in
 * (HOMELAB_CONTEXT as `--context` sets it, else `current_context`), offering that lab's
 * values and naming it, and edits that lab's `services` beside its credentials; the other
 * lab keeps its URLs and tokens. config.yaml is edited in place (comments, order and
 * quoting kept; through a symlink, its mode kept) and not written at all when nothing
 * changed. Driven through the operation with scripted answers, as init.test.ts does.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createContext } from '../../../src/core/context.js';
import { PartialFailureError } from '../../../src/core/errors.js';
import { invoke } from '../../../src/core/invoke.js';
import type { InitResult } from '../../../src/services/setup/index.js';
import { getRegistry } from '../../../src/services/index.js';

/** Closed loopback ports: nothing listens there, so doctor only finds them down. */
const HOME_DNS = 'http://127.0.0.1:5997';
const OFFICE_DNS = 'http://127.0.0.1:5998';
const NEW_DNS = 'http://127.0.0.1:5999';

const CONFIG = `# my labs: keep this comment
services:
  dns: { url: "${HOME_DNS}" } # the house
contexts:
  # the second site
  office:
    services:
      dns:
        url: "${OFFICE_DNS}" # office DNS
`;

const roots: string[] = [];
afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

/** A config home holding `text` as config.yaml (mode 0600) and a DNS token for each lab. */
function home(text: string = CONFIG): { env: { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string }; config: string; homeCreds: string; officeCreds: string } {
  const root = mkdtempSync(join(tmpdir(), 'homelab-init-ctx-'));
  roots.push(root);
  const env = { HOMELAB_CONFIG_HOME: join(root, 'config'), HOMELAB_DATA_HOME: join(root, 'data') };
  const config = join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
  const homeCreds = join(env.HOMELAB_CONFIG_HOME, 'dns', 'credentials');
  const officeCreds = join(env.HOMELAB_CONFIG_HOME, 'homelab', 'contexts', 'office', 'dns', 'credentials');
  for (const [file, body] of [[config, text], [homeCreds, 'DNS_TOKEN=home-token-1234567890\n'], [officeCreds, 'DNS_TOKEN=office-token-1234567890\n']] as const) {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(file, body, { mode: 0o600 });
  }
  return { env, config, homeCreds, officeCreds };
}

/**
 * Runs init with `env`, answering by matching each question; returns the result and the
 * questions asked. Nothing listens at these labs' URLs, so doctor fails and init ends with
 * its exit code (4), carrying the result.
 */
async function runInit(env: Record<string, string>, answers: [RegExp, string][]): Promise<{ result: InitResult; asked: string[]; rendered: string }> {
  const asked: string[] = [];
  const prompt = async (question: string): Promise<string> => {
    asked.push(question);
    return answers.find(([re]) => re.test(question))?.[1] ?? '';
  };
  const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME }, prompt });
  const op = getRegistry().get('init');
  if (!op) throw new Error('init is not registered');
  const failure = await invoke(op, {}, ctx).then(() => undefined, (err: unknown) => err);
  expect(failure).toBeInstanceOf(PartialFailureError);
  expect(failure).toMatchObject({ exitCode: 4, message: expect.stringMatching(/^init: .* the lab does not work yet: doctor found \d+ of \d+ checks failing \(dns answers/) });
  const result = (failure as PartialFailureError).result as InitResult;
  const rendered = op.render ? JSON.stringify(op.render(result, {})) : '';
  return { result, asked, rendered };
}

const CONFIGURE_DNS_ONLY: [RegExp, string][] = [[/^Configure dns /, 'y'], [/^Configure /, 'n'], [/Technitium DNS URL/, NEW_DNS], [/Credentials: 1\)/, '1'], [/DNS_TOKEN/, 'new-token-abcdef1234567890']];

describe('init in a config of several labs', () => {
  it.each([
    ['HOMELAB_CONTEXT (as --context sets it)', { HOMELAB_CONTEXT: 'office' }, CONFIG],
    ['current_context', {}, `${CONFIG}current_context: office\n`],
  ])('sets up the lab %s names: its URL offered, its services edited, the other lab untouched', async (_how, extra, text) => {
    const { env, config, homeCreds, officeCreds } = home(text);
    const { result, asked, rendered } = await runInit({ ...env, ...extra }, CONFIGURE_DNS_ONLY);
    expect(asked.find((q) => q.startsWith('Configure dns '))).toBe('Configure dns (Technitium DNS) in lab office? [Y/n]');
    expect(asked.find((q) => q.startsWith('Configure telegram '))).toContain('shared by every lab');
    // The office lab's current URL is offered, not the default lab's.
    expect(asked.find((q) => /Technitium DNS URL/.test(q))).toContain(`[${OFFICE_DNS}]`);
    const after = parse(readFileSync(config, 'utf8')) as { services: { dns: { url: string } }; contexts: { office: { services: { dns: { url: string } } } } };
    expect(after.services.dns.url).toBe(HOME_DNS);
    expect(after.contexts.office.services.dns.url).toBe(NEW_DNS);
    expect(readFileSync(officeCreds, 'utf8')).toBe('DNS_TOKEN=new-token-abcdef1234567890\n');
    expect(readFileSync(homeCreds, 'utf8')).toBe('DNS_TOKEN=home-token-1234567890\n');
    expect(result.context).toBe('office');
    expect(result.written).toEqual([config, officeCreds]);
    expect(rendered).toContain('(lab office)');
    // Only the URL's line changed: every comment, the order and the quoting are kept.
    expect(readFileSync(config, 'utf8')).toBe(text.replace(`url: "${OFFICE_DNS}"`, `url: "${NEW_DNS}"`));
  });

  it('sets up the default lab at the top level, naming it, the office lab untouched', async () => {
    const { env, config, homeCreds, officeCreds } = home();
    const { asked } = await runInit(env, CONFIGURE_DNS_ONLY);
    expect(asked.find((q) => q.startsWith('Configure dns '))).toBe('Configure dns (Technitium DNS) in lab default? [Y/n]');
    expect(asked.find((q) => /Technitium DNS URL/.test(q))).toContain(`[${HOME_DNS}]`);
    expect(readFileSync(config, 'utf8')).toBe(CONFIG.replace(`url: "${HOME_DNS}"`, `url: "${NEW_DNS}"`));
    expect(readFileSync(homeCreds, 'utf8')).toBe('DNS_TOKEN=new-token-abcdef1234567890\n');
    expect(readFileSync(officeCreds, 'utf8')).toBe('DNS_TOKEN=office-token-1234567890\n');
  });

  it('adds a service to a lab under contexts:, not to the top level', async () => {
    const { env, config } = home();
    await runInit({ ...env, HOMELAB_CONTEXT: 'office' }, [[/^Configure proxy /, 'y'], [/^Configure /, 'n'], [/Nginx Proxy Manager URL/, 'http://127.0.0.1:5996'], [/NPM_EMAIL/, 'a@b.c'], [/NPM_PASSWORD/, 'pw-123456']]);
    const after = parse(readFileSync(config, 'utf8')) as { services: Record<string, unknown>; contexts: { office: { services: Record<string, unknown> } } };
    expect(Object.keys(after.services)).toEqual(['dns']);
    expect(after.contexts.office.services.proxy).toEqual({ url: 'http://127.0.0.1:5996' });
    expect(readFileSync(config, 'utf8')).toContain('# the second site');
  });

  it('refuses a lab the config does not define when asked not to add it (exit 3), saying how to add it', async () => {
    const { env, config } = home();
    const asked: string[] = [];
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME, HOMELAB_CONTEXT: 'garage' }, prompt: async (q) => { asked.push(q); return 'n'; } });
    const op = getRegistry().get('init');
    if (!op) throw new Error('init is not registered');
    await expect(invoke(op, {}, ctx)).rejects.toMatchObject({
      exitCode: 3, message: expect.stringContaining('unknown context "garage"'), hint: expect.stringContaining('homelab --context garage init adds it'),
    });
    expect(asked).toEqual([`Lab garage is not in ${config} (it defines default, office). Add it? [Y/n]`]);
    expect(readFileSync(config, 'utf8')).toBe(CONFIG);
  });

  it('adds a lab the config does not define once asked: contexts.<lab> with its services, its credentials under contexts/<lab>', async () => {
    const { env, config } = home();
    const { result, asked } = await runInit({ ...env, HOMELAB_CONTEXT: 'garage' }, [[/^Lab garage is not in/, 'y'], ...CONFIGURE_DNS_ONLY]);
    expect(asked[0]).toMatch(/^Lab garage is not in .* Add it\? \[Y\/n\]$/);
    expect(asked.find((q) => q.startsWith('Configure dns '))).toBe('Configure dns (Technitium DNS) in lab garage? [y/N]');
    const garageCreds = join(env.HOMELAB_CONFIG_HOME, 'homelab', 'contexts', 'garage', 'dns', 'credentials');
    expect(result).toMatchObject({ context: 'garage', contexts: ['default', 'office', 'garage'], written: [config, garageCreds] });
    const after = parse(readFileSync(config, 'utf8')) as { contexts: Record<string, unknown> };
    expect(after.contexts.garage).toEqual({ services: { dns: { url: NEW_DNS } } });
    expect(readFileSync(config, 'utf8')).toContain('# the second site');
    expect(readFileSync(garageCreds, 'utf8')).toBe('DNS_TOKEN=new-token-abcdef1234567890\n');
    expect(statSync(garageCreds).mode & 0o777).toBe(0o600);
  });
});

describe('what init writes', () => {
  it('writes nothing when every question is declined: the file, its comments and its mode as they were', async () => {
    const { env, config } = home();
    chmodSync(config, 0o640);
    const before = statSync(config);
    const { result, rendered } = await runInit(env, [[/^Configure /, 'n']]);
    expect(result.written).toEqual([]);
    expect(result.tightened).toBeNull();
    expect(rendered).toContain('Nothing changed');
    expect(rendered).not.toContain('Wrote');
    expect(readFileSync(config, 'utf8')).toBe(CONFIG);
    const after = statSync(config);
    expect([after.ino, after.mtimeMs, after.mode & 0o777]).toEqual([before.ino, before.mtimeMs, 0o640]);
  });

  it('writes nothing when the answers keep every value (Enter everywhere)', async () => {
    const { env, config, homeCreds } = home();
    const before = statSync(config).mtimeMs;
    const credsBefore = statSync(homeCreds).mtimeMs;
    const { result } = await runInit(env, [[/^Configure dns /, 'y'], [/^Configure /, 'n']]);
    expect(result.configured).toEqual(['dns']);
    expect(result.written).toEqual([]);
    expect(statSync(config).mtimeMs).toBe(before);
    expect(statSync(homeCreds).mtimeMs).toBe(credsBefore);
  });

  it('writes through a symlinked config.yaml to its target, the link and the mode kept', async () => {
    const { env, config } = home();
    const target = join(env.HOMELAB_CONFIG_HOME, 'dotfiles', 'config.yaml');
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, CONFIG, { mode: 0o640 });
    chmodSync(target, 0o640);
    rmSync(config);
    symlinkSync(target, config);
    const { result } = await runInit({ ...env, HOMELAB_CONTEXT: 'office' }, CONFIGURE_DNS_ONLY);
    expect(result.written[0]).toBe(config);
    expect(lstatSync(config).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(CONFIG.replace(`url: "${OFFICE_DNS}"`, `url: "${NEW_DNS}"`));
    expect(statSync(target).mode & 0o777).toBe(0o640);
  });

  it('makes a config.yaml others may write (refused by every command) its owner\'s, saying so, its text kept', async () => {
    const { env, config } = home();
    chmodSync(config, 0o666);
    const { result, rendered } = await runInit(env, [[/^Configure /, 'n']]);
    expect(result.tightened).toBe('666');
    expect(rendered).toContain('Set mode 600');
    // Said once, consistently: the mode changed, nothing else did.
    expect(rendered).toContain('; nothing else changed');
    expect(rendered).not.toContain('Nothing changed');
    expect(rendered).not.toContain('nothing was written');
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(readFileSync(config, 'utf8')).toBe(CONFIG);
  });
});
