/**
 * `init` and the answers it cannot use: a choice that is not one of its numbers (or not y/n)
 * is asked again instead of writing an empty credentials file; a URL the config schema
 * refuses (http:// for PVE) is asked again with the schema's reason; a browser's `#…` is
 * dropped from a pasted URL; a pin is dropped when the URL's origin changes; the DNS default
 * zone and Telegram's owner and users are asked; and init exits with doctor's code when the
 * lab it wrote does not work. Driven through the operation with scripted answers against
 * the simulated lab, and on a real terminal (a pty) for the whole of a session.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createContext } from '../../../src/core/context.js';
import { PartialFailureError } from '../../../src/core/errors.js';
import { invoke } from '../../../src/core/invoke.js';
import type { LabSim } from '../../../src/lab/lab.js';
import type { InitResult } from '../../../src/services/setup/index.js';
import { getRegistry } from '../../../src/services/index.js';
import { runCli } from '../../helpers/cli.js';
import { ENTER, initOnTerminal } from '../../helpers/init-terminal.js';
import { useLab } from '../../helpers/lab.js';

type Env = { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string };

const FAKE_PIN = Array.from({ length: 32 }, () => 'AB').join(':');

describe('init and the answers it cannot use', () => {
  const holder = useLab({ services: ['pve', 'dns'] });
  const roots: string[] = [];
  afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

  const sim = (name: string): LabSim => {
    const s = holder.current.sims.get(name);
    if (!s) throw new Error(`${name} simulator missing`);
    return s;
  };

  /** A config home holding `config` as config.yaml and the given credentials files, all 0600. */
  function home(config: string, creds: Record<string, string> = {}): Env {
    const root = mkdtempSync(join(tmpdir(), 'homelab-init-answers-'));
    roots.push(root);
    const env = { HOMELAB_CONFIG_HOME: join(root, 'config'), HOMELAB_DATA_HOME: join(root, 'data') };
    const files: [string, string][] = [['homelab/config.yaml', config], ...Object.entries(creds)];
    for (const [file, body] of files) {
      const path = join(env.HOMELAB_CONFIG_HOME, file);
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(path, body, { mode: 0o600 });
    }
    return env;
  }

  /** Runs init answering in order for each matching question (the last answer repeats); the result, or init's failure and its result. */
  async function runInit(env: Env, answers: [RegExp, ...string[]][]) {
    const asked: string[] = [];
    const queues = answers.map(([re, ...said]) => ({ re, said }));
    const prompt = async (question: string): Promise<string> => {
      asked.push(question);
      const hit = queues.find((q) => q.re.test(question));
      return hit ? (hit.said.length > 1 ? hit.said.shift() ?? '' : hit.said[0] ?? '') : '';
    };
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME }, prompt });
    const op = getRegistry().get('init');
    if (!op) throw new Error('init is not registered');
    const outcome = await invoke(op, {}, ctx).then((r) => ({ result: r as InitResult, failure: undefined }), (err: unknown) => {
      if (!(err instanceof PartialFailureError)) throw err;
      return { result: err.result as InitResult, failure: err };
    });
    const config = parse(readFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), 'utf8')) as { services?: Record<string, Record<string, unknown>>; telegram?: Record<string, unknown> };
    return { ...outcome, asked, config };
  }

  const dnsToken = (): string => sim('dns').credentials.values.DNS_TOKEN ?? '';
  const dnsConfigured = (): string => `services:\n  dns:\n    url: "${sim('dns').url}"\n    zone: home.lan\n`;

  it('asks a credentials choice that is not one of its numbers again (Enter takes the default), never writing a file without keys', async () => {
    const env = home(dnsConfigured(), { 'dns/credentials': `DNS_TOKEN=${dnsToken()}\n` });
    const { result, failure, asked } = await runInit(env, [[/^Configure dns /, 'y'], [/^Configure /, 'n'], [/Credentials: /, 'x', '3', '']]);
    expect(failure).toBeUndefined();
    const choices = asked.filter((q) => /Credentials: 1\) DNS_TOKEN {2}2\) DNS_USER \+ DNS_PASSWORD \[1\]:$/.test(q));
    expect(choices).toHaveLength(3);
    expect(choices[1]).toMatch(/^ {2}"x" is not one of 1 to 2\. Credentials:/);
    expect(choices[2]).toMatch(/^ {2}"3" is not one of 1 to 2\. Credentials:/);
    expect(asked.filter((q) => /^ {2}DNS_TOKEN \(Enter keeps the current value\):$/.test(q))).toHaveLength(1);
    expect(readFileSync(join(env.HOMELAB_CONFIG_HOME, 'dns', 'credentials'), 'utf8')).toBe(`DNS_TOKEN=${dnsToken()}\n`);
    expect(result.written).toEqual([]);
    expect(result.doctor.ok).toBe(true);
  });

  it('offers the credentials set the current file holds, and asks a yes/no question again on anything but y or n', async () => {
    const env = home(dnsConfigured(), { 'dns/credentials': 'DNS_USER=admin\nDNS_PASSWORD=secret-pass-1\n' });
    const { asked } = await runInit(env, [[/^Configure dns /, 'yep', 'y'], [/^Configure /, 'n'], [/Credentials: /, '1'], [/DNS_TOKEN/, dnsToken()]]);
    expect(asked.filter((q) => /Configure dns/.test(q))).toEqual(['Configure dns (Technitium DNS)? [Y/n]', '  Answer y or n (Enter for y). Configure dns (Technitium DNS)? [Y/n]']);
    expect(asked.find((q) => /Credentials: /.test(q))).toMatch(/\[2\]:$/);
  });

  it('on a real terminal: x at the credentials choice is asked again, Enter keeps the token, doctor passes (exit 0)', async () => {
    const env = home(dnsConfigured(), { 'dns/credentials': `DNS_TOKEN=${dnsToken()}\n` });
    const { code, screen } = await initOnTerminal(env, [
      ['Configure pve', `n${ENTER}`], ['Configure pbs', `n${ENTER}`], ['Configure dns', `y${ENTER}`], ['Technitium DNS URL', ENTER],
      ['Credentials:', `x${ENTER}`], ['is not one of 1 to 2', ENTER], ['Enter keeps the current value', ENTER], ['Default zone', ENTER],
      ['Configure proxy', `n${ENTER}`], ['Configure beszel', `n${ENTER}`], ['Configure kuma', `n${ENTER}`], ['Configure telegram', `n${ENTER}`],
    ]);
    expect(screen).toContain('Nothing changed: nothing was written');
    expect(screen).toContain('all good');
    expect(code).toBe(0);
    expect(readFileSync(join(env.HOMELAB_CONFIG_HOME, 'dns', 'credentials'), 'utf8')).toBe(`DNS_TOKEN=${dnsToken()}\n`);
    expect((await runCli(['dns', 'zones'], env)).code).toBe(0);
  });

  it('on a real terminal: --context office init adds the lab the file lacks, once asked, its DNS zone taken from the server', async () => {
    const dns = sim('dns');
    const env = home(dnsConfigured(), { 'dns/credentials': `DNS_TOKEN=${dnsToken()}\n` });
    const before = await runCli(['--context', 'office', 'dns', 'zones'], env);
    expect(before.code).toBe(3);
    const { code, screen } = await initOnTerminal(env, [
      ['Add it?', `y${ENTER}`], ['Configure pve', `n${ENTER}`], ['Configure pbs', `n${ENTER}`], ['Configure dns', `y${ENTER}`],
      ['Technitium DNS URL', `${dns.url}${ENTER}`], ['Credentials:', ENTER], ['DNS_TOKEN', `${dnsToken()}${ENTER}`], ['Enter for home.lan', ENTER],
      ['Configure proxy', `n${ENTER}`], ['Configure beszel', `n${ENTER}`], ['Configure kuma', `n${ENTER}`], ['Configure telegram', `n${ENTER}`],
    ], ['--context', 'office']);
    expect(screen).toMatch(/Lab office is not in \S+config\.yaml \(it defines default\)\. Add it\? \[Y\/n\]/);
    expect(screen).toContain('Configure dns (Technitium DNS) in lab office? [y/N]');
    expect(code).toBe(0);
    const config = parse(readFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), 'utf8')) as { services: unknown; contexts: unknown };
    expect(config.contexts).toEqual({ office: { services: { dns: { url: dns.url, zone: 'home.lan' } } } });
    expect(config.services).toEqual({ dns: { url: dns.url, zone: 'home.lan' } });
    expect(readFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'contexts', 'office', 'dns', 'credentials'), 'utf8')).toBe(`DNS_TOKEN=${dnsToken()}\n`);
    const records = await runCli(['--context', 'office', 'dns', 'records'], env);
    expect(records.code).toBe(0);
    expect(records.stdout).toContain('zone home.lan');
  });

  it('asks a PVE URL the config schema refuses (http://) again with its reason, and drops the #… of a URL pasted from the web UI', async () => {
    const pve = sim('pve');
    const env = home('watch:\n  repeat: 5m\n');
    const http = pve.url.replace('https:', 'http:');
    const { result, failure, asked, config } = await runInit(env, [
      [/^Configure pve /, 'y'], [/^Configure /, 'n'], [/Proxmox VE URL/, http, `${pve.url}/#v1:0:18:4:::::::`], [/Pin it\?/, 'y'],
      [/PVE_TOKEN_ID/, pve.credentials.values.PVE_TOKEN_ID ?? ''], [/PVE_TOKEN_SECRET/, pve.credentials.values.PVE_TOKEN_SECRET ?? ''],
    ]);
    expect(asked.filter((q) => /Proxmox VE URL/.test(q))[1]).toBe(`  "${http}" must be an https:// URL (the API is served over HTTPS only; pin a self-signed certificate with fingerprint). Proxmox VE URL [https://10.5.0.1:8006]:`);
    expect(config.services?.pve).toEqual({ url: pve.url, fingerprint: pve.fingerprint });
    expect(failure).toBeUndefined();
    expect(result.doctor.checks.find((c) => c.area === 'pve' && c.name === 'answers')?.status).toBe('pass');
  });

  it('drops a pin when the URL moves to http://, or to another server (offering the new one, which may be declined)', async () => {
    const pve = sim('pve');
    const env = home(`services:\n  dns: { url: "https://127.0.0.1:1", fingerprint: "${FAKE_PIN}" }\n  pve: { url: "https://127.0.0.1:2", fingerprint: "${FAKE_PIN}" }\n`, {
      'dns/credentials': `DNS_TOKEN=${dnsToken()}\n`, 'pve/credentials': `PVE_TOKEN_ID=${pve.credentials.values.PVE_TOKEN_ID}\nPVE_TOKEN_SECRET=${pve.credentials.values.PVE_TOKEN_SECRET}\n`,
    });
    const { config, failure, asked } = await runInit(env, [[/^Configure (pve|dns) /, 'y'], [/^Configure /, 'n'], [/Proxmox VE URL/, pve.url], [/Pin it\?/, 'n'], [/Technitium DNS URL/, sim('dns').url]]);
    expect(asked.find((q) => /Pin it\?/.test(q))).toContain(pve.fingerprint);
    expect(config.services?.pve).toEqual({ url: pve.url });
    expect(config.services?.dns).toEqual({ url: sim('dns').url, zone: 'home.lan' });
    // An unpinned self-signed certificate: doctor fails, and init ends with its code (4), saying the lab does not work.
    expect(failure).toMatchObject({ exitCode: 4, message: expect.stringMatching(/^init: the answers are written, but the lab does not work yet: doctor found 1 of \d+ checks failing \(pve tls\)$/) });
  });

  it('asks for the bot owner and its users (ids asked again until they are numbers), and doctor warns while they are missing', async () => {
    const env = home('telegram:\n  api_root: "http://127.0.0.1:9"\n');
    const token = '123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const { config, failure, asked } = await runInit(env, [[/^Configure telegram /, 'y'], [/^Configure /, 'n'], [/TELEGRAM_BOT_TOKEN/, token], [/Your Telegram user id/, 'me', '4242'], [/Other Telegram user ids/, '77 88']]);
    expect(asked.find((q) => /Your Telegram user id/.test(q))).toContain('@userinfobot');
    expect(config.telegram).toEqual({ api_root: 'http://127.0.0.1:9', owner_chat_id: 4242, allowed_users: [4242, 77, 88] });
    expect(failure?.exitCode).toBe(4); // nothing answers at api_root
    const warned = (failure?.result as InitResult).doctor.checks.filter((c) => c.area === 'telegram' && c.status === 'warn');
    expect(warned).toEqual([]);

    const skipped = await runInit(home('telegram:\n  api_root: "http://127.0.0.1:9"\n'), [[/^Configure telegram /, 'y'], [/^Configure /, 'n'], [/TELEGRAM_BOT_TOKEN/, token]]);
    expect(skipped.config.telegram).toEqual({ api_root: 'http://127.0.0.1:9' });
    const checks = (skipped.failure?.result as InitResult).doctor.checks.filter((c) => c.area === 'telegram' && c.status === 'warn');
    expect(checks.map((c) => [c.name, c.detail, c.fix])).toEqual([
      ['owner', 'telegram.owner_chat_id is not set: watch and telegram send have no chat to write to', 'run homelab init (it asks your Telegram user id), or set telegram.owner_chat_id'],
      ['users', 'no one may use the bot: telegram.allowed_users is empty and no one was allowed with telegram allow', 'run homelab init, or homelab telegram allow <your user id>'],
    ]);
  });
});
