/**
 * @module watch/state-schema
 * The tables of the watch database (watch/state), and every column homelab reads or writes
 * in each: a file whose table of one of these names lacks one of them is damaged
 * (watch/state-file).
 */
import type { StateColumns } from './state-file.js';

/** The tables, created when missing. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS alerts (
  key TEXT PRIMARY KEY,
  check_name TEXT NOT NULL,
  message TEXT NOT NULL,
  severity TEXT NOT NULL,
  present INTEGER NOT NULL,
  state TEXT NOT NULL,
  since INTEGER NOT NULL,
  fired_at INTEGER,
  notified INTEGER NOT NULL DEFAULT 0,
  last_notified INTEGER,
  flaps TEXT NOT NULL DEFAULT '[]',
  flapping INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS mutes (
  target TEXT PRIMARY KEY,
  until INTEGER NOT NULL,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  check_name TEXT NOT NULL,
  key TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_time ON events (time);
CREATE TABLE IF NOT EXISTS runs (
  check_name TEXT PRIMARY KEY,
  time INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT,
  findings TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claims (
  key TEXT PRIMARY KEY,
  run TEXT NOT NULL,
  pid INTEGER NOT NULL,
  at INTEGER NOT NULL
);
`;

/** Every column homelab reads or writes, per table: a file whose tables lack one is damaged. */
export const COLUMNS: StateColumns = {
  alerts: ['key', 'check_name', 'message', 'severity', 'present', 'state', 'since', 'fired_at', 'notified', 'last_notified', 'flaps', 'flapping'],
  mutes: ['target', 'until', 'set_by', 'set_at'],
  events: ['id', 'time', 'check_name', 'key', 'kind', 'message'],
  runs: ['check_name', 'time', 'outcome', 'detail', 'findings'],
  meta: ['key', 'value'],
  claims: ['key', 'run', 'pid', 'at'],
};
