/**
 * @module surfaces/mcp/command
 * `homelab mcp [--allow change|danger] [--http [--port N]]`: the MCP server. Over stdio
 * by default (a local agent starts it as a subprocess; stdout carries only protocol
 * messages, notes go to stderr), or Streamable HTTP on 127.0.0.1 with a bearer token.
 * Installs the audit hook, so every change an agent makes is in `homelab audit`.
 */
import { z } from 'zod';
import { installAuditHook } from '../../audit/hook.js';
import { loadConfig } from '../../core/config.js';
import { LabSet } from '../../core/lab-set.js';
import { ClientCache } from '../../core/context.js';
import { dataHome } from '../../core/paths.js';
import { getRegistry } from '../../services/index.js';
import { allowSchema } from '../shared/allow-level.js';
import { exposure } from './exposure.js';
import { loadOrCreateToken, mcpConfig } from './config.js';
import { parseDaemonFlags } from '../shared/daemon-flags.js';
import { servedTools } from './server.js';
import { wholeNumberFlag } from '../number-flag.js';
import { mcpOptions, valueFlags } from '../shared/command-options.js';

const HELP = `Usage: homelab mcp [--allow change|danger] [--http] [--port N]

Serves every operation as an MCP tool (plus the Telegram inbox and the service
registry as resources). Read-only by default: only read operations are offered.
  --allow change   also offer operations that change state
  --allow danger   also offer destructive operations (and change ones)
  --http           Streamable HTTP on 127.0.0.1 (bearer token) instead of stdio
  --port N         HTTP port (default: mcp.port in config, else 8765)
The token is mcp.token_file from config, or generated into $HOMELAB_DATA_HOME/mcp/token.
`;

const optionsSchema = z.object({
  allow: allowSchema.default('read'),
  http: z.literal(true, { error: '--http takes no value' }).optional(),
  port: wholeNumberFlag(0, 65535, '--port must be a port number from 1 to 65535 (0 picks a free one)').optional(),
});

/** Runs the MCP server until the client disconnects (stdio) or the process is told to stop. */
export async function mcpCommand(words: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { options, help } = parseDaemonFlags(words, optionsSchema, valueFlags(mcpOptions.flags), 'mcp');
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig(env);
  const settings = mcpConfig(config);
  const registry = getRegistry();
  installAuditHook();
  const clients = new ClientCache();
  // Every connection shares the labs (and so their clients): `context` on any tool names one.
  const labs = new LabSet(env, config, clients);
  // What tools/list answers: the operations offered at this level and the inbox tools.
  const offered = servedTools(exposure(registry, options.allow)).length;
  const log = (line: string): void => {
    process.stderr.write(`homelab mcp: ${line}\n`);
  };
  // Calls still running when the server stops are cancelled (closing aborts them) and waited for, so each writes its audit row.
  const calls = new Set<Promise<unknown>>();
  const base = { registry, allow: options.allow, env, config, clients, labs, calls, timeoutMs: settings.timeout_seconds * 1000 };
  const mode = options.allow === 'read' ? 'read-only' : `--allow ${options.allow}`;
  try {
    if (options.http) {
      const { token, file, created } = loadOrCreateToken(settings, dataHome(env), env);
      const { startMcpHttp } = await import('./http.js');
      const server = await startMcpHttp({ ...base, port: options.port ?? settings.port, token, log, sessionIdleMs: settings.session_idle_minutes * 60_000, maxSessions: settings.max_sessions });
      log(`serving ${offered} tools (${mode}) at ${server.url}`);
      log(`bearer token ${created ? 'generated into' : 'read from'} ${file}`);
      await untilSignal();
      await server.close();
      await settled(calls);
    } else {
      const [{ createMcpServer }, { StdioServerTransport }] = await Promise.all([import('./server.js'), import('@modelcontextprotocol/sdk/server/stdio.js')]);
      const { flushed } = await import('./delivery.js');
      // An answer is delivered once stdout flushed it without an error (delivery.ts).
      const server = await createMcpServer({ ...base, written: () => flushed(process.stdout) });
      const transport = new StdioServerTransport(process.stdin, process.stdout);
      const closed = new Promise<void>((resolve) => {
        transport.onclose = resolve;
        process.stdin.once('end', resolve);
        process.stdout.once('error', () => resolve());
      });
      await server.connect(transport);
      log(`serving ${offered} tools (${mode}) on stdio`);
      await Promise.race([closed, untilSignal()]);
      await server.close();
      await settled(calls);
    }
  } finally {
    await labs.closeAll();
  }
  return 0;
}

/** How long a stopping server waits for its cancelled calls to finish (their audit rows). */
const SETTLE_MS = 5000;

/** Resolves when every call has settled, or after `SETTLE_MS`. */
async function settled(calls: ReadonlySet<Promise<unknown>>): Promise<void> {
  if (!calls.size) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled([...calls]), new Promise<void>((resolve) => { timer = setTimeout(resolve, SETTLE_MS); })]);
  clearTimeout(timer);
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
