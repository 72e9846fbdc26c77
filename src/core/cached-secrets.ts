/**
 * @module core/cached-secrets
 * The secrets homelab keeps in its data directory rather than in credentials files: the
 * login tokens the NPM, Kuma and Beszel clients cache, the DNS client's session token, and
 * the MCP bearer token (`<data>/mcp/token`, or `mcp.token_file`). `registerCachedSecrets`
 * registers them for redaction up front, with the credentials (`core/credentials`
 * `registerStoredSecrets`), so an input carrying one (`dns add-txt x <the NPM JWT>`) is
 * redacted in the audit row and the output before any client has loaded it. Only these small
 * files are read (their names are kept here so that no service module is loaded; a test keeps
 * them in step with the services); one that is missing, unreadable or not JSON is skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONTEXT } from './context-name.js';
import { dataHome, expandHome } from './paths.js';
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

/** The text of `path`, or undefined when it cannot be read. */
function readSmall(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Registers the token held in `field` of the JSON cache file `path`; anything else is skipped. */
function registerCached(path: string, field: string): void {
  const text = readSmall(path);
  if (text === undefined) return;
  try {
    const value: unknown = (JSON.parse(text) as Record<string, unknown> | null)?.[field];
    if (typeof value === 'string') registerSecret(value);
  } catch {
    // not JSON: the client ignores it too
  }
}

/**
 * Registers the cached login tokens of every context in `contexts` (valid names) and the MCP
 * bearer token (`tokenFile`: `mcp.token_file` as written in config.yaml, else the generated
 * one). Another context's data folder is listed first, so only the caches there are read.
 */
export function registerCachedSecrets(contexts: readonly string[], tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const data = dataHome(env);
  for (const context of contexts) {
    const dir = context === DEFAULT_CONTEXT ? data : join(data, 'contexts', context);
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
  let path: string;
  try {
    path = tokenFile ? expandHome(tokenFile) : generatedTokenFile(data);
  } catch {
    return; // a relative $HOME: the MCP server reports it
  }
  registerSecret(readSmall(path)?.trim());
}
