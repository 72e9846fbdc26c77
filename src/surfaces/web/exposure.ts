/**
 * @module surfaces/web/exposure
 * What the dashboard offers: every operation the registry has for the `web` surface
 * (CLI-only ones such as `init` or `telegram allow` are left out entirely), grouped by
 * service, and whether each may run under the server's `--allow` level (read-only by
 * default, as for MCP). A withheld operation is shown disabled with `disabledReason`.
 */
import { isOfferedOn, type AnyOperation } from '../../core/operation.js';
import type { Registry } from '../../core/registry.js';
import { isAllowed, type AllowLevel } from '../shared/allow-level.js';

/** Why an operation cannot run on this server; undefined when it can. */
export function disabledReason(op: AnyOperation, allow: AllowLevel): string | undefined {
  if (isAllowed(op.risk, allow)) return undefined;
  const flag = op.risk === 'danger' ? '--allow danger' : '--allow change';
  const mode = allow === 'read' ? 'read-only' : `started with --allow ${allow}`;
  return `${op.risk === 'danger' ? 'destructive' : 'changes state'}: this dashboard is ${mode}; restart it with ${flag} to enable`;
}

/** A service as the dashboard lists it: its URL name and the operations offered on the web. */
export interface WebService {
  /** The URL segment and title: the service name, or `homelab` for the top-level commands. */
  name: string;
  summary: string;
  operations: AnyOperation[];
}

/** The name of the group of top-level operations (`status`, `audit`, …). */
export const TOP_LEVEL = 'homelab';

/** The services with at least one operation offered on the web, in registry order (top-level modules merged). */
export function webServices(registry: Registry): WebService[] {
  const byName = new Map<string, WebService>();
  for (const s of registry.services) {
    const name = s.name || TOP_LEVEL;
    const entry = byName.get(name) ?? { name, summary: s.name ? s.summary : 'Commands across the whole lab', operations: [] };
    entry.operations.push(...s.operations.filter((op) => isOfferedOn(op, 'web')));
    byName.set(name, entry);
  }
  return [...byName.values()].filter((s) => s.operations.length > 0);
}

/** The service of an operation, as the dashboard names it. */
export function serviceOf(op: AnyOperation): string {
  return op.id.includes('.') ? (op.id.split('.')[0] as string) : TOP_LEVEL;
}

/** The operation with `id` if it is offered on the web. */
export function webOperation(registry: Registry, id: string): AnyOperation | undefined {
  const op = registry.get(id);
  return op && isOfferedOn(op, 'web') ? op : undefined;
}
