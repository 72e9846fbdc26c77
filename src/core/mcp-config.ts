/**
 * @module core/mcp-config
 * The `mcp:` section of config.yaml: its schema and the reader `homelab mcp` loads it with.
 * It lives apart from the MCP surface so `doctor` judges the section by the same schema
 * without importing a surface. An unknown key (a typo) is refused naming the key meant.
 */
import { z } from 'zod';
import { describeIssues, type HomelabConfig } from './config.js';
import { unknownKeys } from './config-keys.js';
import { ConfigError } from './errors.js';

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

/** Reads the `mcp:` section (defaults when absent); a ConfigError (exit 3) naming the key when invalid. */
export function mcpConfig(config: HomelabConfig): McpConfig {
  const parsed = mcpConfigSchema.safeParse(config.mcp ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(config.path, 'mcp', parsed.error));
  return parsed.data;
}
