/**
 * @module audit/store
 * The audit log: one SQLite row per `change` or `danger` operation run, written before
 * the operation starts (outcome `running`) and completed after it ends (`ok` or
 * `error`, with the duration). A row left `running` means the process died meanwhile.
 * Inputs and errors are stored already redacted; this module never sees a secret.
 * A run that is a step of a plan (`orchestration/apply`) carries the plan's id and the
 * step's key (`dns`, or `dns:undo` for its undo); the run that applies the plan (`expose`,
 * `unexpose`, `apply`) carries the id too, with no step key, so `audit --plan <id>` shows
 * that run first, then its steps. A database made before plans existed gains the two
 * columns when opened for writing.
 * Each row records the context (lab) it ran in (`context`, added to older databases the
 * same way; their earlier rows read as `default`), and the input's switches that are off
 * by their default (`default_off`, added alike; none in earlier rows). The log is one per host, in the shared
 * data directory, whichever lab a run touched.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Actor, PlanRef, Risk } from '../core/operation.js';
import { ConfigError } from '../core/errors.js';
import { openSqlite, openSqliteForReading, type SqliteDatabase } from './sqlite.js';
import { wrongKindOf } from './sqlite-failure.js';

/** The audit database file in the data directory. */
export function auditFile(dataDir: string): string {
  return join(dataDir, 'audit.sqlite');
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at INTEGER NOT NULL,
  surface TEXT NOT NULL,
  actor TEXT NOT NULL,
  operation TEXT NOT NULL,
  risk TEXT NOT NULL,
  input TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'running',
  error TEXT,
  duration_ms INTEGER,
  plan TEXT,
  plan_step TEXT,
  context TEXT,
  default_off TEXT
);
CREATE INDEX IF NOT EXISTS audit_started ON audit (started_at);
`;

/** Columns added after the first release, as `ALTER TABLE` adds them to an older database. */
const ADDED_COLUMNS: readonly [name: string, type: string][] = [['plan', 'TEXT'], ['plan_step', 'TEXT'], ['context', 'TEXT'], ['default_off', 'TEXT']];

function addMissingColumns(db: SqliteDatabase): SqliteDatabase {
  const have = new Set((db.prepare('PRAGMA table_info(audit)').all() as { name: string }[]).map((c) => c.name));
  for (const [name, type] of ADDED_COLUMNS) if (!have.has(name)) db.exec(`ALTER TABLE audit ADD COLUMN ${name} ${type}`);
  return db;
}

/** Outcome of an audited run; `running` until it ends: a run still going, or one whose process died (the row cannot tell which). */
export type AuditOutcome = 'running' | 'ok' | 'error';

/** One audit row, as `homelab audit --json` prints it. */
export interface AuditEntry {
  id: number;
  /** ISO 8601 start time. */
  time: string;
  /** The surface it ran from (`cli`, `telegram`, `mcp`, `watch`, `web`); a row homelab did not write: whatever it holds. */
  surface: string;
  actor: string;
  operation: string;
  /** The operation's risk (`change`, `danger`); a row homelab did not write: whatever it holds. */
  risk: string;
  /** The validated input, secrets redacted; `{ unreadable: <cell> }` for a row whose input is not a JSON object. */
  input: Record<string, unknown>;
  outcome: AuditOutcome;
  error: string | null;
  durationMs: number | null;
  /** The plan this run was a step of (its id), else null. */
  plan: string | null;
  /** The step's key within the plan (`dns`, `dns:undo`), else null. */
  planStep: string | null;
  /** The context (lab) the run was in; `default` for rows written before contexts. */
  context: string;
  /**
   * The input's switches that are off because off is their default (`dns add`'s `ptr`), as
   * the hook found them when it wrote the row: the summary leaves them out. Empty for rows
   * written before it was recorded (their summary shows every switch).
   */
  defaultOff: string[];
}

/** Filters of `AuditStore.list`. */
export interface AuditQuery {
  /** Epoch milliseconds: rows started at or after. */
  sinceMs?: number;
  /** Exact actor id (`alice`), or `<surface>:<id>` (`web:alice`, `telegram:123`) for that id on that surface. */
  actor?: string;
  surface?: Actor['surface'];
  /** An operation id or a prefix of whole segments (`pve` matches `pve.start`). */
  operation?: string;
  /** Only runs of operations of this risk. */
  risk?: Risk;
  /** Only the steps of this plan (its id). */
  plan?: string;
  /** Only runs in this context (lab). */
  context?: string;
  /** Only runs that failed or never finished. */
  failed?: boolean;
  /** The newest N rows (returned oldest first). */
  limit?: number;
}

interface Row {
  id: number; started_at: number; surface: string; actor: string; operation: string; risk: string;
  input: string; outcome: string; error: string | null; duration_ms: number | null;
  /** Absent in a database opened read-only that predates plans. */
  plan?: string | null; plan_step?: string | null;
  /** Absent in a database opened read-only that predates contexts. */
  context?: string | null;
  /** A JSON array of keys; absent or null in rows written before it was recorded. */
  default_off?: string | null;
}

/** Reads and writes the audit table. */
export class AuditStore {
  private constructor(private readonly db: SqliteDatabase) {}

  /** Opens (creating) the audit database of a data directory. */
  static open(dataDir: string): AuditStore {
    return new AuditStore(addMissingColumns(openSqlite(auditFile(dataDir), SCHEMA)));
  }

  /**
   * Opens the audit database of a data directory read-only (nothing is created); undefined
   * when there is none yet. A data folder that is a file, or a log that is a folder, is a
   * ConfigError (exit 3) saying so, not an empty log.
   */
  static openForReading(dataDir: string): AuditStore | undefined {
    const file = auditFile(dataDir);
    const wrong = wrongKindOf(file);
    if (wrong) throw new ConfigError(`cannot read the audit log ${file}: ${wrong.problem}`, wrong.fix);
    if (!existsSync(file)) return undefined;
    const db = openSqliteForReading(file, 'SELECT count(*) FROM sqlite_master');
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get()) {
      db.close();
      return undefined;
    }
    return new AuditStore(db);
  }

  /** Records the start of a run; returns the row id for `finish`. `input` must be redacted already. */
  begin(entry: { startedAt: number; actor: Actor; operation: string; risk: Risk; input: Record<string, unknown>; plan?: PlanRef; context?: string; defaultOff?: readonly string[] }): number {
    const info = this.db
      .prepare('INSERT INTO audit (started_at, surface, actor, operation, risk, input, plan, plan_step, context, default_off) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(entry.startedAt, entry.actor.surface, entry.actor.id, entry.operation, entry.risk, JSON.stringify(entry.input), entry.plan?.id ?? null, entry.plan?.step ?? null, entry.context ?? 'default', entry.defaultOff?.length ? JSON.stringify(entry.defaultOff) : null);
    return Number(info.lastInsertRowid);
  }

  /** Records the plan a run applies (its first step is starting) in the run's own row, unless it has one. */
  setPlan(id: number, plan: string): void {
    this.db.prepare('UPDATE audit SET plan = ? WHERE id = ? AND plan IS NULL').run(plan, id);
  }

  /** Records how a run ended. `error` must be redacted already. */
  finish(id: number, outcome: { ok: boolean; error?: string; durationMs: number }): void {
    this.db
      .prepare('UPDATE audit SET outcome = ?, error = ?, duration_ms = ? WHERE id = ?')
      .run(outcome.ok ? 'ok' : 'error', outcome.error ?? null, Math.round(outcome.durationMs), id);
  }

  /** Rows matching `query`, oldest first. */
  list(query: AuditQuery = {}): AuditEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (query.sinceMs !== undefined) { where.push('started_at >= ?'); params.push(query.sinceMs); }
    if (query.actor) {
      // `web:alice` is the actor `alice` of the surface `web` (as the surfaces name their actors); an id that itself holds a colon still matches whole.
      const named = /^(cli|telegram|mcp|watch|web):(.+)$/.exec(query.actor);
      if (named) { where.push('(actor = ? OR (surface = ? AND actor = ?))'); params.push(query.actor, named[1] as string, named[2] as string); }
      else { where.push('actor = ?'); params.push(query.actor); }
    }
    if (query.surface) { where.push('surface = ?'); params.push(query.surface); }
    if (query.operation) { where.push('(operation = ? OR substr(operation, 1, ?) = ?)'); params.push(query.operation, query.operation.length + 1, `${query.operation}.`); }
    if (query.risk) { where.push('risk = ?'); params.push(query.risk); }
    if (query.plan) {
      // A read-only database from before plans has no plan column, and so no plan's rows.
      if (!(this.db.prepare('PRAGMA table_info(audit)').all() as { name: string }[]).some((c) => c.name === 'plan')) return [];
      where.push('plan = ?');
      params.push(query.plan);
    }
    if (query.context) {
      // A read-only database from before contexts has only the default context's rows.
      if (!(this.db.prepare('PRAGMA table_info(audit)').all() as { name: string }[]).some((c) => c.name === 'context')) {
        if (query.context !== 'default') return [];
      } else {
        where.push("coalesce(context, 'default') = ?");
        params.push(query.context);
      }
    }
    if (query.failed) where.push("outcome <> 'ok'");
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, query.limit ?? 100) as Row[];
    return rows.reverse().map(toEntry);
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}

/**
 * A row as `list` returns it. The cells are read, not trusted (the file may be damaged, or
 * have rows another program wrote): an input cell that is not a JSON object reads as
 * `{ unreadable: <cell> }`; a surface or risk homelab does not write is shown as stored; an
 * outcome it does not write is an error (as `failed` counts it), the error naming it.
 */
function toEntry(r: Row): AuditEntry {
  const outcome = OUTCOMES.safeParse(r.outcome);
  return {
    id: r.id,
    time: new Date(r.started_at).toISOString(),
    surface: r.surface,
    actor: r.actor,
    operation: r.operation,
    risk: r.risk,
    input: inputOf(r.input),
    outcome: outcome.success ? outcome.data : 'error',
    error: outcome.success ? r.error : (r.error ?? `outcome ${JSON.stringify(r.outcome)} is not one homelab writes`),
    durationMs: r.duration_ms,
    plan: r.plan ?? null,
    planStep: r.plan_step ?? null,
    context: r.context ?? 'default',
    defaultOff: keysOf(r.default_off),
  };
}

const OUTCOMES = z.enum(['running', 'ok', 'error']);
const INPUT = z.record(z.string(), z.unknown());

/** An input cell: the JSON object it holds; `{ unreadable: <cell> }` when it holds anything else, or no JSON. */
function inputOf(cell: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(cell);
  } catch {
    return { unreadable: cell };
  }
  const input = INPUT.safeParse(value);
  return input.success ? input.data : { unreadable: cell };
}

/** The keys a `default_off` cell holds; none for an older row, or a cell that is not a list of keys. */
function keysOf(cell: string | null | undefined): string[] {
  if (!cell) return [];
  try {
    const keys: unknown = JSON.parse(cell);
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
