/**
 * @module surfaces/mcp/server
 * Builds one MCP server (the SDK's low-level `Server`) over the registry: tools from
 * the offered operations plus the inbox tools, resources from `resources.ts`. One
 * server serves one client connection (stdio, or one Streamable HTTP session); the
 * client cache is shared so service logins are reused across sessions.
 *
 * Every service's stored secrets (of every lab) are registered for redaction when a server
 * is made and again for each request (a tool call, an inbox tool, a resource read), so
 * another service's token in a record, an inbox entry, a resource or an error is `***`
 * before any client has loaded it, and so is one a credentials file took while it runs.
 *
 * The client's name from `initialize` is the audit log's actor: control characters taken
 * out, at most 64 characters (`clientName`). tools/call takes arguments of any JSON type,
 * so that ones that are not an object are a tool error an agent can read, not a JSON-RPC
 * error. There are no resource templates (`resources/templates/list` answers an empty list).
 *
 * The server watches what its transport sends, so a call whose operation finishes its work only
 * once its answer was delivered (`telegram inbox clear`) learns whether it was (`delivery.ts`).
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { z } from 'zod';
import type { HomelabConfig } from '../../core/config.js';
import { loadConfig } from '../../core/config.js';
import { readContextChoice } from '../../core/context-name.js';
import { ClientCache } from '../../core/context.js';
import { registerStoredSecrets } from '../../core/credentials.js';
import { toHomelabError } from '../../core/errors.js';
import { LabSet } from '../../core/lab-set.js';
import { configFile } from '../../core/paths.js';
import type { Registry } from '../../core/registry.js';
import { callArguments } from './arguments.js';
import { callTool, toolError, type CallDeps } from './call.js';
import { Deliveries, type Written } from './delivery.js';
import { KeptRuns } from './kept-runs.js';
import { takeContextArg, withContextProperty } from './context-arg.js';
import type { AllowLevel } from '../shared/allow-level.js';
import { exposure, toolDefinition, type Exposure, type ToolDefinition } from './exposure.js';
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
  /** The labs tools may name with `context`, shared by every connection of the process; made here when omitted. */
  labs?: LabSet;
  /** Tool calls still running, each until it settles (`homelab mcp` waits for them when it stops). */
  calls?: Set<Promise<unknown>>;
  /** Told of each tool call as it starts (the HTTP transport counts a session's running calls). */
  onCall?: (call: Promise<unknown>) => void;
  /** Whether an answer the transport sent reached the client (stdout flushed, the HTTP response finished); unset: sent is delivered. */
  written?: Written;
}

const INSTRUCTIONS =
  'homelab: the operations of a Proxmox homelab (pve, pbs, dns, proxy, kuma, beszel, updates, …) as tools. ' +
  'Each tool returns readable text and the same data as structured content. Tools that change state are offered only ' +
  'when the server owner allowed them. Tools whose work is a plan across services (expose, unexpose, apply) take ' +
  'dryRun: true to return the plan and change nothing: read it (and show it to the owner) before running it for real, ' +
  'and pass the digest it returned as planDigest, so that only the plan you read runs. ' +
  'The owner\'s Telegram messages are in the inbox: read them with inbox_list or the ' +
  'homelab://telegram/inbox resource, and mark what you dealt with using inbox_mark_handled. ' +
  'Every tool takes an optional context: the lab (a homelab site) to act on, one of the names its schema lists; without it, the server\'s own. ' +
  'A long list comes a page at a time: the text\'s last line says which offset to pass for more (tools that list something take limit and offset).';

/** The tools a server offers at `exposed`'s level: one per offered operation, then the inbox tools. */
export function servedTools(exposed: Exposure): ToolDefinition[] {
  return [...[...exposed.offered.values()].map((op) => toolDefinition(op, exposed.words)), ...inboxTools];
}

/** Creates a server for one client connection. */
export async function createMcpServer(options: McpServerOptions): Promise<Server> {
  const [{ Server }, types] = await Promise.all([import('@modelcontextprotocol/sdk/server/index.js'), import('@modelcontextprotocol/sdk/types.js')]);
  registerStoredSecrets(options.env);
  const exposed = exposure(options.registry, options.allow);
  const clients = options.clients ?? new ClientCache();
  // The labs, made on first use (a broken config is then a tool error, as it was per call).
  let made = options.labs;
  const labs = (): LabSet => (made ??= new LabSet(options.env, options.config ?? loadConfig(options.env), clients));
  const deps: CallDeps = {
    exposure: exposed,
    env: options.env,
    ...(options.config ? { config: options.config } : {}),
    clients,
    timeoutMs: options.timeoutMs ?? 120_000,
    operations: options.registry,
    labs,
    // This connection's recent runs, which answer the later pages of a list (kept-runs).
    kept: new KeptRuns(),
  };
  const server = new Server({ name: 'homelab', version: serverVersion }, { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS });
  const choice = options.config?.contextNames ? { names: options.config.contextNames, current: options.config.context ?? 'default' } : readContextChoice(configFile(options.env));
  // An empty HOMELAB_CONTEXT is unset, as everywhere (`export HOMELAB_CONTEXT=` clears it).
  const home = options.config?.context ?? (options.env.HOMELAB_CONTEXT || choice.current);
  const tools = servedTools(exposed).map((tool) => withContextProperty(tool, choice.names, home));
  const deliveries = new Deliveries(options.written);
  // Kept until it settles, so a server closing (stdin closed) lets a cancelled call write its audit row.
  const track = (work: Promise<unknown>): void => {
    const settled = (): void => void options.calls?.delete(work);
    options.calls?.add(work);
    work.then(settled, settled);
    options.onCall?.(work);
  };

  server.setRequestHandler(types.ListToolsRequestSchema, () => ({ tools }));

  // tools/call is answered by the fallback handler: the SDK's own schema for it would turn
  // arguments that are not an object (null, [101], "vmid=101") into a JSON-RPC error with a
  // zod dump, where an agent needs a tool error it can read and correct.
  server.fallbackRequestHandler = async (request, extra) => {
    if (request.method !== 'tools/call') throw rpcError(types.ErrorCode.MethodNotFound, 'Method not found');
    const params = callParamsSchema.safeParse(request.params);
    if (!params.success) throw rpcError(types.ErrorCode.InvalidParams, 'tools/call needs params.name: the tool to call');
    registerStoredSecrets(options.env);
    const { name } = params.data;
    let args: Record<string, unknown>;
    try {
      args = callArguments(params.data.arguments);
    } catch (err) {
      return toolError(`invalid arguments: ${toHomelabError(err).message}`);
    }
    if (!exposed.all.has(name)) {
      let inbox;
      try {
        const taken = takeContextArg(args);
        inbox = await callInboxTool(name, taken.args, labs().get(taken.context).dataDir);
      } catch (err) {
        return toolError(toHomelabError(err).message);
      }
      if (inbox) return inbox;
    }
    const progressToken = params.data._meta?.progressToken;
    let step = 0;
    const call = callTool(deps, name, args, {
      clientName: clientName(server.getClientVersion()),
      signal: extra.signal,
      ...(progressToken === undefined
        ? {}
        : {
            progress: (note: string) => {
              step += 1;
              extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: step, message: note } }).catch(() => undefined);
            },
          }),
      answer: {
        delivered: () => {
          deliveries.watch(server.transport);
          return deliveries.delivered(extra.requestId, extra.signal);
        },
        finishing: track,
      },
    });
    track(call);
    return call;
  };

  server.setRequestHandler(types.ListResourcesRequestSchema, () => ({ resources: [...resources] }));
  server.setRequestHandler(types.ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [] }));

  server.setRequestHandler(types.ReadResourceRequestSchema, async (request) => {
    registerStoredSecrets(options.env);
    const home = labs();
    const content = await readResource({ registry: options.registry, exposure: exposed, env: home.get().env, dataDir: home.get().dataDir }, request.params.uri);
    // A bare message: the SDK's McpError would be sent as "MCP error -32602: …", and the client prefixes it again.
    if (!content) throw rpcError(types.ErrorCode.InvalidParams, `unknown resource ${request.params.uri}`);
    return { contents: [content] };
  });

  return server;
}

/** The params of tools/call this server reads; `arguments` of any JSON type (checked by the handler). */
const callParamsSchema = z.object({
  name: z.string(),
  arguments: z.unknown().optional(),
  _meta: z.looseObject({ progressToken: z.union([z.string(), z.number()]).optional() }).optional(),
});

/** A JSON-RPC error the SDK sends as it is: its message and code, nothing prefixed. */
function rpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The most characters of a client's name kept (it is the audit log's actor). */
export const MAX_CLIENT_NAME = 64;

/** The name a client gave in `initialize`, as the audit log's actor: control characters out, at most 64 characters. */
export function clientName(info: { name?: unknown } | undefined): string {
  const raw = typeof info?.name === 'string' ? info.name : '';
  const name = [...raw.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()].slice(0, MAX_CLIENT_NAME).join('').trim();
  return name || 'unknown-client';
}
