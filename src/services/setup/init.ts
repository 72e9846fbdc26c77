/**
 * @module services/setup/init
 * `homelab init`: interactive set-up of the lab the run is in (`--context`,
 * HOMELAB_CONTEXT, `current_context`; named in the questions when the config has several).
 * A lab the file does not define yet is added after asking (`contexts.<name>`). For each
 * service it asks whether to configure it, its URL (offering the lab's current one, and the
 * server's TLS fingerprint to pin for https), its credentials (secrets without echo; Enter
 * keeps a current value), for DNS the default zone and for Telegram who owns the bot
 * (`init-service`), then writes what changed: the lab's `services` in config.yaml
 * (`init-config`: comments and layout kept, nothing written when nothing changed) and the
 * lab's credentials files (mode 0600, directories 0700), and runs `doctor` in that lab.
 * An answer init cannot use (an empty required value, a value not of its form, a URL the
 * config schema refuses, a choice out of range) is asked again, saying why
 * (`init-questions`). Ctrl-C at any question is not an empty answer: init stops at once
 * (exit 130) and writes nothing, since every file is written only after the last question.
 * When doctor then fails, init exits with doctor's code: what it wrote is kept, but the lab
 * does not work yet.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CONTEXT, withContext } from '../../core/context-name.js';
import { parseCredentials } from '../../core/credentials.js';
import { InterruptedError, PartialFailureError, UsageError } from '../../core/errors.js';
import { defineOperation } from '../../core/operation.js';
import { credentialsFile } from '../../core/paths.js';
import { registerSecret } from '../../core/redact.js';
import { text, type Block } from '../../core/render.js';
import { renderDoctor, runDoctor, type DoctorResult } from './doctor/operation.js';
import { addLab, openConfig, saveConfig, sectionOf, setSection, undefinedLab } from './init-config.js';
import { askYes, type Ask } from './init-questions.js';
import { askService } from './init-service.js';
import { serviceSpecs } from './service-specs.js';

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

function readCreds(path: string): Record<string, string> {
  try {
    const values = parseCredentials(readFileSync(path, 'utf8'), path);
    for (const v of Object.values(values)) registerSecret(v);
    return values;
  } catch {
    return {};
  }
}

/** A credentials file's text for `values`. */
const credentialsText = (values: Record<string, string>): string => Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join('');

/** Writes a credentials file (0600, folder 0700) unless it already holds exactly `text` with mode 0600, or `text` is empty (a file without keys only breaks the service); whether it wrote. */
function saveCredentials(file: string, text: string): boolean {
  if (!text) return false;
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

/**
 * The result when doctor passed; else the failure init ends with, at doctor's exit code
 * (4 unreachable, 5 refused, 3 config, …), carrying the whole result so it is still shown:
 * the lab does not work yet, whatever init wrote.
 */
function settleInit(r: InitResult): InitResult {
  const failed = r.doctor.checks.filter((c) => c.status === 'fail');
  if (!failed.length) return r;
  const parts = failed.map((c) => ({ part: `${c.area} ${c.name}`, exitCode: c.exitCode ?? 1 }));
  if (r.doctor.empty) throw new PartialFailureError('init: nothing is configured yet: no service was set up', r, parts, 'run homelab init again and answer y for a service');
  const names = failed.map((c) => `${c.area} ${c.name}`);
  const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')}, +${names.length - 6} more` : names.join(', ');
  const done = r.written.length ? 'the answers are written, but' : 'nothing was written, and';
  throw new PartialFailureError(`init: ${done} the lab does not work yet: doctor found ${failed.length} of ${r.doctor.checks.length} checks failing (${shown})`,
    r, parts, 'fix the failures above (homelab init again for URLs and credentials), then run homelab doctor');
}

/** `init`. */
export const initOperation = defineOperation({
  id: 'init',
  summary: 'Interactive set-up: service URLs and credentials, written with the right modes, then doctor',
  input: z.object({}),
  risk: 'change',
  examples: ['init'],
  surfaces: ['cli'],
  timeoutMs: 3_600_000,
  async run(ctx): Promise<InitResult> {
    const prompt = ctx.prompt;
    if (!prompt) throw new UsageError('init is interactive: run it in a terminal', 'or write config.yaml and the credentials files by hand (homelab services lists them)');
    const ask: Ask = (question, options) => prompt(question, options).catch((err: unknown) => {
      throw err instanceof InterruptedError ? new InterruptedError('init interrupted; nothing was written') : err;
    });
    const config = openConfig(ctx.env);
    if (!config.defined) {
      const add = await askYes(ask, `Lab ${config.lab} is not in ${config.path} (it defines ${config.labs.join(', ')}). Add it?`, true);
      if (!add) throw undefinedLab(config);
      addLab(config);
    }
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
      const at = shared ? 'telegram' : [...config.at, 'services', spec.key].join('.');
      const answer = await askService(ask, spec, at, current, readCreds(file), ctx.signal);
      setSection(config, spec.key, answer.section);
      creds.set(file, answer.values);
      configured.push(spec.key);
    }
    const saved = saveConfig(config);
    if (saved.written) written.push(config.path);
    for (const [file, values] of creds) if (saveCredentials(file, credentialsText(values))) written.push(file);
    ctx.progress('running doctor');
    const result: InitResult = { configPath: config.path, context: config.lab, contexts: config.labs, configured, written, tightened: saved.tightened, doctor: await runDoctor(env, ctx.signal) };
    return settleInit(result);
  },
  render: (r) => {
    const lab = r.contexts.length > 1 || r.context !== DEFAULT_CONTEXT ? ` (lab ${r.context})` : '';
    const blocks: Block[] = [];
    if (r.written.length) blocks.push(text(`Wrote ${r.written.join(', ')}${lab}`, 'ok'));
    // Only the mode changed: said as that, not as "nothing changed".
    if (r.tightened) blocks.push(text(`Set mode 600 on ${r.configPath} (it was ${r.tightened}: others could change where credentials are sent)${r.written.length ? '' : `; nothing else changed${lab}`}`, 'warn'));
    else if (!r.written.length) blocks.push(text(`Nothing changed${lab}: nothing was written`, 'dim'));
    return [...blocks, text(''), ...renderDoctor(r.doctor)];
  },
});
