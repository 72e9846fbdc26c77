/**
 * @module surfaces/mcp/resources
 * MCP resources: the Telegram inbox (raw, and as entries with ids and handled flags)
 * and the service registry (services, whether configured, their URL, and every
 * operation with its risk and whether this server offers it). No secret is in any of
 * them: credentials are never read here, and URLs lose any user:password part.
 */
import { loadConfig } from '../../core/config.js';
import { toHomelabError } from '../../core/errors.js';
import type { Registry } from '../../core/registry.js';
import { redact, redactValue } from '../../core/redact.js';
import type { Exposure } from './exposure.js';
import { toolName } from './exposure.js';
import { listInbox, readInboxText } from './inbox.js';

/** A listed resource (the MCP `Resource` shape). */
export interface ResourceInfo {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

/** Resource URIs. */
export const RESOURCE = {
  inbox: 'homelab://telegram/inbox',
  inboxEntries: 'homelab://telegram/inbox/entries',
  services: 'homelab://services',
} as const;

/** Every resource this server has. */
export const resources: readonly ResourceInfo[] = [
  { uri: RESOURCE.inbox, name: 'telegram-inbox', title: 'Telegram inbox', description: 'Messages the owner sent the bot, as the inbox file holds them (one entry per message: time, user, text)', mimeType: 'text/plain' },
  { uri: RESOURCE.inboxEntries, name: 'telegram-inbox-entries', title: 'Telegram inbox entries', description: 'The inbox as JSON entries with ids and handled flags (mark them with the inbox_mark_handled tool)', mimeType: 'application/json' },
  { uri: RESOURCE.services, name: 'services', title: 'Service registry', description: 'Configured services, their URLs, and every operation with its risk and whether this server offers it as a tool', mimeType: 'application/json' },
];

/** What reading a resource needs. */
export interface ResourceDeps {
  registry: Registry;
  exposure: Exposure;
  env: NodeJS.ProcessEnv;
  dataDir: string;
}

/** The text of a resource, or undefined for an unknown URI. */
export async function readResource(deps: ResourceDeps, uri: string): Promise<{ uri: string; mimeType: string; text: string } | undefined> {
  if (uri === RESOURCE.inbox) return { uri, mimeType: 'text/plain', text: redact(readInboxText(deps.dataDir)) };
  if (uri === RESOURCE.inboxEntries) return { uri, mimeType: 'application/json', text: JSON.stringify(redactValue(await listInbox(deps.dataDir)), null, 2) };
  if (uri === RESOURCE.services) return { uri, mimeType: 'application/json', text: JSON.stringify(serviceRegistry(deps), null, 2) };
  return undefined;
}

/** The service registry document. */
export function serviceRegistry(deps: ResourceDeps): Record<string, unknown> {
  let sections: Record<string, unknown> = {};
  let configError: string | null = null;
  try {
    sections = loadConfig(deps.env).services;
  } catch (err) {
    configError = toHomelabError(err).message;
  }
  const services = deps.registry.services.map((s) => {
    const section = sections[s.name];
    const url = section && typeof section === 'object' && typeof (section as { url?: unknown }).url === 'string' ? withoutUserinfo((section as { url: string }).url) : null;
    return {
      name: s.name || '(top level)',
      summary: s.summary,
      ...(s.name ? { configured: section !== undefined && section !== null, url } : {}),
      operations: s.operations.map((op) => ({ id: op.id, tool: toolName(op), risk: op.risk, summary: op.summary, offered: deps.exposure.offered.has(toolName(op)) })),
    };
  });
  return redactValue({ allow: deps.exposure.allow, configError, services });
}

function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
