/**
 * `init`: the interactive set-up, driven through the operation with scripted answers
 * (as a terminal would give them): URLs, the TLS pin offered from the server, tokens;
 * config.yaml keeps its other sections, credentials files get mode 0600 in 0700
 * directories, Enter keeps current values, and doctor runs at the end. Ctrl-C at any
 * question stops init at once (exit 130, one line, nothing written), unlike Enter, which
 * re-asks a required question; that is checked on a real terminal too (a pty from
 * util-linux `script`). Without a terminal the CLI refuses with exit 2.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createContext } from '../../../src/core/context.js';
import { InterruptedError } from '../../../src/core/errors.js';
import { invoke } from '../../../src/core/invoke.js';
import type { InitResult } from '../../../src/services/setup/index.js';
import { getRegistry } from '../../../src/services/index.js';
import { runCli } from '../../helpers/cli.js';
import { CTRL_C, ENTER, initOnTerminal } from '../../helpers/init-terminal.js';
import { useLab } from '../../helpers/lab.js';

/** A prompt that answers by matching the question; records what was asked and whether it was secret. */
function scripted(answers: [RegExp, string][]) {
  const asked: { question: string; secret: boolean }[] = [];
  const prompt = async (question: string, options?: { secret?: boolean }): Promise<string> => {
    asked.push({ question, secret: Boolean(options?.secret) });
    const hit = answers.find(([re]) => re.test(question));
    return hit ? hit[1] : '';
  };
  return { asked, prompt };
}

describe('init', () => {
  const holder = useLab({ services: ['pve', 'dns'] });
  const roots: string[] = [];
  afterAll(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

  function freshHome(): { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string } {
    const root = mkdtempSync(join(tmpdir(), 'homelab-init-'));
    roots.push(root);
    const env = { HOMELAB_CONFIG_HOME: join(root, 'config'), HOMELAB_DATA_HOME: join(root, 'data') };
    mkdirSync(join(env.HOMELAB_CONFIG_HOME, 'homelab'), { recursive: true });
    writeFileSync(join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml'), 'watch:\n  repeat: 5m\n');
    return env;
  }

  async function runInit(env: { HOMELAB_CONFIG_HOME: string; HOMELAB_DATA_HOME: string }, answers: [RegExp, string][]) {
    const { asked, prompt } = scripted(answers);
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME }, prompt });
    const op = getRegistry().get('init');
    if (!op) throw new Error('init is not registered');
    return { result: (await invoke(op, {}, ctx)) as InitResult, asked };
  }

  it('writes config and 0600 credentials from the answers, pins the offered fingerprint, then runs doctor', async () => {
    const lab = holder.current;
    const pve = lab.sims.get('pve');
    const dns = lab.sims.get('dns');
    if (!pve || !dns) throw new Error('simulators missing');
    const env = freshHome();
    const { result, asked } = await runInit(env, [
      [/^Configure pve /, 'y'], [/^Configure dns /, 'y'], [/^Configure /, 'n'],
      [/Proxmox VE URL/, pve.url], [/Technitium DNS URL/, dns.url],
      [/fingerprint is .* Pin it\?/, 'y'],
      [/^ {2}Credentials: 1\) DNS_TOKEN/, '1'],
      [/PVE_TOKEN_ID/, pve.credentials.values.PVE_TOKEN_ID ?? ''], [/PVE_TOKEN_SECRET/, pve.credentials.values.PVE_TOKEN_SECRET ?? ''],
      [/DNS_TOKEN/, dns.credentials.values.DNS_TOKEN ?? ''],
    ]);
    expect(result.configured).toEqual(['pve', 'dns']);
    expect(asked.find((a) => /fingerprint is/.test(a.question))?.question).toContain(pve.fingerprint);
    expect(asked.filter((a) => a.secret).map((a) => a.question.trim().split(/[ :(]/)[0])).toEqual(['PVE_TOKEN_SECRET', 'DNS_TOKEN']);

    const config = parse(readFileSync(result.configPath, 'utf8')) as { services: Record<string, Record<string, unknown>>; watch: unknown };
    expect(config.watch).toEqual({ repeat: '5m' });
    expect(config.services.pve).toEqual({ url: pve.url, fingerprint: pve.fingerprint });
    // The zone relative names need: the server's zone offered, Enter takes it.
    expect(config.services.dns).toEqual({ url: dns.url, zone: 'home.lan' });
    expect(asked.find((a) => /Default zone/.test(a.question))?.question).toContain('the server has home.lan; Enter for home.lan');
    const pveCreds = join(env.HOMELAB_CONFIG_HOME, 'pve', 'credentials');
    expect(statSync(pveCreds).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.HOMELAB_CONFIG_HOME, 'pve')).mode & 0o777).toBe(0o700);
    expect(readFileSync(pveCreds, 'utf8')).toBe(`PVE_TOKEN_ID=${pve.credentials.values.PVE_TOKEN_ID}\nPVE_TOKEN_SECRET=${pve.credentials.values.PVE_TOKEN_SECRET}\n`);
    expect(result.written).toEqual([result.configPath, pveCreds, join(env.HOMELAB_CONFIG_HOME, 'dns', 'credentials')]);

    expect(result.doctor.ok).toBe(true);
    expect(result.doctor.checks.filter((c) => c.status === 'pass').map((c) => `${c.area} ${c.name}`)).toEqual(
      expect.arrayContaining(['config parses', 'pve credentials', 'pve tls', 'pve answers', 'dns credentials', 'dns token']),
    );

    // Run again: Enter keeps URLs and secrets; the services already configured default to yes.
    const again = await runInit(env, [[/^Configure (pve|dns) /, ''], [/^Configure /, 'n'], [/fingerprint is/, '']]);
    expect(again.result.configured).toEqual(['pve', 'dns']);
    expect(readFileSync(pveCreds, 'utf8')).toContain(`PVE_TOKEN_SECRET=${pve.credentials.values.PVE_TOKEN_SECRET}`);
    expect(parse(readFileSync(result.configPath, 'utf8')).services.pve.url).toBe(pve.url);
    expect(again.asked.find((a) => /PVE_TOKEN_SECRET/.test(a.question))?.question).toContain('Enter keeps the current value');
  });

  it('asks a required question again when Enter is pressed, showing the expected form', async () => {
    const lab = holder.current;
    const pve = lab.sims.get('pve');
    if (!pve) throw new Error('simulator missing');
    const env = freshHome();
    const tokenId = pve.credentials.values.PVE_TOKEN_ID ?? '';
    const answersToId = ['', 'not-a-token-id', tokenId];
    const { asked, prompt } = scripted([
      [/^Configure pve /, 'y'], [/^Configure /, 'n'], [/Proxmox VE URL/, pve.url], [/fingerprint is/, 'y'],
      [/PVE_TOKEN_SECRET/, pve.credentials.values.PVE_TOKEN_SECRET ?? ''],
    ]);
    const answering = async (question: string, options?: { secret?: boolean }): Promise<string> => {
      if (/PVE_TOKEN_ID/.test(question)) {
        asked.push({ question, secret: Boolean(options?.secret) });
        return answersToId.shift() ?? '';
      }
      return prompt(question, options);
    };
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME }, prompt: answering });
    const op = getRegistry().get('init');
    if (!op) throw new Error('init is not registered');
    const result = (await invoke(op, {}, ctx)) as InitResult;
    expect(result.configured).toEqual(['pve']);
    const idQuestions = asked.filter((a) => /PVE_TOKEN_ID/.test(a.question)).map((a) => a.question);
    expect(idQuestions).toHaveLength(3);
    for (const q of idQuestions) expect(q).toContain('user@realm!tokenid');
    expect(idQuestions[1]).toMatch(/needed/);
    expect(idQuestions[2]).toMatch(/not-a-token-id/);
    expect(readFileSync(join(env.HOMELAB_CONFIG_HOME, 'pve', 'credentials'), 'utf8')).toContain(`PVE_TOKEN_ID=${tokenId}\n`);
  });

  it('gives up on a required question after three empty answers (Enter, not Ctrl-C)', async () => {
    const env = freshHome();
    const { asked, prompt } = scripted([[/^Configure pve /, 'y'], [/^Configure /, 'n'], [/Proxmox VE URL/, 'https://127.0.0.1:9']]);
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME }, prompt });
    const op = getRegistry().get('init');
    if (!op) throw new Error('init is not registered');
    await expect(invoke(op, {}, ctx)).rejects.toThrow(/PVE_TOKEN_ID is needed for pve \(like user@realm!tokenid\)/);
    expect(asked.filter((a) => /PVE_TOKEN_ID/.test(a.question))).toHaveLength(3);
  });

  it.each([
    ['a yes/no question', /^Configure pve /, 1],
    ['a required value', /PVE_TOKEN_ID/, 4], // Configure, URL, the certificate that cannot be read, PVE_TOKEN_ID
  ])('stops at once when Ctrl-C is pressed at %s: exit 130, nothing asked after it, nothing written', async (_what, at, questions) => {
    const env = freshHome();
    const config = join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const before = readFileSync(config, 'utf8');
    const { asked, prompt } = scripted([[/^Configure pve /, 'y'], [/^Configure /, 'n'], [/Proxmox VE URL/, 'https://127.0.0.1:9']]);
    // The CLI's prompt rejects with InterruptedError on Ctrl-C (checked on a real terminal below).
    const interrupting = async (question: string, options?: { secret?: boolean }): Promise<string> => {
      const answer = await prompt(question, options);
      if (at.test(question)) throw new InterruptedError();
      return answer;
    };
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME }, prompt: interrupting });
    const op = getRegistry().get('init');
    if (!op) throw new Error('init is not registered');
    const failure = await invoke(op, {}, ctx).then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(InterruptedError);
    expect(failure).toMatchObject({ exitCode: 130, message: 'init interrupted; nothing was written' });
    expect(asked).toHaveLength(questions);
    expect(asked.at(-1)?.question).toMatch(at);
    expect(readFileSync(config, 'utf8')).toBe(before);
    expect(readdirSync(env.HOMELAB_CONFIG_HOME)).toEqual(['homelab']);
  });

  it('on a real terminal: Ctrl-C at a question ends init with one line and exit 130; Enter asks again', async () => {
    const env = freshHome();
    const config = join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    const before = readFileSync(config, 'utf8');
    const { code, screen } = await initOnTerminal(env, [
      ['Configure pve', `y${ENTER}`],
      ['Proxmox VE URL', `https://127.0.0.1:9${ENTER}`],
      ['Enter to go on', ENTER],
      ['PVE_TOKEN_ID', ENTER],
      ['PVE_TOKEN_ID is needed for pve', CTRL_C],
    ]);
    expect(code).toBe(130);
    const after = screen.slice(screen.lastIndexOf('PVE_TOKEN_ID:')).split(/\r?\n/).map((l) => l.replace(/\r/g, '').trim()).filter(Boolean);
    expect(after).toEqual(['PVE_TOKEN_ID:', 'homelab: init interrupted; nothing was written']);
    expect(screen.split('\n').filter((l) => l.includes('PVE_TOKEN_ID'))).toHaveLength(2); // asked, asked again after Enter, then Ctrl-C
    expect(screen).not.toMatch(/Configure dns|\bat \w+ \(/);
    expect(readFileSync(config, 'utf8')).toBe(before);
    expect(existsSync(join(env.HOMELAB_CONFIG_HOME, 'pve'))).toBe(false);

    const first = await initOnTerminal(env, [['Configure pve', CTRL_C]]);
    expect(first.code).toBe(130);
    expect(first.screen.replace(/\r/g, '').trim().split('\n').map((l) => l.trim())).toEqual(['Configure pve (Proxmox VE)? [y/N]', 'homelab: init interrupted; nothing was written']);
  });

  it('leaves config.yaml readable and writable by its owner only (it decides where tokens are sent); with nothing set up it says so (exit 3)', async () => {
    const env = freshHome();
    const path = join(env.HOMELAB_CONFIG_HOME, 'homelab', 'config.yaml');
    chmodSync(path, 0o666);
    const { prompt } = scripted([[/^Configure /, 'n']]);
    const ctx = createContext({ actor: { surface: 'cli', id: 'test' }, env: { ...env, HOME: env.HOMELAB_DATA_HOME }, prompt });
    const op = getRegistry().get('init');
    if (!op) throw new Error('init is not registered');
    const failure = await invoke(op, {}, ctx).then(() => undefined, (err: unknown) => err);
    expect(failure).toMatchObject({ exitCode: 3, message: 'init: nothing is configured yet: no service was set up' });
    expect((failure as { result: InitResult }).result.configPath).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses to run without a terminal (exit 2)', async () => {
    const res = await runCli(['init'], freshHome());
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('init is interactive: run it in a terminal');
  });
});
