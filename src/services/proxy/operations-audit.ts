/**
 * @module services/proxy/operations-audit
 * `proxy audit [--limit N]`: NPM's own audit log (the server returns at most the
 * newest 100 rows). Only a one-line subject is taken from each row's `meta`, which can
 * hold whole objects.
 */
import { z } from 'zod';
import { defineOperation } from '../../core/operation.js';
import { table } from '../../core/render.js';
import { proxyClientFactory } from './factory.js';
import { npmDate } from './hosts-view.js';

/** JSON shape of one `proxy audit` entry. */
export interface ProxyAuditEntry {
  id: number;
  /** ISO-8601. */
  at: string | null;
  /** Who did it: name or email, when known. */
  user: string | null;
  /** `proxy-host`, `certificate`, `access-list`, `user`, … */
  objectType: string;
  objectId: number;
  /** `created`, `updated`, `deleted`, `enabled`, `disabled`, `renewed`. */
  action: string;
  /** The object's domains, name or port. */
  subject: string | null;
}

/** `proxy audit [--limit N]`. */
export const proxyAudit = defineOperation({
  id: 'proxy.audit',
  summary: "Show NPM's audit log, newest first",
  input: z.object({ limit: z.number().int().min(1).max(100).default(20).describe('how many entries (NPM keeps answering the newest 100)') }),
  risk: 'read',
  examples: ['proxy audit', 'proxy audit --limit 50 --json'],
  async run(ctx, input): Promise<ProxyAuditEntry[]> {
    const client = await ctx.client(proxyClientFactory);
    return (await client.auditLog(ctx.signal)).slice(0, input.limit).map((r) => ({
      id: r.id, at: npmDate(r.created_on), user: r.user?.name ?? r.user?.email ?? null, objectType: r.object_type, objectId: r.object_id, action: r.action,
      subject: r.meta?.domain_names?.join(', ') ?? r.meta?.nice_name ?? r.meta?.name ?? (r.meta?.incoming_port !== undefined ? `port ${r.meta.incoming_port}` : null),
    }));
  },
  render: (rows) => [table(['when', 'user', 'action', 'object', 'subject'], rows.map((r) => [
    r.at?.slice(0, 16).replace('T', ' ') ?? '-', r.user ?? '-', r.action, `${r.objectType} #${r.objectId}`, r.subject ?? '',
  ]), { empty: 'the audit log is empty' })],
});
