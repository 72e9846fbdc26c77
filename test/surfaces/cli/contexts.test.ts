/**
 * Two labs from the built CLI: `--context`, HOMELAB_CONTEXT, `context use` (comments kept),
 * `context list`, `status --all-contexts` (one block per context, a lab down is a partial
 * failure with its exit code), token caches per context, audit rows with their context, an
 * unknown context refused with the known names; a config without `contexts:` unchanged.
 */
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditStore } from '../../../src/audit/store.js';
import { runCli, runCliJson } from '../../helpers/cli.js';
import { OFFICE_EXTRA_GUESTS, startTwoLabs, writeContextCredentials, type TwoLabs } from '../../helpers/two-labs.js';

let labs: TwoLabs;
beforeAll(async () => { labs = await startTwoLabs(); });
afterAll(async () => { await labs?.close(); });

const configPath = (): string => join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
const guests = (env: Record<string, string>, args: string[] = []): Promise<{ vmid: number }[]> => runCliJson<{ vmid: number }[]>([...args, 'pve', 'list'], env);

describe('a config without contexts', () => {
  it('is the single context default, with today\'s paths', async () => {
    labs.home.writeConfig();
    try {
      const list = await runCliJson<{ name: string; current: boolean; services: { service: string; status: string }[] }[]>(['context', 'list'], labs.env);
      expect(list.map((c) => [c.name, c.current])).toEqual([['default', true]]);
      expect(list[0]?.services.map((s) => `${s.service} ${s.status}`).sort()).toEqual(['dns up', 'proxy up', 'pve up']);
      expect((await guests(labs.env)).length).toBeGreaterThan(3);
      const unknown = await runCli(['--context', 'office', 'pve', 'list'], labs.env);
      expect(unknown.code).toBe(3);
      expect(unknown.stderr).toContain('unknown context "office"');
      expect(unknown.stderr).toContain('defines default');
    } finally {
      labs.writeConfig();
    }
  });
});

describe('two contexts', () => {
  it('runs in the current context, and in the one --context or HOMELAB_CONTEXT names', async () => {
    const home = await guests(labs.env);
    const office = await guests(labs.env, ['--context', 'office']);
    expect(office.length).toBe(home.length + OFFICE_EXTRA_GUESTS);
    expect((await runCliJson<unknown[]>(['pve', 'list', '--context=office'], labs.env)).length).toBe(office.length);
    expect((await guests({ ...labs.env, HOMELAB_CONTEXT: 'office' })).length).toBe(office.length);
    expect((await guests({ ...labs.env, HOMELAB_CONTEXT: 'office' }, ['--context', 'default'])).length).toBe(home.length);
  });

  it('refuses an unknown context with exit 3, naming the known ones, and sends nothing', async () => {
    const before = labs.home.sims.get('pve')?.requests.length;
    const r = await runCli(['--context', 'garage', 'pve', 'list'], labs.env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown context "garage"');
    expect(r.stderr).toContain('default, office');
    expect(r.stderr).not.toContain('    at ');
    const env = await runCli(['pve', 'list'], { ...labs.env, HOMELAB_CONTEXT: 'garage' });
    expect(env.code).toBe(3);
    expect(env.stderr).toContain('default, office');
    expect((await runCli(['--context', '../etc', 'pve', 'list'], labs.env)).code).toBe(3);
    expect((await runCli(['--context'], labs.env)).code).toBe(2);
    expect(labs.home.sims.get('pve')?.requests.length).toBe(before);
  });

  it('context use writes current_context and keeps the file\'s comments', async () => {
    const r = await runCli(['context', 'use', 'office'], labs.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('current context: office (was default)');
    const text = readFileSync(configPath(), 'utf8');
    expect(text.startsWith('# two labs: home (default) and office\n')).toBe(true);
    expect(text).toMatch(/^current_context: office$/m);
    expect((await runCli(['context', 'current'], labs.env)).stdout.trim()).toBe('office');
    const home = await guests(labs.env, ['--context', 'default']);
    expect((await guests(labs.env)).length).toBe(home.length + OFFICE_EXTRA_GUESTS);
    const bad = await runCli(['context', 'use', 'garage'], labs.env);
    expect(bad.code).toBe(3);
    expect(readFileSync(configPath(), 'utf8')).toBe(text);
    expect((await runCli(['context', 'use', 'default'], labs.env)).code).toBe(0);
    expect(readFileSync(configPath(), 'utf8')).toMatch(/^current_context: default$/m);
  });

  it('context list shows each context with its services answering', async () => {
    const list = await runCliJson<{ name: string; current: boolean; services: { service: string; url: string; status: string }[]; error: unknown }[]>(['context', 'list'], labs.env);
    expect(list.map((c) => c.name)).toEqual(['default', 'office']);
    expect(list.find((c) => c.current)?.name).toBe('default');
    const office = list.find((c) => c.name === 'office');
    expect(office?.services.find((s) => s.service === 'pve')?.url).toBe(labs.office.sims.get('pve')?.configSection.url);
    expect(office?.services.every((s) => s.status === 'up')).toBe(true);
    const text = await runCli(['context', 'list'], labs.env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^default \* +pve +up/m);
    expect(text.stdout).toMatch(/^ +dns +up/m);
  });

  it('keeps token caches apart: each context logs in to its own proxy', async () => {
    await runCliJson(['proxy', 'list'], labs.env);
    await runCliJson(['--context', 'office', 'proxy', 'list'], labs.env);
    const homeCache = join(labs.env.HOMELAB_DATA_HOME, 'npm', 'token.json');
    const officeCache = join(labs.env.HOMELAB_DATA_HOME, 'contexts', 'office', 'npm', 'token.json');
    expect(existsSync(homeCache)).toBe(true);
    expect(existsSync(officeCache)).toBe(true);
    const a = readFileSync(homeCache, 'utf8');
    const b = readFileSync(officeCache, 'utf8');
    expect(a).toContain(String(labs.home.sims.get('proxy')?.configSection.url));
    expect(b).toContain(String(labs.office.sims.get('proxy')?.configSection.url));
    expect(a).not.toBe(b);
  });

  it('credentials of a context live under homelab/contexts/<name>/', async () => {
    labs.writeConfig({}, { garage: { services: { pve: labs.office.sims.get('pve')?.configSection } } });
    try {
      const r = await runCli(['--context', 'garage', 'pve', 'list'], labs.env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'contexts', 'garage', 'pve', 'credentials'));
    } finally {
      labs.writeConfig();
    }
  });

  it('audit rows record the context a change ran in', async () => {
    expect((await runCli(['dns', 'add', 'ctx-home', '10.5.0.201'], labs.env)).code).toBe(0);
    expect((await runCli(['--context', 'office', 'dns', 'add', 'ctx-office', '10.5.0.202'], labs.env)).code).toBe(0);
    const rows = await runCliJson<{ operation: string; context: string; input: { name?: string } }[]>(['audit', '--operation', 'dns.add'], labs.env);
    expect(rows.map((r) => [r.input.name, r.context])).toEqual([['ctx-home', 'default'], ['ctx-office', 'office']]);
    // One log per host, whichever context reads it; the table shows the context column.
    const text = await runCli(['--context', 'office', 'audit', '--operation', 'dns.add'], labs.env);
    expect(text.stdout).toMatch(/^CONTEXT\s+TIME/);
    expect(text.stdout).toMatch(/office\s+\d{4}-/);
    expect(existsSync(join(labs.env.HOMELAB_DATA_HOME, 'contexts', 'office', 'audit.sqlite'))).toBe(false);
    // --lab filters by the context a run was in (--context would pick the lab audit itself runs in).
    const office = await runCliJson<{ context: string; input: { name?: string } }[]>(['audit', '--operation', 'dns.add', '--lab', 'office'], labs.env);
    expect(office.map((r) => [r.input.name, r.context])).toEqual([['ctx-office', 'office']]);
    const home = await runCliJson<{ context: string; input: { name?: string } }[]>(['--context', 'office', 'audit', '--operation', 'dns.add', '--lab', 'default'], labs.env);
    expect(home.map((r) => [r.input.name, r.context])).toEqual([['ctx-home', 'default']]);
    const bad = await runCli(['audit', '--lab', '../x'], labs.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('lab must be a context name');
  });
});

describe('secrets of every lab', () => {
  it('an audit row never stores another lab\'s stored token in clear (a command and a batch line)', async () => {
    const office = labs.office.sims.get('dns')?.credentials.values.DNS_TOKEN ?? '';
    expect(office.length).toBeGreaterThan(16);
    expect(office).not.toBe(labs.home.sims.get('dns')?.credentials.values.DNS_TOKEN);
    expect((await runCli(['dns', 'add-txt', 'xleak3', office], labs.env)).code).toBe(0);
    const batch = await runCli(['batch'], labs.env, { input: `dns add-txt xleak4 ${office}\n` });
    expect(batch.code, batch.stderr).toBe(0);
    const store = AuditStore.open(labs.env.HOMELAB_DATA_HOME);
    try {
      const rows = store.list({ operation: 'dns.add-txt' }).filter((r) => ['xleak3', 'xleak4'].includes(String(r.input.name)));
      expect(rows.map((r) => [r.input.name, r.context])).toEqual([['xleak3', 'default'], ['xleak4', 'default']]);
      expect(JSON.stringify(rows)).not.toContain(office.slice(0, 12));
      expect(rows.map((r) => JSON.stringify(r.input))).toEqual(rows.map(() => expect.stringContaining('***')));
    } finally {
      store.close();
    }
  });
});

describe('naming labs', () => {
  it('refuses a second --context with exit 2 (never the last one silently), and sends nothing', async () => {
    const before = [labs.home, labs.office].map((l) => l.sims.get('pve')?.requests.length);
    const r = await runCli(['--context', 'office', 'pve', 'status', '100', '--context', 'default'], labs.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--context given twice ("office", "default"): name one lab');
    expect((await runCli(['pve', 'list', '--context=default', '--context=office'], labs.env)).code).toBe(2);
    expect([labs.home, labs.office].map((l) => l.sims.get('pve')?.requests.length)).toEqual(before);
  });

  it('takes a --context repeated with the same lab (a repeat saying the same thing is harmless)', async () => {
    const office = await runCli(['--context', 'office', 'pve', 'list', '--context', 'office', '--json'], labs.env);
    expect(office.stderr).toBe('');
    expect(office.code).toBe(0);
    const names = (stdout: string): string[] => (JSON.parse(stdout) as { vmid: number; name: string }[]).map((g) => `${g.vmid} ${g.name}`);
    expect(names(office.stdout)).toEqual(names((await runCli(['--context', 'office', 'pve', 'list', '--json'], labs.env)).stdout));
    expect(names(office.stdout)).not.toEqual(names((await runCli(['pve', 'list', '--json'], labs.env)).stdout));
  });

  it('audit --lab refuses a lab the config does not define and the log never saw (exit 3, naming the known ones)', async () => {
    const r = await runCli(['audit', '--lab', 'nope'], labs.env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('unknown context "nope"');
    expect(r.stderr).toContain('defines default, office');
    expect((await runCli(['audit', '--lab', 'office'], labs.env)).code).toBe(0);
    // A lab removed from the config keeps its rows, and they can still be asked for.
    const store = AuditStore.open(labs.env.HOMELAB_DATA_HOME);
    try {
      store.finish(store.begin({ startedAt: Date.now(), actor: { surface: 'cli', id: 'old' }, operation: 'dns.add', risk: 'change', input: { name: 'attic-app' }, context: 'attic' }), { ok: true, durationMs: 5 });
    } finally {
      store.close();
    }
    const attic = await runCliJson<{ context: string; input: { name?: string } }[]>(['audit', '--lab', 'attic'], labs.env);
    expect(attic.map((row) => [row.input.name, row.context])).toEqual([['attic-app', 'attic']]);
  });

  it('shows --context and --all-contexts in the help and offers them on Tab', async () => {
    const overview = (await runCli(['--help'], labs.env)).stdout;
    const globals = overview.slice(overview.indexOf('Global options:'));
    expect(globals).toMatch(/^ {2}--context <name> +run in this context \(lab\)/m);
    expect(globals).toMatch(/^ {2}--all-contexts +run status \(and the watch daemon\) in every context at once$/m);
    const status = (await runCli(['status', '--help'], labs.env)).stdout;
    expect(status).toMatch(/^ {2}--all-contexts +run it in every context \(lab\) at once, one block each$/m);
    expect(status).toMatch(/^ {2}--context <name> +run in this context/m);
    expect((await runCli(['pve', 'list', '--help'], labs.env)).stdout).not.toContain('--all-contexts');
    const tab = await runCli(['__complete', 'bash', 'status', '--a'], labs.env);
    expect(tab.stdout.split('\n')).toEqual(['words', '--all-contexts\trun it in every context at once', '']);
  });
});

describe('batch', () => {
  const names = async (args: string[]): Promise<string[]> => (await runCliJson<{ records: { name: string }[] }>([...args, 'dns', 'records'], labs.env)).records.map((r) => r.name.split('.')[0] as string);

  it('runs a line in the lab its --context names, the others in the batch\'s own', async () => {
    const lines = ['dns add batch-home 10.5.0.221', '--context office dns add batch-office 10.5.0.222', 'dns add batch-home2 10.5.0.223 --context=default'].join('\n');
    const r = await runCli(['batch', '--json'], labs.env, { input: lines });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { ok: boolean }).ok)).toEqual([true, true, true]);
    const home = await names([]);
    const office = await names(['--context', 'office']);
    expect(home.filter((n) => n.startsWith('batch-')).sort()).toEqual(['batch-home', 'batch-home2']);
    expect(office.filter((n) => n.startsWith('batch-'))).toEqual(['batch-office']);
    // The batch's own --context is the default of its lines.
    const pinned = await runCli(['--context', 'office', 'batch', '--yes'], labs.env, { input: 'dns add batch-pinned 10.5.0.224\n--context default dns delete batch-home2' });
    expect(pinned.code, pinned.stderr).toBe(0);
    expect((await names(['--context', 'office'])).filter((n) => n.startsWith('batch-')).sort()).toEqual(['batch-office', 'batch-pinned']);
    expect((await names([])).filter((n) => n.startsWith('batch-'))).toEqual(['batch-home']);
  });

  it('rejects a line naming an unknown lab before any line runs', async () => {
    const r = await runCli(['batch'], labs.env, { input: 'dns add batch-never 10.5.0.225\n--context garage dns add batch-never2 10.5.0.226' });
    // A config error, as `homelab --context garage …` is (docs/contexts.md).
    expect(r.code).toBe(3);
    expect(r.stdout + r.stderr).toContain('unknown context "garage"');
    expect(r.stderr).toContain('nothing was run');
    expect((await names([])).filter((n) => n.startsWith('batch-never'))).toEqual([]);
  });
});

describe('status --all-contexts', () => {
  it('shows one block per context', async () => {
    const r = await runCli(['status', '--all-contexts'], labs.env);
    expect(r.code).toBe(0);
    const blocks = r.stdout.split(/^── /m).filter(Boolean);
    expect(blocks.map((b) => b.split(' ──')[0])).toEqual(['default', 'office']);
    // Each block is its own lab's: the office lab has more guests.
    const [home, office] = blocks.map((b) => Number(/\/(\d+) guests running/.exec(b)?.[1]));
    expect(office).toBe((home ?? 0) + OFFICE_EXTRA_GUESTS);
    for (const b of blocks) expect(b).toContain('all 4 services answered');
    const json = JSON.parse((await runCli(['status', '--all-contexts', '--json'], labs.env)).stdout) as { context: string; error: unknown; result: { services: { service: string; state: string }[] } }[];
    expect(json.map((c) => [c.context, c.error, c.result.services.map((x) => x.state).join()])).toEqual([['default', null, 'up,up,up,up'], ['office', null, 'up,up,up,up']]);
  });

  it('a lab that does not answer is a partial failure: its exit code, the other labs still shown', async () => {
    // A third lab whose PVE listens nowhere: its credentials are there, its port is closed.
    const pve = labs.office.sims.get('pve');
    const closed = { ...(pve?.configSection ?? {}), url: 'https://127.0.0.1:1' };
    writeContextCredentials(labs.env.HOMELAB_CONFIG_HOME, 'gone', labs.office);
    labs.writeConfig({}, { gone: { services: { pve: closed } } });
    try {
      const r = await runCli(['status', '--all-contexts', '--json'], labs.env);
      expect(r.code).toBe(4);
      const json = JSON.parse(r.stdout) as { context: string; error: { exitCode: number } | null }[];
      expect(json.map((c) => [c.context, c.error?.exitCode ?? 0])).toEqual([['default', 0], ['office', 0], ['gone', 4]]);
      expect(r.stderr).toContain('homelab: gone: status');
      const both = await runCli(['status', '--all-contexts', '--context', 'office'], labs.env);
      expect(both.code).toBe(2);
      expect((await runCli(['pve', 'list', '--all-contexts'], labs.env)).code).toBe(2);
    } finally {
      labs.writeConfig();
    }
  });
});

describe('context list: labs that cannot be used', () => {
  type Problem = { message: string; fix: string | null } | null;
  type Listed = { name: string; current: boolean; defined: boolean; services: { service: string; status: string; detail: string | null; problem: Problem }[]; error: { message: string; exitCode: number } | null };

  it('a service with an invalid pin or no credentials file shows its problem (exit 3), not "up"', async () => {
    const pve = labs.office.sims.get('pve')?.configSection as { url: string };
    labs.writeConfig({}, { nocreds: { services: { pve: { ...pve, fingerprint: 'ZZ' }, dns: labs.office.sims.get('dns')?.configSection } } });
    try {
      const r = await runCli(['context', 'list', '--json'], labs.env);
      expect(r.code).toBe(3);
      const list = JSON.parse(r.stdout) as Listed[];
      expect(list.map((c) => [c.name, c.error, c.services.filter((s) => s.problem).length])).toEqual([['default', null, 0], ['office', null, 0], ['nocreds', null, 2]]);
      const services = list.find((c) => c.name === 'nocreds')?.services ?? [];
      const pveProblem = services.find((s) => s.service === 'pve')?.problem?.message ?? '';
      expect(pveProblem).toContain('contexts.nocreds.services.pve.fingerprint');
      expect(pveProblem).toContain(join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'contexts', 'nocreds', 'pve', 'credentials'));
      expect(services.find((s) => s.service === 'dns')?.problem?.message).toContain(join('contexts', 'nocreds', 'dns', 'credentials'));
      expect(r.stderr).toMatch(/^homelab: nocreds: pve: .*fingerprint/m);
      expect(r.stderr).toMatch(/^homelab: nocreds: dns: .*does not exist \(fix: create it/m);
      const text = await runCli(['context', 'list'], labs.env);
      expect(text.code).toBe(3);
      expect(text.stdout).toMatch(/^nocreds +pve +error +.*fingerprint/m);
      expect(text.stdout).toMatch(/^ +dns +error +\S*contexts\/nocreds\/dns\/credentials does not exist$/m);
      expect(text.stdout).not.toMatch(/pve +up +.*fingerprint/);
    } finally {
      labs.writeConfig();
    }
  });

  it('one bad credentials file hides none of the lab\'s other services', async () => {
    const file = join(labs.env.HOMELAB_CONFIG_HOME, 'homelab', 'contexts', 'office', 'dns', 'credentials');
    chmodSync(file, 0o644);
    try {
      const r = await runCli(['context', 'list', '--json'], labs.env);
      expect(r.code).toBe(3);
      const office = (JSON.parse(r.stdout) as Listed[]).find((c) => c.name === 'office');
      expect(office?.error).toBeNull();
      expect(office?.services.map((s) => [s.service, s.status, s.problem?.message ?? null])).toEqual([
        ['pve', 'up', null],
        ['dns', 'up', `${file} is readable by group or others (mode 644)`],
        ['proxy', 'up', null],
      ]);
      expect(office?.services.find((s) => s.service === 'dns')?.problem?.fix).toBe(`chmod 600 ${file}`);
      expect(r.stderr.trim()).toBe(`homelab: office: dns: ${file} is readable by group or others (mode 644) (fix: chmod 600 ${file})`);
      const text = (await runCli(['context', 'list'], labs.env)).stdout;
      expect(text).toMatch(/^office +pve +up *$/m);
      expect(text).toMatch(/^ +dns +error +.*mode 644\)$/m);
      expect(text).toMatch(/^ +proxy +up *$/m);
    } finally {
      chmodSync(file, 0o600);
    }
  });

  it('a port that accepts but never speaks TLS is down, once the wait is over', async () => {
    const silent: Server = createServer(() => { /* accepts, never answers */ });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const pve = labs.office.sims.get('pve')?.configSection as { url: string };
    writeContextCredentials(labs.env.HOMELAB_CONFIG_HOME, 'silent', labs.office);
    labs.writeConfig({}, { silent: { services: { pve: { ...pve, url: `https://127.0.0.1:${(silent.address() as { port: number }).port}` } } } });
    try {
      const r = await runCli(['context', 'list', '--json'], labs.env);
      expect(r.code, r.stderr).toBe(0);
      const lab = (JSON.parse(r.stdout) as Listed[]).find((c) => c.name === 'silent');
      expect(lab?.services).toEqual([{ service: 'pve', url: expect.any(String), status: 'down', detail: 'no TLS answer within 3 s', problem: null }]);
      expect(lab?.error).toBeNull();
    } finally {
      labs.writeConfig();
      silent.close();
    }
  });
});

describe('naming the current lab', () => {
  type Listed = { name: string; current: boolean; defined: boolean; error: { message: string; exitCode: number } | null };

  it('context current refuses an invalid or unknown current context with exit 3, naming where it came from', async () => {
    const bad = await runCli(['context', 'current'], { ...labs.env, HOMELAB_CONTEXT: '../../etc' });
    expect([bad.code, bad.stdout]).toEqual([3, '']);
    expect(bad.stderr).toContain('"../../etc" (HOMELAB_CONTEXT) is not a valid name');
    for (const [args, env] of [[['context', 'current'], { HOMELAB_CONTEXT: 'nope' }], [['--context', 'nope', 'context', 'current'], {}]] as const) {
      const r = await runCli([...args], { ...labs.env, ...env });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.stderr).toContain('unknown context "nope"');
      expect(r.stderr).toContain('defines default, office');
    }
  });

  it.each([
    ['HOMELAB_CONTEXT', [], { HOMELAB_CONTEXT: 'nope' }, 'set HOMELAB_CONTEXT to one of default, office, or unset it'],
    ['--context', ['--context', 'nope'], {}, 'give --context one of: default, office'],
  ])('context list still lists every lab when %s names none of them: the selection marked, with its fix (exit 3)', async (from, args, env, fix) => {
    const r = await runCli([...args, 'context', 'list'], { ...labs.env, ...env });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^default +pve +up/m);
    expect(r.stdout).toMatch(/^office +pve +up/m);
    expect(r.stdout).toMatch(/^nope \* +unknown +the current context "nope"/m);
    expect(r.stdout).toContain(`* current (${from})`);
    expect(r.stderr.trim()).toBe(`homelab: the current context "nope" (${from}) is not a lab ${configPath()} defines; ${fix}`);
    expect(r.stderr).not.toContain('see: homelab context list');
    const json = JSON.parse((await runCli([...args, 'context', 'list', '--json'], { ...labs.env, ...env })).stdout) as Listed[];
    expect(json.map((c) => [c.name, c.current, c.defined, c.error?.exitCode ?? 0])).toEqual([['default', false, true, 0], ['office', false, true, 0], ['nope', true, false, 3]]);
  });

  it('context list still lists when current_context names a removed lab, saying context use fixes it', async () => {
    writeFileSync(configPath(), `${readFileSync(configPath(), 'utf8')}current_context: nope\n`);
    try {
      const r = await runCli(['context', 'list'], labs.env);
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/^office +pve +up/m);
      expect(r.stdout).toMatch(/^nope \* +unknown/m);
      expect(r.stderr).toContain(`the current context "nope" (current_context in ${configPath()}) is not a lab the file defines; run: homelab context use <name> (one of default, office)`);
      expect((await runCli(['context', 'current'], labs.env)).code).toBe(3);
      // `context use` is how that is fixed.
      expect((await runCli(['context', 'use', 'office'], labs.env)).stdout).toContain('current context: office (was nope)');
      expect((await runCli(['context', 'list'], labs.env)).code).toBe(0);
    } finally {
      labs.writeConfig();
    }
  });

  it.each([['[office]', 'a list'], ['5', 'a number'], ['""', 'an empty string']])('context current refuses current_context: %s as every command does (exit 3); context use replaces it, saying so', async (value, kind) => {
    writeFileSync(configPath(), `${readFileSync(configPath(), 'utf8')}current_context: ${value}\n`);
    try {
      expect((await runCli(['pve', 'list'], labs.env)).code).toBe(3);
      const r = await runCli(['context', 'current'], labs.env);
      expect([r.code, r.stdout]).toEqual([3, '']);
      expect(r.stderr).toBe(`homelab: current_context in ${configPath()} is ${kind}, not a context name\n  run: homelab context use <name> (one of default, office)\n`);
      const use = await runCli(['context', 'use', 'office'], labs.env);
      expect(use.stdout).toBe(`current context: office (replaced current_context, which was ${kind}, not a context name)\n`);
      // The scalar keeps its style: `""` becomes `"office"`.
      expect(readFileSync(configPath(), 'utf8')).toMatch(/^current_context: "?office"?$/m);
      expect((await runCli(['context', 'current'], labs.env)).stdout).toBe('office\n');
    } finally {
      labs.writeConfig();
    }
  });

  it('--all-contexts on a command that does not take it names the ones that do', async () => {
    for (const args of [['pve', 'list', '--all-contexts'], ['--all-contexts', 'serve']]) {
      const r = await runCli(args, labs.env);
      expect([r.code, r.stderr], args.join(' ')).toEqual([2, 'homelab: --all-contexts works with status and watch only\n  name one lab with --context <name> instead\n']);
    }
  });

  const RULE = 'a context name is 1 to 63 letters, digits, _ or -, the first a letter or digit';

  it.each([['-x'], ['a'.repeat(300)], ['my lab']])('states the whole rule for the contexts key %s, in every row', async (key) => {
    writeFileSync(configPath(), `${readFileSync(configPath(), 'utf8')}  "${key}":\n    services: {}\n`);
    try {
      const r = await runCli(['context', 'list', '--json'], labs.env);
      expect(r.code).toBe(3);
      const list = JSON.parse(r.stdout) as Listed[];
      for (const lab of list) {
        expect(lab.error?.message, lab.name).toContain(RULE);
        expect(lab.error?.message).not.toMatch(/Invalid key in record|letters, digits, _ and -/);
      }
      const use = await runCli(['pve', 'list'], labs.env);
      expect(use.code).toBe(3);
      expect(use.stderr).toContain(RULE);
    } finally {
      labs.writeConfig();
    }
  });

  it.each([
    ['--context', (name: string) => runCli([`--context=${name}`, 'pve', 'list'], labs.env)],
    ['HOMELAB_CONTEXT', (name: string) => runCli(['pve', 'list'], { ...labs.env, HOMELAB_CONTEXT: name })],
    ['context use', (name: string) => runCli(['context', 'use', '--', name], labs.env)],
  ])('states the whole rule for a name given by %s', async (from, run) => {
    for (const name of ['-x', 'b'.repeat(64)]) {
      const r = await run(name);
      expect(r.code, `${from} ${name}`).toBe(3);
      expect(r.stderr).toContain(`(${from}) is not a valid name: ${RULE}`);
    }
    expect((await run('b'.repeat(300))).stderr).toContain('… (300 characters)');
  });

  it('context use without a name is a usage error saying so', async () => {
    const r = await runCli(['context', 'use'], labs.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('homelab: context use needs a name');
  });

  it('names a contexts key that is not a valid name as such, not as HOMELAB_CONTEXT', async () => {
    writeFileSync(configPath(), `${readFileSync(configPath(), 'utf8')}  "Ünï":\n    services: {}\n`);
    try {
      const r = await runCli(['context', 'list'], labs.env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`homelab: Ünï: context name "Ünï" (a contexts key in ${configPath()}) is not a valid name`);
      expect(r.stderr).not.toContain('HOMELAB_CONTEXT');
    } finally {
      labs.writeConfig();
    }
  });

  it('shows a contexts key carrying escape sequences visibly on stderr, never raw', async () => {
    writeFileSync(configPath(), `${readFileSync(configPath(), 'utf8')}  "bad\\e]0;pwned\\a":\n    services: {}\n`);
    try {
      const r = await runCli(['context', 'list'], labs.env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('bad␛]0;pwned␇');
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    } finally {
      labs.writeConfig();
    }
  });
});

describe('context use writes the file where it is', () => {
  it('writes through a symlinked config.yaml to its target, the link kept', async () => {
    const dotfiles = join(labs.env.HOMELAB_CONFIG_HOME, 'dotfiles');
    mkdirSync(dotfiles, { recursive: true });
    const target = join(dotfiles, 'config.yaml');
    writeFileSync(target, readFileSync(configPath(), 'utf8'), { mode: 0o640 });
    rmSync(configPath());
    symlinkSync(target, configPath());
    try {
      expect((await runCli(['context', 'use', 'office'], labs.env)).code).toBe(0);
      expect(lstatSync(configPath()).isSymbolicLink()).toBe(true);
      expect(readFileSync(target, 'utf8')).toMatch(/^current_context: office$/m);
      expect(statSync(target).mode & 0o777).toBe(0o640);
      expect((await runCli(['context', 'current'], labs.env)).stdout.trim()).toBe('office');
    } finally {
      rmSync(configPath(), { force: true });
      labs.writeConfig();
    }
  });

  it('keeps the owner of a file root rewrites', async () => {
    if (process.getuid?.() !== 0) {
      console.log('not root: the owner of another user\'s config.yaml cannot be set up, not run');
      return;
    }
    chownSync(configPath(), 65534, 65534);
    try {
      expect((await runCli(['context', 'use', 'office'], labs.env)).code).toBe(0);
      const st = statSync(configPath());
      expect([st.uid, st.gid]).toEqual([65534, 65534]);
      expect(readFileSync(configPath(), 'utf8')).toMatch(/^current_context: office$/m);
    } finally {
      chownSync(configPath(), 0, 0);
      labs.writeConfig();
    }
  });
});

describe('config errors', () => {
  it('names the key inside the context', async () => {
    try {
      writeFileSync(configPath(), 'contexts:\n  office:\n    services:\n      pve: { url: "http://x" }\n    nope: 1\n');
      const r = await runCli(['pve', 'list'], labs.env);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('contexts.office');
      writeFileSync(configPath(), 'contexts:\n  office:\n    services:\n      pve: { url: "http://x" }\n');
      const s = await runCli(['--context', 'office', 'pve', 'list'], labs.env);
      expect(s.code).toBe(3);
      expect(s.stderr).toContain('contexts.office.services.pve.url');
    } finally {
      labs.writeConfig();
    }
  });
});

describe('watch over several labs', () => {
  it('--all-contexts runs every lab\'s checks, each alert naming its lab, with alert state per lab', async () => {
    labs.writeConfig({ watch: { for: '0s' } });
    try {
      const r = await runCli(['watch', '--once', '--stdout', '--all-contexts'], labs.env, { timeoutMs: 90_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^\[default\] /m);
      expect(r.stdout).toMatch(/^\[office\] /m);
      expect(r.stderr).toContain('homelab watch: [office] ');
      expect(existsSync(join(labs.env.HOMELAB_DATA_HOME, 'watch.sqlite'))).toBe(true);
      expect(existsSync(join(labs.env.HOMELAB_DATA_HOME, 'contexts', 'office', 'watch.sqlite'))).toBe(true);
      // One lab: still named, since the config defines several.
      const one = await runCli(['--context', 'office', 'watch', '--once', '--stdout'], labs.env, { timeoutMs: 90_000 });
      expect(one.code, one.stderr).toBe(0);
      expect(one.stdout).not.toMatch(/^\[default\] /m);
    } finally {
      labs.writeConfig();
    }
  });
});
