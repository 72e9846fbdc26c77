/**
 * The tokens homelab caches in its data folder (NPM, Kuma, Beszel logins, the DNS session) and
 * the MCP token are registered for redaction with the credentials (`registerStoredSecrets`),
 * in every context config.yaml defines, before any client has loaded them: each written by the
 * service's own cache class, so core/cached-secrets' list of files cannot drift from theirs.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenCacheFiles } from '../../src/core/cached-secrets.js';
import { registerStoredSecrets } from '../../src/core/credentials.js';
import { redact } from '../../src/core/redact.js';
import { BeszelTokenCache } from '../../src/services/beszel/token-cache.js';
import { DnsStateFile } from '../../src/services/dns/state-file.js';
import { KumaTokenCache } from '../../src/services/kuma/token-cache.js';
import { TokenCache } from '../../src/services/proxy/token-cache.js';

const root = mkdtempSync(join(tmpdir(), 'cached-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const secret = (): string => `tok-${randomBytes(12).toString('hex')}`;

/** Each service's cache written into `dataDir` with a fresh token; returns the tokens by service. */
function writeCaches(dataDir: string): Record<string, string> {
  const tokens = { npm: secret(), kuma: secret(), beszel: secret(), dns: secret() };
  new TokenCache(dataDir, 'https://npm', 'a@b').write({ token: tokens.npm, expires: '2099-01-01T00:00:00Z' });
  new KumaTokenCache(dataDir, 'http://kuma', 'admin').write(tokens.kuma);
  new BeszelTokenCache(dataDir, 'http://beszel', 'a@b').write(tokens.beszel);
  new DnsStateFile(dataDir, 'http://dns', 'admin').write({ url: 'http://dns', user: 'admin', sessionToken: tokens.dns });
  return tokens;
}

describe('registerStoredSecrets', () => {
  it('registers every cached login token of every context, and the MCP token (configured or generated)', () => {
    const dir = mkdtempSync(join(root, 'h-'));
    const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
    const tokenFile = join(dir, 'mcp-token');
    mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), [
      'contexts:',
      '  home: { services: {} }',
      '  office: { services: {} }',
      `mcp: { token_file: ${JSON.stringify(tokenFile)} }`,
      '',
    ].join('\n'));
    const home = writeCaches(join(env.HOMELAB_DATA_HOME, 'contexts', 'home'));
    const office = writeCaches(join(env.HOMELAB_DATA_HOME, 'contexts', 'office'));
    // A lab config.yaml no longer defines: not read.
    const gone = writeCaches(join(env.HOMELAB_DATA_HOME, 'contexts', 'gone'));
    const mcp = secret();
    writeFileSync(tokenFile, `${mcp}\n`, { mode: 0o600 });
    const all = [...Object.values(home), ...Object.values(office), mcp];
    for (const token of all) expect(redact(`x ${token} y`)).toBe(`x ${token} y`);
    registerStoredSecrets(env);
    for (const token of all) expect(redact(`x ${token} y`)).toBe('x *** y');
    for (const token of Object.values(gone)) expect(redact(token)).toBe(token);
    // The generated token, when no token_file is set.
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), 'services: {}\n');
    const generated = secret();
    mkdirSync(join(env.HOMELAB_DATA_HOME, 'mcp'), { recursive: true });
    writeFileSync(join(env.HOMELAB_DATA_HOME, 'mcp', 'token'), `${generated}\n`, { mode: 0o600 });
    const defaults = writeCaches(env.HOMELAB_DATA_HOME);
    registerStoredSecrets(env);
    for (const token of [generated, ...Object.values(defaults)]) expect(redact(token)).toBe('***');
  });

  it('registers the token_file a context sets in its own mcp block (overriding the top level\'s key by key), and the top level\'s or generated one', () => {
    const dir = mkdtempSync(join(root, 'c-'));
    const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
    const [top, office, lab] = [join(dir, 'top-token'), join(dir, 'office-token'), join(dir, 'lab-token')];
    mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), [
      `mcp: { token_file: ${JSON.stringify(top)}, port: 8765 }`,
      'contexts:',
      '  home: { services: {} }',
      `  office: { services: {}, mcp: { token_file: ${JSON.stringify(office)} } }`,
      '  broken: { services: {}, mcp: { token_file: 42 } }',
      '',
    ].join('\n'));
    const tokens = { top: secret(), office: secret(), lab: secret() };
    writeFileSync(top, `${tokens.top}\n`, { mode: 0o600 });
    writeFileSync(office, `${tokens.office}\n`, { mode: 0o600 });
    writeFileSync(lab, `${tokens.lab}\n`, { mode: 0o600 });
    registerStoredSecrets(env);
    expect(redact(`${tokens.top} ${tokens.office}`)).toBe('*** ***');
    // A context with no token_file of its own uses the top level's; the generated one when neither sets one.
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), [
      'contexts:',
      '  home: { services: {} }',
      `  lab: { services: {}, mcp: { token_file: ${JSON.stringify(lab)} } }`,
      '',
    ].join('\n'));
    const generated = secret();
    mkdirSync(join(env.HOMELAB_DATA_HOME, 'mcp'), { recursive: true });
    writeFileSync(join(env.HOMELAB_DATA_HOME, 'mcp', 'token'), `${generated}\n`, { mode: 0o600 });
    registerStoredSecrets(env);
    expect(redact(`${tokens.lab} ${generated}`)).toBe('*** ***');
  });

  it('skips a broken or foreign cache file without failing', () => {
    const dir = mkdtempSync(join(root, 'b-'));
    const env = { HOMELAB_CONFIG_HOME: join(dir, 'config'), HOMELAB_DATA_HOME: join(dir, 'data') };
    for (const [folder, file] of tokenCacheFiles) {
      mkdirSync(join(env.HOMELAB_DATA_HOME, folder), { recursive: true });
      writeFileSync(join(env.HOMELAB_DATA_HOME, folder, file), folder === 'npm' ? 'null' : '{not json');
    }
    expect(() => registerStoredSecrets(env)).not.toThrow();
  });
});
