/**
 * @module core/credentials
 * Credentials files as the original helpers kept them: `KEY=value` lines in
 * `$HOMELAB_CONFIG_HOME/<service>/credentials`, mode 0600. A file readable by group
 * or others is refused with the `chmod 600` fix; every value is registered as a secret.
 */
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { credentialsFile } from './paths.js';
import { registerSecret } from './redact.js';

/** Keys whose values are secrets (token ids, user names and e-mail addresses are not: they appear in UPIDs and logs). */
const SECRET_KEY = /(SECRET|PASSWORD|PASS|TOKEN|API_KEY|KEY|TOTP_SECRET)$/;

/** Parsed `KEY=value` pairs of one credentials file. */
export type Credentials = Readonly<Record<string, string>>;

/**
 * Parses `KEY=value` lines. Blank lines and `#` comments are skipped, an `export `
 * prefix is allowed, and values may be wrapped in single or double quotes.
 */
export function parseCredentials(text: string, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new ConfigError(`${path}:${index + 1}: expected KEY=value`);
    let value = match[2] ?? '';
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    out[match[1] as string] = value;
  });
  return out;
}

/**
 * Reads a service's credentials file and checks that every `required` key is present.
 * `anyOf` lists alternative key sets (e.g. a token, or a user and password): one must be complete.
 */
export function loadCredentials(
  dir: string,
  required: readonly string[] = [],
  anyOf?: readonly (readonly string[])[],
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const path = credentialsFile(dir, env);
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    const keys = [...required, ...(anyOf?.[0] ?? [])];
    throw new ConfigError(`credentials file ${path} does not exist`, `create it with ${keys.map((k) => `${k}=…`).join(', ')} lines, then chmod 600 ${path}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      `credentials file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)})`,
      `run: chmod 600 ${path}`,
    );
  }
  const values = parseCredentials(readFileSync(path, 'utf8'), path);
  for (const [key, value] of Object.entries(values)) if (SECRET_KEY.test(key)) registerSecret(value);
  const missing = required.filter((k) => !values[k]);
  if (missing.length) throw new ConfigError(`credentials file ${path} has no ${missing.join(', ')}`, `add ${missing.map((k) => `${k}=…`).join(' and ')} to it`);
  if (anyOf && !anyOf.some((set) => set.every((k) => values[k]))) {
    throw new ConfigError(`credentials file ${path} needs ${anyOf.map((set) => set.join(' and ')).join(', or ')}`);
  }
  return values;
}
