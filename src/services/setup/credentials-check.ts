/**
 * @module services/setup/credentials-check
 * Inspects a service's credentials file the way `loadCredentials` would accept it —
 * exists, owned by someone it trusts (`checkCredentialsOwner`, `core/trusted-owner`), mode 0600 (nothing for group or others), the
 * required keys present — but reports every problem instead of throwing at the first. Values are registered as
 * secrets before anything else happens with them.
 */
import { readFileSync } from 'node:fs';
import { checkCredentialsOwner, parseCredentials, type Credentials } from '../../core/credentials.js';
import { HomelabError } from '../../core/errors.js';
import { credentialsFile } from '../../core/paths.js';
import { linkStat } from '../../core/trusted-owner.js';
import { registerSecret } from '../../core/redact.js';
import type { ServiceSpec } from './service-specs.js';

/** What the credentials file of a service looks like. */
export interface CredentialsState {
  path: string;
  /** `ok`, or the first problem. */
  state: 'ok' | 'missing' | 'owner' | 'mode' | 'keys' | 'unreadable';
  /** Octal mode, when the file exists. */
  mode: string | null;
  missing: string[];
  /** A one-line description of the problem, with the fix. */
  problem: string | null;
  fix: string | null;
  values: Credentials;
}

/** Reads and judges the credentials file of `spec`. */
export function inspectCredentials(spec: ServiceSpec, env: NodeJS.ProcessEnv): CredentialsState {
  const path = credentialsFile(spec.credentialsDir, env);
  const base = { path, mode: null, missing: [], values: {} };
  const found = linkStat(path);
  if (!found) {
    const keys = [...spec.required, ...(spec.anyOf?.[0] ?? [])];
    return { ...base, state: 'missing', problem: `${path} does not exist`, fix: `create it with ${keys.map((k) => `${k}=…`).join(', ')} lines (homelab init does), then chmod 600 ${path}` };
  }
  const mode = found.stat.mode & 0o777;
  let owner: { problem: string; fix: string | null } | undefined;
  try {
    checkCredentialsOwner(path, found, env);
  } catch (err) {
    if (!(err instanceof HomelabError)) throw err;
    owner = { problem: err.message, fix: err.hint ?? null };
  }
  let values: Record<string, string>;
  try {
    values = parseCredentials(readFileSync(path, 'utf8'), path);
  } catch (err) {
    return { ...base, mode: mode.toString(8), state: 'unreadable', problem: (err as Error).message, fix: `fix ${path}: one KEY=value per line` };
  }
  for (const v of Object.values(values)) registerSecret(v);
  const octal = mode.toString(8);
  if (owner) return { ...base, values, mode: octal, state: 'owner', ...owner };
  if ((mode & 0o077) !== 0) {
    return { ...base, values, mode: octal, state: 'mode', problem: `${path} is readable by group or others (mode ${octal})`, fix: `chmod 600 ${path}` };
  }
  const missing = spec.required.filter((k) => !values[k]);
  if (spec.anyOf && !spec.anyOf.some((set) => set.every((k) => values[k]))) missing.push(spec.anyOf.map((set) => set.join('+')).join(' or '));
  if (missing.length) {
    return { ...base, values, mode: octal, missing, state: 'keys', problem: `${path} has no ${missing.join(', ')}`, fix: `add ${missing.map((k) => `${k}=…`).join(' and ')} to ${path}` };
  }
  return { ...base, values, mode: octal, state: 'ok', problem: null, fix: null };
}
