/**
 * @module core/credentials
 * Credentials files as the original helpers kept them: `KEY=value` lines in
 * `$HOMELAB_CONFIG_HOME/<service>/credentials`, mode 0600. A file readable by group
 * or others, or owned by someone homelab does not trust (`core/trusted-owner`: you or root;
 * as root, also the config home's owner; never a group, since the file is 0600), is refused
 * with the fix, and so is a linked one whose real folder is not safe; every value is
 * registered as a secret. Reading one costs one lstat more than its text (a link: its real place's checks).
 * `registerStoredSecrets` registers the secrets of every service's file of every context up
 * front, and the tokens cached in the data directory (`core/cached-secrets`), for whatever
 * must be redacted before a client has loaded its own (the audit row).
 */
import { readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { currentIdentity, linkStat, type Identity } from './trusted-owner.js';
import { registerCachedSecrets } from './cached-secrets.js';
import { readConfigDocument } from './config-document.js';
import { CONTEXT_NAME, DEFAULT_CONTEXT, contextChoice } from './context-name.js';
import { ConfigError, fileAccessError, fileProblem } from './errors.js';
import { SHARED_CREDENTIALS, configFile, contextCredentialsDir, credentialsFile } from './paths.js';
import { CREDENTIALS, checkPrivateFile, missingOrUnreadable } from './private-file.js';
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
    const pair = parseLine(raw);
    if (pair === null) throw new ConfigError(`${path}:${index + 1}: expected KEY=value`);
    if (pair) out[pair[0]] = pair[1];
  });
  return out;
}

/** One `KEY=value` line: the pair, undefined for a blank line or comment, null when malformed. */
function parseLine(raw: string): [string, string] | undefined | null {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return undefined;
  const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
  if (!match) return null;
  let value = match[2] ?? '';
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
  return [match[1] as string, value];
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
  const found = linkStat(path);
  if (!found) {
    // A folder closed to this user hides a file that is there: that is not "does not exist".
    const missing = missingOrUnreadable(path);
    if (missing) throw missing;
    const keys = [...required, ...(anyOf?.[0] ?? [])];
    throw new ConfigError(`credentials file ${path} does not exist`, `create it with ${keys.map((k) => `${k}=…`).join(', ')} lines, then chmod 600 ${path}`);
  }
  if (found.stat.isDirectory()) throw fileProblem('EISDIR', path, 'read');
  checkCredentialsOwner(path, found, env);
  const { mode } = found.stat;
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      `credentials file ${path} is readable by group or others (mode ${(mode & 0o777).toString(8)})`,
      `run: chmod 600 ${path}`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw fileAccessError(err, path, 'read');
  }
  const values = parseCredentials(text, path);
  for (const [key, value] of Object.entries(values)) if (SECRET_KEY.test(key)) registerSecret(value);
  const missing = required.filter((k) => !values[k]);
  if (missing.length) throw new ConfigError(`credentials file ${path} has no ${missing.join(', ')}`, `add ${missing.map((k) => `${k}=…`).join(' and ')} to it`);
  if (anyOf && !anyOf.some((set) => set.every((k) => values[k]))) {
    throw new ConfigError(`credentials file ${path} needs ${anyOf.map((set) => set.join(' and ')).join(', or ')}`);
  }
  return values;
}

/**
 * Throws a ConfigError when the credentials file at `path` (`found`: its stat, links followed,
 * and whether it is a link) belongs to someone `who` does not trust, or, linked, really is
 * in a folder that is not safe (`core/trusted-owner`). The config home is stat'ed only when
 * the file is neither yours nor root's.
 */
export function checkCredentialsOwner(path: string, found: { stat: Stats; link: boolean }, env: NodeJS.ProcessEnv, who: Identity | undefined = currentIdentity()): void {
  // The folder holding it too: whoever may write it could swap the file between this check and its read. Its mode is the caller's to judge.
  checkPrivateFile(path, found, CREDENTIALS, env, who, false);
}

/**
 * The credentials directory of every service (`services/setup/service-specs.ts` lists
 * them with their keys; a test keeps the two in step). Kept here so that registering
 * secrets loads no service module.
 */
export const credentialDirs: readonly string[] = ['pve', 'pbs', 'dns', 'npm', 'beszel', 'kuma', 'telegram'];

/**
 * Registers as secrets the secret values of every service's credentials file that can
 * be read, and the login tokens cached in the data directory and the MCP token
 * (`core/cached-secrets`), in every context (lab) config.yaml defines, so that they are redacted before
 * any client has loaded them (the audit log writes its row before the operation runs, and
 * an input may carry another lab's token). Missing, unreadable or malformed files
 * and lines are skipped: loading the service's credentials reports those.
 */
export function registerStoredSecrets(env: NodeJS.ProcessEnv = process.env): void {
  // The shared ones (the bot's token) sit at the top whatever the labs are called, even when
  // config.yaml has only `contexts:` and so no lab named default.
  for (const dir of SHARED_CREDENTIALS) registerFileSecrets(credentialsFile(dir, env));
  const doc = readConfigDocument(configFile(env), env);
  const raw = doc.state === 'ok' ? doc.raw : undefined;
  const contexts = contextChoice(raw).names.filter((name) => CONTEXT_NAME.test(name));
  registerCachedSecrets(contexts, mcpTokenFiles(raw, contexts), env);
  for (const context of contexts) {
    const home = contextCredentialsDir(context, env);
    // Another lab's directory is listed first, so only the files that exist are read.
    let dirs: readonly string[] = credentialDirs;
    if (context !== DEFAULT_CONTEXT) {
      try {
        const present = new Set(readdirSync(home));
        dirs = credentialDirs.filter((dir) => present.has(dir));
      } catch {
        continue;
      }
    }
    for (const dir of dirs) if (!SHARED_CREDENTIALS.has(dir)) registerFileSecrets(join(home, dir, 'credentials'));
  }
}

/** What is read of a config block (the top level, or a context's) for its MCP token: `mcp.token_file` when it is a string. */
const McpBlock = z.object({ mcp: z.object({ token_file: z.string().min(1) }) });
/** What is read of the top level for the contexts' own blocks. */
const ContextBlocks = z.object({ contexts: z.record(z.string(), z.unknown()) });

/**
 * The MCP token files the (unvalidated) config names: the top level's `mcp.token_file`
 * (undefined when it has none: the generated token), then each of `contexts` that sets its
 * own (a context's block overrides `mcp` key by key).
 */
function mcpTokenFiles(raw: unknown, contexts: readonly string[]): (string | undefined)[] {
  const fileOf = (block: unknown): string | undefined => {
    const parsed = McpBlock.safeParse(block);
    return parsed.success ? parsed.data.mcp.token_file : undefined;
  };
  const blocks = ContextBlocks.safeParse(raw);
  const own = blocks.success ? contexts.map((name) => fileOf(blocks.data.contexts[name])).filter((f) => f !== undefined) : [];
  return [fileOf(raw), ...own];
}

/** Registers the secret values of one credentials file; a file that cannot be read is skipped. */
function registerFileSecrets(path: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  for (const raw of text.split(/\r?\n/)) {
    const pair = parseLine(raw);
    if (pair && SECRET_KEY.test(pair[0])) registerSecret(pair[1]);
  }
}
