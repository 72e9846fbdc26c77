/**
 * @module services/general/init
 * `homelab init`: interactive set-up of the lab the run is in (`--context`,
 * HOMELAB_CONTEXT, `current_context`; named in the questions when the config has several).
 * For each service it asks whether to configure it, its URL (offering the lab's current
 * one, and the server's TLS fingerprint to pin for https) and its credentials (secrets
 * without echo; Enter keeps a current value), then writes what changed: the lab's
 * `services` in config.yaml (`init-config`: comments and layout kept, nothing written when
 * nothing changed) and the lab's credentials files (mode 0600, directories 0700), and runs
 * `doctor` in that lab. A required value left empty, or not of its
 * form (`user@realm!tokenid`), is asked again rather than ending the session. Ctrl-C at
 * any question is not an empty answer: init stops at once (exit 130) and writes nothing,
 * since every file is written only after the last question.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CONTEXT, withContext } from '../../core/context-name.js';
import { parseCredentials } from '../../core/credentials.js';
import { InterruptedError, UsageError } from '../../core/errors.js';
import { fetchFingerprint } from '../../core/http/tls.js';
import { defineOperation } from '../../core/operation.js';
import { credentialsFile } from '../../core/paths.js';
import { registerSecret } from '../../core/redact.js';
import { text, type Block } from '../../core/render.js';
import { renderDoctor, runDoctor, type DoctorResult } from './doctor/operation.js';
import { openConfig, saveConfig, sectionOf, setSection } from './init-config.js';
import { serviceSpecs, type ServiceSpec } from './service-specs.js';

/** JSON shape of `init`. */
export interface InitResult {
  configPath: string;
  /** The lab set up (`--context`, HOMELAB_CONTEXT, `current_context`), and every lab of the config. */
  context: string;
  contexts: string[];
  configured: string[];
  /** Files written (config and credentials): only those whose content (or credentials mode) changed. */
  written: string[];
  /** config.yaml's mode before init tightened it to 0600 (others could write it), else null. */
  tightened: string | null;
  doctor: DoctorResult;
}

type Ask = (question: string, options?: { secret?: boolean }) => Promise<string>;

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

/** Asks for one service (`at`: its section's key path in config.yaml); returns its config section (null: leave as is) and its credentials. */
async function askService(ask: Ask, spec: ServiceSpec, at: string, section: Record<string, unknown> | undefined, creds: Record<string, string>) {
  const url = spec.key === 'telegram' ? undefined : await askUrl(ask, spec, typeof section?.url === 'string' ? section.url : undefined);
  const next: Record<string, unknown> = { ...(section ?? {}) };
  if (url) {
    next.url = url;
    if (url.startsWith('https:')) {
      const fp = await fetchFingerprint(url, 5000).catch((err: unknown) => err as Error);
      if (typeof fp === 'string') {
        if (await askYes(ask, `  The server's certificate fingerprint is ${fp}. Pin it?`, true)) next.fingerprint = fp;
      } else {
        await ask(`  Could not read the certificate (${fp.message}); set ${at}.fingerprint later (Enter to go on)`);
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

/** A credentials file's text for `values`. */
const credentialsText = (values: Record<string, string>): string => Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join('');

/** Writes a credentials file (0600, folder 0700) unless it already holds exactly `text` with mode 0600; whether it wrote. */
function saveCredentials(file: string, text: string): boolean {
  try {
    if ((statSync(file).mode & 0o777) === 0o600 && readFileSync(file, 'utf8') === text) return false;
  } catch {
    // Missing or unreadable: written below.
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
  return true;
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
    const config = openConfig(ctx.env);
    // Every path below is the lab's: its credentials, its doctor run.
    const env = withContext(ctx.env, config.lab);
    const named = config.labs.length > 1 || config.lab !== DEFAULT_CONTEXT;
    const written: string[] = [];
    const configured: string[] = [];
    const creds = new Map<string, Record<string, string>>();
    for (const spec of serviceSpecs) {
      const current = sectionOf(config, spec.key);
      const shared = spec.key === 'telegram';
      const question = `Configure ${spec.key} (${spec.label}${named && shared ? ', shared by every lab' : ''})${named && !shared ? ` in lab ${config.lab}` : ''}?`;
      if (!(await askYes(ask, question, current !== undefined))) continue;
      const file = credentialsFile(spec.credentialsDir, env);
      const answer = await askService(ask, spec, [...config.at, 'services', spec.key].join('.'), current, readCreds(file));
      setSection(config, spec.key, answer.section ?? current ?? {});
      creds.set(file, answer.values);
      configured.push(spec.key);
    }
    const saved = saveConfig(config);
    if (saved.written) written.push(config.path);
    for (const [file, values] of creds) if (saveCredentials(file, credentialsText(values))) written.push(file);
    ctx.progress('running doctor');
    return { configPath: config.path, context: config.lab, contexts: config.labs, configured, written, tightened: saved.tightened, doctor: await runDoctor(env, ctx.signal) };
  },
  render: (r) => {
    const lab = r.contexts.length > 1 || r.context !== DEFAULT_CONTEXT ? ` (lab ${r.context})` : '';
    const blocks: Block[] = [r.written.length ? text(`Wrote ${r.written.join(', ')}${lab}`, 'ok') : text(`Nothing changed${lab}: nothing was written`, 'dim')];
    if (r.tightened) blocks.push(text(`Set mode 600 on ${r.configPath} (it was ${r.tightened}: others could change where credentials are sent)`, 'warn'));
    return [...blocks, text(''), ...renderDoctor(r.doctor)];
  },
});
