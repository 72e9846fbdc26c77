/**
 * @module services/general/init
 * `homelab init`: interactive set-up. For each service it asks whether to configure it,
 * its URL (offering the server's TLS fingerprint to pin for https) and its credentials
 * (secrets without echo; Enter keeps a current value), then writes config.yaml
 * (mode 0600; other sections are kept) and the credentials files (mode 0600,
 * directories 0700), and runs `doctor`. A required value left empty, or not of its
 * form (`user@realm!tokenid`), is asked again rather than ending the session. Ctrl-C at
 * any question is not an empty answer: init stops at once (exit 130) and writes nothing,
 * since every file is written only after the last question.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { z } from 'zod';
import { parseCredentials } from '../../core/credentials.js';
import { ConfigError, InterruptedError, UsageError } from '../../core/errors.js';
import { fetchFingerprint } from '../../core/http/tls.js';
import { defineOperation } from '../../core/operation.js';
import { configFile, credentialsFile } from '../../core/paths.js';
import { registerSecret } from '../../core/redact.js';
import { text, type Block } from '../../core/render.js';
import { renderDoctor, runDoctor, type DoctorResult } from './doctor/operation.js';
import { serviceSpecs, type ServiceSpec } from './service-specs.js';

/** JSON shape of `init`. */
export interface InitResult {
  configPath: string;
  configured: string[];
  /** Files written (config and credentials). */
  written: string[];
  doctor: DoctorResult;
}

type Ask = (question: string, options?: { secret?: boolean }) => Promise<string>;

function readRaw(path: string): Record<string, unknown> {
  try {
    const parsed: unknown = parseYaml(readFileSync(path, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${path} cannot be read or parsed: ${(err as Error).message.split('\n')[0]}`, 'fix it or move it away, then run homelab init again');
  }
}

function readCreds(path: string): Record<string, string> {
  try {
    const values = parseCredentials(readFileSync(path, 'utf8'), path);
    for (const v of Object.values(values)) registerSecret(v);
    return values;
  } catch {
    return {};
  }
}

async function askYes(ask: Ask, question: string, yes: boolean): Promise<boolean> {
  const answer = (await ask(`${question} [${yes ? 'Y/n' : 'y/N'}]`)).trim().toLowerCase();
  return answer === '' ? yes : /^y(es)?$/.test(answer);
}

async function askUrl(ask: Ask, spec: ServiceSpec, current: string | undefined): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const answer = (await ask(`  ${spec.label} URL [${current ?? spec.exampleUrl}]:`)).trim() || current || spec.exampleUrl;
    if (z.url({ protocol: /^https?$/ }).safeParse(answer).success) return answer.replace(/\/+$/, '');
    await ask(`  "${answer}" is not an http:// or https:// URL (Enter to try again)`);
  }
  throw new UsageError(`no valid URL for ${spec.key}`);
}

/** Asks for one service; returns its config section (null: leave as is) and its credentials. */
async function askService(ask: Ask, spec: ServiceSpec, section: Record<string, unknown> | undefined, creds: Record<string, string>) {
  const url = spec.key === 'telegram' ? undefined : await askUrl(ask, spec, typeof section?.url === 'string' ? section.url : undefined);
  const next: Record<string, unknown> = { ...(section ?? {}) };
  if (url) {
    next.url = url;
    if (url.startsWith('https:')) {
      const fp = await fetchFingerprint(url, 5000).catch((err: unknown) => err as Error);
      if (typeof fp === 'string') {
        if (await askYes(ask, `  The server's certificate fingerprint is ${fp}. Pin it?`, true)) next.fingerprint = fp;
      } else {
        await ask(`  Could not read the certificate (${fp.message}); set services.${spec.key}.fingerprint later (Enter to go on)`);
      }
    }
  }
  let keys = [...spec.required];
  if (spec.anyOf) {
    const choice = spec.anyOf.length > 1 && (await ask(`  Credentials: ${spec.anyOf.map((set, i) => `${i + 1}) ${set.join(' + ')}`).join('  ')} [1]:`)).trim();
    keys = [...keys, ...(spec.anyOf[Math.max(0, Math.min(spec.anyOf.length - 1, Number(choice || '1') - 1))] ?? [])];
  }
  const values: Record<string, string> = {};
  for (const key of [...keys, ...(spec.optional ?? [])]) {
    const value = await askValue(ask, spec, key, !keys.includes(key), creds[key]);
    if (value) {
      registerSecret(value);
      values[key] = value;
    }
  }
  return { section: spec.key === 'telegram' ? null : next, values };
}

/** The form a credentials value must have, shown at its question and checked (keys not listed take anything). */
const FORMS: Readonly<Record<string, { like: string; test: RegExp }>> = {
  PVE_TOKEN_ID: { like: 'user@realm!tokenid', test: /^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]*$/ },
  PBS_TOKEN_ID: { like: 'user@realm!tokenid', test: /^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]*$/ },
  NPM_EMAIL: { like: 'an e-mail address', test: /^[^\s@]+@[^\s@]+$/ },
  BESZEL_EMAIL: { like: 'an e-mail address', test: /^[^\s@]+@[^\s@]+$/ },
  TELEGRAM_BOT_TOKEN: { like: '123456789:AA… from @BotFather', test: /^\d+:[A-Za-z0-9_-]{20,}$/ },
};

/** How many times a required question left empty (Enter) or malformed is asked before init gives up. */
const ATTEMPTS = 3;

/**
 * Asks one credentials value. A required value left empty, or one not of its form, is
 * asked again (showing the form) up to `ATTEMPTS` times; Enter keeps the current value.
 */
async function askValue(ask: Ask, spec: ServiceSpec, key: string, optional: boolean, current: string | undefined): Promise<string> {
  const secret = spec.secret.includes(key);
  const form = FORMS[key];
  const notes = [form ? `like ${form.like}` : '', current ? (secret ? 'Enter keeps the current value' : `Enter keeps ${current}`) : optional ? 'optional, Enter to skip' : ''];
  const hint = notes.filter(Boolean).join('; ');
  let question = `  ${key}${hint ? ` (${hint})` : ''}:`;
  for (let attempt = 1; ; attempt++) {
    const value = (await ask(question, { secret })).trim() || current || '';
    const problem = !value ? (optional ? '' : `${key} is needed for ${spec.key}`) : form && !form.test.test(value) ? `"${secret ? '…' : value}" is not ${form.like}` : '';
    if (!problem) return value;
    if (attempt >= ATTEMPTS) throw new UsageError(`${problem}${form ? ` (like ${form.like})` : ''}`, 'run homelab init again');
    question = `  ${problem}${form ? `, like ${form.like}` : ''}. ${key}:`;
  }
}

/** `init`. */
export const initOperation = defineOperation({
  id: 'init',
  summary: 'Interactive set-up: service URLs and credentials, written with the right modes, then doctor',
  input: z.object({}),
  risk: 'change',
  surfaces: ['cli'],
  timeoutMs: 3_600_000,
  async run(ctx): Promise<InitResult> {
    const prompt = ctx.prompt;
    if (!prompt) throw new UsageError('init is interactive: run it in a terminal', 'or write config.yaml and the credentials files by hand (homelab services lists them)');
    const ask: Ask = (question, options) => prompt(question, options).catch((err: unknown) => {
      throw err instanceof InterruptedError ? new InterruptedError('init interrupted; nothing was written') : err;
    });
    const path = configFile(ctx.env);
    const raw = readRaw(path);
    const services = { ...((raw.services as Record<string, Record<string, unknown>> | undefined) ?? {}) };
    const written: string[] = [];
    const configured: string[] = [];
    const creds = new Map<string, Record<string, string>>();
    for (const spec of serviceSpecs) {
      const current = spec.key === 'telegram' ? (raw.telegram as Record<string, unknown> | undefined) : services[spec.key];
      if (!(await askYes(ask, `Configure ${spec.key} (${spec.label})?`, current !== undefined))) continue;
      const file = credentialsFile(spec.credentialsDir, ctx.env);
      const answer = await askService(ask, spec, current, readCreds(file));
      if (spec.key === 'telegram') raw.telegram = current ?? {};
      else if (answer.section) services[spec.key] = answer.section;
      creds.set(file, answer.values);
      configured.push(spec.key);
    }
    raw.services = services;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // config.yaml decides where tokens are sent: owner-only, like the credentials (a world-writable one is refused).
    writeFileSync(path, stringify(raw), { mode: 0o600 });
    chmodSync(path, 0o600);
    written.push(path);
    for (const [file, values] of creds) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
      chmodSync(file, 0o600);
      written.push(file);
    }
    ctx.progress('running doctor');
    return { configPath: path, configured, written, doctor: await runDoctor(ctx.env, ctx.signal) };
  },
  render: (r) => {
    const blocks: Block[] = [text(`Wrote ${r.written.join(', ')}`, 'ok'), text('')];
    return [...blocks, ...renderDoctor(r.doctor)];
  },
});
