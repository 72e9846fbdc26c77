/**
 * @module surfaces/mcp/server
 * Builds one MCP server (the SDK's low-level `Server`) over the registry: tools from
 * the offered operations plus the inbox tools, resources from `resources.ts`. One
 * server serves one client connection (stdio, or one Streamable HTTP session); the
 * client cache is shared so service logins are reused across sessions.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { HomelabConfig } from '../../core/config.js';
import { ClientCache } from '../../core/context.js';
import { dataHome } from '../../core/paths.js';
import type { Registry } from '../../core/registry.js';
import { callTool, type CallDeps } from './call.js';
import { exposure, toolDefinition, type AllowLevel } from './exposure.js';
import { callInboxTool, inboxTools } from './inbox-tools.js';
import { readResource, resources } from './resources.js';

declare const HOMELAB_VERSION: string | undefined;

/** The version the server reports (the bundle's, or `dev` when run from source). */
export const serverVersion = typeof HOMELAB_VERSION === 'string' ? HOMELAB_VERSION : 'dev';

/** Options shared by every server of one `homelab mcp` process. */
export interface McpServerOptions {
  registry: Registry;
  allow: AllowLevel;
  env: NodeJS.ProcessEnv;
  config?: HomelabConfig;
  /** Shared service clients; a new cache when omitted. */
  clients?: ClientCache;
  /** Time limit of a tool call unless the operation sets its own (default 120 s). */
  timeoutMs?: number;
}

const INSTRUCTIONS =
  'homelab: the operations of a Proxmox homelab (pve, pbs, dns, proxy, kuma, beszel, updates, …) as tools. ' +
  'Each tool returns readable text and the same data as structured content. Tools that change state are offered only ' +
  'when the server owner allowed them. Tools whose work is a plan across services (expose, unexpose, apply) take ' +
  'dryRun: true to return the plan and change nothing: read it (and show it to the owner) before running it for real. ' +
  'The owner\'s Telegram messages are in the inbox: read them with inbox_list or the ' +
  'homelab://telegram/inbox resource, and mark what you dealt with using inbox_mark_handled.';

/** Creates a server for one client connection. */
export async function createMcpServer(options: McpServerOptions): Promise<Server> {
  const [{ Server }, types] = await Promise.all([import('@modelcontextprotocol/sdk/server/index.js'), import('@modelcontextprotocol/sdk/types.js')]);
  const exposed = exposure(options.registry, options.allow);
  const dataDir = dataHome(options.env);
  const deps: CallDeps = {
    exposure: exposed,
    env: options.env,
    ...(options.config ? { config: options.config } : {}),
    clients: options.clients ?? new ClientCache(),
    timeoutMs: options.timeoutMs ?? 120_000,
    operations: options.registry,
  };
  const server = new Server({ name: 'homelab', version: serverVersion }, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS });
  const tools = [...[...exposed.offered.values()].map(toolDefinition), ...inboxTools];

  server.setRequestHandler(types.ListToolsRequestSchema, () => ({ tools }));

  server.setRequestHandler(types.CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    const inbox = exposed.all.has(name) ? undefined : await callInboxTool(name, args, dataDir);
    if (inbox) return inbox;
    const progressToken = request.params._meta?.progressToken;
    let step = 0;
    return callTool(deps, name, args, {
      clientName: server.getClientVersion()?.name || 'unknown-client',
      signal: extra.signal,
      ...(progressToken === undefined
        ? {}
        : {
            progress: (note: string) => {
              step += 1;
              extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: step, message: note } }).catch(() => undefined);
            },
          }),
    });
  });

  server.setRequestHandler(types.ListResourcesRequestSchema, () => ({ resources: [...resources] }));

  server.setRequestHandler(types.ReadResourceRequestSchema, async (request) => {
    const content = await readResource({ registry: options.registry, exposure: exposed, env: options.env, dataDir }, request.params.uri);
    if (!content) throw new types.McpError(types.ErrorCode.InvalidParams, `unknown resource ${request.params.uri}`);
    return { contents: [content] };
  });

  return server;
}
