/**
 * @module surfaces/mcp/config
 * The bearer token of the HTTP transport (the `mcp:` section's schema is `core/mcp-config`). The
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
import { bearerTokenIn } from '../../core/bearer-token.js';
import { ConfigError, fileAccessError } from '../../core/errors.js';
import type { McpConfig } from '../../core/mcp-config.js';
import { expandHome } from '../../core/paths.js';
import { checkPrivateFolder, generatedTokenFile, MCP_TOKEN, statPrivateFile } from '../../core/private-file.js';
import { registerSecret } from '../../core/redact.js';

/** The `mcp:` section's schema and reader live in core (doctor judges the section with them too). */
export { mcpConfig, mcpConfigSchema, type McpConfig } from '../../core/mcp-config.js';

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
