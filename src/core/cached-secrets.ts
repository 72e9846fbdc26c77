/**
 * @module core/cached-secrets
 * The secrets homelab keeps in its data directory rather than in credentials files: the
 * login tokens the NPM, Kuma and Beszel clients cache, the DNS client's session token, and
 * the MCP bearer tokens (`<data>/mcp/token`, or `mcp.token_file`, a context's own too).
 * `registerCachedSecrets` registers them for redaction up front, with the credentials
 * (`core/credentials` `registerStoredSecrets`), so an input carrying one (`dns add-txt x <the NPM JWT>`) is
 * redacted in the audit row and the output before any client has loaded it. Only these small
 * files are read (their names are kept here so that no service module is loaded; a test keeps
 * them in step with the services); one that is missing, unreadable or not JSON is skipped.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readCacheFile } from './cache-file.js';
import { DEFAULT_CONTEXT } from './context-name.js';
import { dataHome, dataHomeOf, expandHome } from './paths.js';
import { generatedTokenFile } from './private-file.js';
import { registerSecret } from './redact.js';

/**
 * The token caches of one context's data directory, as `[service folder, file, field]`
 * (services/proxy, kuma and beszel token-cache, services/dns/state-file).
 */
export const tokenCacheFiles: readonly (readonly [string, string, string])[] = [
  ['npm', 'token.json', 'token'],
  ['kuma', 'token.json', 'token'],
  ['beszel', 'auth.json', 'token'],
  ['dns', 'state.json', 'sessionToken'],
];

/** What is read of a cache file: its fields, of which a string one may be the token. */
const CacheFields = z.record(z.string(), z.unknown());

/** Registers the token held in `field` of the JSON cache file `path`; anything else is skipped. */
function registerCached(path: string, field: string): void {
  const text = readCacheFile(path);
  if (text === undefined) return;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return; // not JSON: the client ignores it too
  }
  const parsed = CacheFields.safeParse(json);
  const value = parsed.success ? parsed.data[field] : undefined;
  if (typeof value === 'string') registerSecret(value);
}

/**
 * Registers the cached login tokens of every context in `contexts` (valid names) and the MCP
 * bearer tokens (`tokenFiles`: each `mcp.token_file` written in config.yaml, the top level's
 * and the contexts' own; undefined stands for the generated one). Another context's data
 * folder is listed first, so only the caches there are read.
 */
export function registerCachedSecrets(contexts: readonly string[], tokenFiles: readonly (string | undefined)[], env: NodeJS.ProcessEnv = process.env): void {
  for (const context of contexts) {
    const dir = dataHomeOf(context, env);
    let present: ReadonlySet<string> | undefined;
    if (context !== DEFAULT_CONTEXT) {
      try {
        present = new Set(readdirSync(dir));
      } catch {
        continue;
      }
    }
    for (const [folder, file, field] of tokenCacheFiles) if (!present || present.has(folder)) registerCached(join(dir, folder, file), field);
  }
  for (const tokenFile of tokenFiles) {
    let path: string;
    try {
      path = tokenFile ? expandHome(tokenFile) : generatedTokenFile(dataHome(env));
    } catch {
      continue; // a relative $HOME: the MCP server reports it
    }
    registerSecret(readCacheFile(path)?.trim());
  }
}
