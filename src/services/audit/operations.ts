/**
 * @module services/audit/operations
 * `homelab audit [--since 24h] [--actor ID] [--surface S] [--operation OP] [--risk R] [--plan ID] [--lab NAME] [--failed] [--limit N]`:
 * who changed what, from where, and how it ended. The bot's `/audit` and the MCP tool
 * `audit` come from this same operation. `--lab` names a context the config defines (or one
 * the log has rows of): any other is refused (exit 3) with the known ones.
 */
import { z } from 'zod';
import { summariseInput } from '../../audit/input-summary.js';
import { operationText, shortError, tookText } from '../../audit/row-cells.js';
import type { AuditEntry, AuditStore } from '../../audit/store.js';
import { CONTEXT_NAME, CONTEXT_NAME_RULE, readContextChoice, unknownContext } from '../../core/context-name.js';
import { defineOperation } from '../../core/operation.js';
import { table, text, toned, type Cell } from '../../core/render.js';
import { textHead } from '../../core/text-head.js';
import { durationSchema } from '../../core/validate.js';

const surfaces = ['cli', 'telegram', 'mcp', 'watch', 'web'] as const;

/**
 * The rows `audit` returns (`--json` prints the array). `note` says why there are none
 * when there is no log at all; it is for people only (JSON arrays carry no extra keys).
 */
export type AuditRows = AuditEntry[] & { note?: string };

/** `audit`: the audit log. */
export const auditOperation = defineOperation({
  id: 'audit',
  summary: 'Show the audit log of change and danger operations from every surface',
  input: z.object({
    // No default in the schema: 24h applies unless --plan names a plan, which is found however old it is.
    since: durationSchema.optional().describe('how far back, like 90m, 24h or 7d (default 24h; with --plan, the whole log)'),
    actor: z.string().min(1).optional().describe('only this actor (local user, Telegram user id, MCP client name, dashboard user); surface:id for one surface\'s, like web:alice or telegram:123'),
    surface: z.enum(surfaces).optional().describe('only runs from this surface'),
    operation: z.string().min(1).optional().describe('only this operation or service, like pve.start or pve'),
    risk: z.enum(['change', 'danger']).optional().describe('only runs of operations of this risk'),
    plan: z.string().min(1).optional().describe('only this plan: the run that applied it, then its steps (the id expose, apply or unexpose print)'),
    // `--lab`, not `--context`: `--context` picks the lab a command runs in, and the log is one per host.
    lab: z.string().regex(CONTEXT_NAME, `lab must be a context name: ${CONTEXT_NAME_RULE}`).optional().describe('only runs in this lab (context)'),
    failed: z.boolean().default(false).describe('only runs that failed or have not finished (unfinished: still going, or their process died)'),
    limit: z.number({ error: 'limit must be an integer from 1 to 10000' }).int().min(1).max(10_000).default(100).describe('at most this many (the newest)'),
  }),
  risk: 'read',
  examples: ['audit', 'audit --since 7d --actor alice', 'audit --actor web:alice', 'audit --surface mcp --json', 'audit --plan 20250301-142233-a1b2c3', 'audit --lab office'],
  async run(ctx, input): Promise<AuditRows> {
    const [{ AuditStore, auditFile }, { configFile, dataHome }] = await Promise.all([import('../../audit/store.js'), import('../../core/paths.js')]);
    // One log per host, every context's rows in it. Read-only: reading creates nothing, and works in a read-only data folder.
    const dir = dataHome(ctx.env);
    const store = AuditStore.openForReading(dir);
    try {
      if (input.lab !== undefined) checkLab(input.lab, configFile(ctx.env), store);
      if (!store) return Object.assign([], { note: `no audit log yet (${auditFile(dir)}): nothing has been changed through homelab here` });
      const since = sinceMs(input);
      return store.list({
        ...(since === undefined ? {} : { sinceMs: since }),
        actor: input.actor,
        surface: input.surface,
        operation: input.operation,
        risk: input.risk,
        plan: input.plan,
        context: input.lab,
        failed: input.failed,
        limit: input.limit,
      });
    } finally {
      store?.close();
    }
  },
  render: (rows) => rows.note ? [text(rows.note, 'dim')] : [
    table(
      // The context column shows once a row of another lab than `default` is in the window.
      [...(someOtherContext(rows) ? ['context'] : []), 'time', 'surface', 'actor', 'operation', 'input', 'outcome', 'took>'],
      rows.map((r) => [
        ...(someOtherContext(rows) ? [r.context ?? 'default'] : []),
        r.time.slice(0, 19).replace('T', ' '),
        r.surface,
        r.actor,
        operationText(r),
        summariseInput(r.input, 60, r.defaultOff),
        outcomeCell(r),
        tookText(r.durationMs),
      ]),
      { empty: 'no audited operations in that window' },
    ),
  ],
});

/**
 * Refuses a `--lab` that names no lab: one the config does not define (exit 3, listing the
 * ones it does, as `--context` does) and that no row of the log ran in (a lab since removed
 * from the config keeps its rows, and they can still be asked for).
 */
function checkLab(lab: string, path: string, store: AuditStore | undefined): void {
  const { names } = readContextChoice(path);
  if (names.includes(lab) || (store?.list({ context: lab, limit: 1 }).length ?? 0) > 0) return;
  throw unknownContext(lab, path, names);
}

/** Whether any row ran in another context than `default`. */
function someOtherContext(rows: readonly AuditEntry[]): boolean {
  return rows.some((r) => (r.context ?? 'default') !== 'default');
}

/** The earliest start time to list: `--since`, else 24 hours back unless `--plan` names a plan (its rows are found however old). */
function sinceMs(input: { since?: number | undefined; plan?: string | undefined }): number | undefined {
  if (input.since !== undefined) return Date.now() - input.since;
  return input.plan === undefined ? Date.now() - DEFAULT_SINCE_MS : undefined;
}

const DEFAULT_SINCE_MS = 24 * 3_600_000;

/** The outcome: `ok`, `unfinished`, or the error cut to 80 characters (a failed plan's step and reason first). */
function outcomeCell(r: AuditEntry): Cell {
  if (r.outcome === 'ok') return toned('ok', 'ok');
  if (r.outcome === 'running') return toned('unfinished', 'warn');
  const line = `error: ${shortError(r)}`;
  return toned(line.length > 80 ? `${textHead(line, 79)}…` : line, 'bad');
}

