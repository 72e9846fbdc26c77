/**
 * @module surfaces/mcp/config
 * The `mcp:` section of config.yaml and the bearer token of the HTTP transport. The
 * token comes from `mcp.token_file` (a file you manage, mode 0600) or is generated
 * once into `$HOMELAB_DATA_HOME/mcp/token` (0600) and reused; it is registered as a
 * secret so it never reaches a log or an error. Whoever could change it could call the
 * server, so it is judged like credentials (`core/private-file`: yours or root's, 0600, in a
 * folder others may not write), or refused (exit 3) with the fix; so is one whose token no
 * request could send (`core/bearer-token`: whitespace inside it, as a wrapped base64 line has).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { describeIssues, type HomelabConfig } from '../../core/config.js';
import { unknownKeys } from '../../core/config-keys.js';
import { bearerTokenIn } from '../../core/bearer-token.js';
import { ConfigError, fileAccessError } from '../../core/errors.js';
import { expandHome } from '../../core/paths.js';
import { checkPrivateFolder, generatedTokenFile, MCP_TOKEN, statPrivateFile } from '../../core/private-file.js';
import { registerSecret } from '../../core/redact.js';

/** The `mcp:` section; an unknown key (a typo) is refused. */
export const mcpConfigSchema = z.strictObject({
  /** A file holding the bearer token (mode 0600); generated into the data directory when absent. */
  token_file: z.string().min(1).optional(),
  /** Port of the HTTP transport on 127.0.0.1. */
  port: z.number().int().min(1).max(65535).default(8765),
  /** Time limit of one tool call unless the operation sets its own. */
  timeout_seconds: z.number().positive().max(3600).default(120),
  /** An HTTP session with no request open for this long is closed. */
  session_idle_minutes: z.number().positive().max(10_080).default(30),
  /** At most this many HTTP sessions at once. */
  max_sessions: z.number().int().min(1).max(10_000).default(100),
}, { error: unknownKeys });

/** Validated `mcp:` settings. */
export type McpConfig = z.infer<typeof mcpConfigSchema>;

/** Reads the `mcp:` section (defaults when absent). */
export function mcpConfig(config: HomelabConfig): McpConfig {
  const parsed = mcpConfigSchema.safeParse(config.mcp ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, 'mcp', parsed.error));
  return parsed.data;
}

/** Where a generated token is kept (`<data>/mcp/token`). */
export { generatedTokenFile } from '../../core/private-file.js';

/** The bearer token and the file it is in. Creates one when neither file exists. */
export function loadOrCreateToken(settings: McpConfig, dataDir: string, env: NodeJS.ProcessEnv = process.env): { token: string; file: string; created: boolean } {
  const configured = settings.token_file ? expandHome(settings.token_file) : undefined;
  const file = configured ?? generatedTokenFile(dataDir);
  // Yours or root's, 0600, in a folder others may not write (core/private-file); a folder closed to this user is not "does not exist".
  const st = statPrivateFile(file, MCP_TOKEN, env);
  if (st === undefined && configured) throw new ConfigError(`mcp.token_file ${file} does not exist`, `create it: head -c 32 /dev/urandom | base64 > ${file} && chmod 600 ${file}`);
  if (st === undefined) {
    const token = randomBytes(32).toString('base64url');
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      checkPrivateFolder(dirname(file), MCP_TOKEN, env);
      writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      // Made but not written whole (a full disk): removed, so the next run makes it again.
      if ((err as NodeJS.ErrnoException).syscall === 'write') rmSync(file, { force: true });
      throw fileAccessError(err, file, 'write');
    }
    registerSecret(token);
    return { token, file, created: true };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw fileAccessError(err, file, 'read');
  }
  const token = bearerTokenIn(text, file);
  registerSecret(token);
  return { token, file, created: false };
}
