/** @module surfaces/mcp — the MCP server: tools from the registry, inbox and registry resources, stdio and HTTP. */
export { mcpCommand } from './command.js';
export { createMcpServer, serverVersion, type McpServerOptions } from './server.js';
export { startMcpHttp, type McpHttpOptions, type McpHttpServer } from './http.js';
export { exposure, isAllowed, toolName, toolDefinition, inputJsonSchema, type AllowLevel, type Exposure, type ToolDefinition } from './exposure.js';
export { callTool, refusal, type ToolResult } from './call.js';
export { listInbox, markHandled, handledFile, entryId, type InboxEntry } from './inbox.js';
export { resources, readResource, RESOURCE } from './resources.js';
export { loadOrCreateToken, mcpConfig, mcpConfigSchema, type McpConfig } from './config.js';
