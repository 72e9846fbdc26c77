/**
 * A login answer whose token no header could carry (a newline, an escape sequence), from
 * Technitium (user/password mode), Beszel and NPM, injected in each simulator over real
 * sockets and run through the built CLI: an unexpected answer (exit 1), never "cannot
 * reach", and never cached, so the next run works once the server is fixed. A token that
 * is already cached in such a form is dropped (removed) and the run logs in afresh.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeAllAgents, isHeaderSafe } from '../../src/core/http/index.js';
import type { LabSim } from '../../src/lab/lab.js';
import type { DnsSim } from '../../src/services/dns/sim/index.js';
import { runCli } from '../helpers/cli.js';
import { useLab } from '../helpers/lab.js';
import { writeCredentials } from './http-suite.js';

interface Target {
  service: 'dns' | 'beszel' | 'proxy';
  read: string[];
  login: RegExp;
  /** The cache file's name and its token field. */
  cache: { file: string; field: string };
  /** A login answer holding `token`. */
  answer(token: string): unknown;
}

const targets: Target[] = [
  {
    service: 'dns', read: ['dns', 'zones', '--json'], login: /\/api\/user\/login$/, cache: { file: 'state.json', field: 'sessionToken' },
    answer: (token) => ({ status: 'ok', token, username: 'admin', info: { version: '13.6' } }),
  },
  {
    service: 'beszel', read: ['beszel', 'systems', '--json'], login: /\/api\/collections\/users\/auth-with-password$/, cache: { file: 'auth.json', field: 'token' },
    answer: (token) => ({ token, record: { id: 'u1', email: 'admin@home.lan' } }),
  },
  {
    service: 'proxy', read: ['proxy', 'list', '--json'], login: /\/api\/tokens$/, cache: { file: 'token.json', field: 'token' },
    answer: (token) => ({ token, expires: new Date(Date.now() + 86_400_000).toISOString() }),
  },
];

const lab = useLab({ services: ['dns', 'beszel', 'proxy'] });
afterAll(() => closeAllAgents());

/** Every file of that name under the lab's data home. */
function cacheFiles(name: string): string[] {
  const root = lab.current.env.HOMELAB_DATA_HOME;
  return (readdirSync(root, { recursive: true }) as string[]).filter((p) => p.endsWith(`/${name}`) || p === name).map((p) => join(root, p));
}

describe.each(targets)('$service login token', (t) => {
  const sim = (): LabSim => lab.current.sims.get(t.service) as LabSim;
  const env = (): Record<string, string> => ({ ...lab.current.env });
  const logins = (): number => sim().requests.filter((r) => r.method === 'POST' && t.login.test(r.path)).length;

  it('a login answer with a token no header can carry is an unexpected answer (exit 1), not cached; the next run works', async () => {
    if (t.service === 'dns') {
      const dns = sim() as unknown as DnsSim;
      writeCredentials(lab.current, 'dns', { DNS_USER: dns.admin.user, DNS_PASSWORD: dns.admin.password });
    }
    const first = await runCli(t.read, env());
    expect(first.code, first.stderr).toBe(0);
    const [file] = cacheFiles(t.cache.file);
    if (!file) throw new Error(`no ${t.cache.file} after a login`);
    for (const token of ['abc\ndef', 'abc\u001b]0;x\u0007']) {
      // The cached token is dropped by hand (as an expired one would be), so the run logs in and gets the bad answer.
      const cached = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      delete cached[t.cache.field];
      writeFileSync(file, JSON.stringify(cached), { mode: 0o600 });
      sim().faults.only = { method: 'POST', path: t.login };
      sim().faults.answerNext = { count: 1, status: 200, body: JSON.stringify(t.answer(token)) };
      const bad = await runCli(t.read, env());
      sim().faults.only = undefined;
      expect(bad.code, bad.stderr).toBe(1);
      expect(bad.stderr).toMatch(new RegExp(`^homelab: unexpected answer from ${t.service}: .*token: the token holds characters a header cannot carry`));
      expect(bad.stderr).not.toMatch(/cannot reach|ERR_INVALID_CHAR|abc/);
      const after = JSON.parse(readFileSync(file, 'utf8').trim() || '{}') as Record<string, unknown>;
      expect(after[t.cache.field]).toBeUndefined();
      // The server answers properly again: so does the next run.
      const next = await runCli(t.read, env());
      expect(next.code, next.stderr).toBe(0);
    }
  });

  it('a cached token that is not header-safe is dropped: the run logs in afresh and caches a good one', async () => {
    const [file] = cacheFiles(t.cache.file);
    if (!file) throw new Error(`no ${t.cache.file}`);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...cached, [t.cache.field]: 'abc\ndef' }), { mode: 0o600 });
    const before = logins();
    const r = await runCli(t.read, env());
    expect(r.code, r.stderr).toBe(0);
    expect(logins() - before).toBe(1);
    const now = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(isHeaderSafe(String(now[t.cache.field]))).toBe(true);
  });
});
