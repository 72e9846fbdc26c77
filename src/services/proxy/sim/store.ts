/**
 * @module services/proxy/sim/store
 * NPM's database as the simulator keeps it: tables whose rows are soft-deleted
 * (`is_deleted`, never removed) so ids keep counting, users with their password and
 * TOTP secret kept apart from the user object, and the audit log.
 */

/** The fields every NPM row has. */
export interface Row {
  id: number;
  created_on: string;
  modified_on: string;
  is_deleted: boolean;
  [key: string]: unknown;
}

/** A table with soft deletes and an auto-increment id that never goes back. */
export class Table {
  readonly rows: Row[] = [];
  private nextId = 1;

  constructor(private readonly stamp: () => string) {}

  /** Inserts a row with the next id and fresh timestamps. */
  insert(data: Record<string, unknown>): Row {
    const now = this.stamp();
    const row: Row = { ...data, id: this.nextId++, created_on: now, modified_on: now, is_deleted: false };
    this.rows.push(row);
    return row;
  }

  /** The live (not deleted) row with this id. */
  get(id: number): Row | undefined {
    return this.rows.find((r) => r.id === id && !r.is_deleted);
  }

  /** Every live row. */
  live(): Row[] {
    return this.rows.filter((r) => !r.is_deleted);
  }

  /** Changes a row and bumps `modified_on`. */
  update(row: Row, changes: Record<string, unknown>): Row {
    Object.assign(row, changes, { modified_on: this.stamp() });
    return row;
  }

  /** Soft-deletes a row. */
  remove(row: Row): void {
    this.update(row, { is_deleted: true });
  }
}

/** A user's secrets, kept out of the user row. */
export interface UserAuth {
  password: string;
  totpSecret?: string;
}

/** Formats a date as NPM's objects show it: `2026-11-25 17:50:30` (UTC, no zone). */
export function npmTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The whole simulated database. */
export class NpmStore {
  readonly users: Table;
  readonly auth = new Map<number, UserAuth>();
  readonly proxyHosts: Table;
  readonly redirectionHosts: Table;
  readonly deadHosts: Table;
  readonly streams: Table;
  readonly certificates: Table;
  readonly accessLists: Table;
  /** Basic-auth users and client rules of access lists. */
  readonly accessListItems: Table;
  readonly accessListClients: Table;
  readonly auditLog: Table;
  settings: { value: string; meta: Record<string, unknown> } = { value: 'congratulations', meta: {} };

  constructor(readonly now: () => Date) {
    const stamp = (): string => npmTimestamp(this.now());
    this.users = new Table(stamp);
    this.proxyHosts = new Table(stamp);
    this.redirectionHosts = new Table(stamp);
    this.deadHosts = new Table(stamp);
    this.streams = new Table(stamp);
    this.certificates = new Table(stamp);
    this.accessLists = new Table(stamp);
    this.accessListItems = new Table(stamp);
    this.accessListClients = new Table(stamp);
    this.auditLog = new Table(stamp);
  }

  /** Appends an audit log row. */
  audit(userId: number, objectType: string, objectId: number, action: string, meta: Record<string, unknown>): void {
    this.auditLog.insert({ user_id: userId, object_type: objectType, object_id: objectId, action, meta });
  }

  /** The user object as the API shows it (no secrets). */
  userJson(row: Row): Record<string, unknown> {
    const { id, created_on, modified_on, is_disabled, email, name, nickname, avatar, roles } = row;
    return { id, created_on, modified_on, is_disabled, email, name, nickname, avatar, roles };
  }

  /** The live user with this email (lower-cased, trimmed). */
  userByEmail(email: string): Row | undefined {
    const e = email.trim().toLowerCase();
    return this.users.live().find((u) => u.email === e);
  }
}

/** A row without the internal `is_deleted` flag, as the API writes objects. */
export function publicRow(row: Row): Record<string, unknown> {
  const { is_deleted: _deleted, ...rest } = row;
  return structuredClone(rest);
}
