/**
 * @module surfaces/telegram/log
 * Structured logs for the journal: one JSON object per line (`time`, `level`, `msg`,
 * fields). Every line passes through `redact` (registered secrets such as the bot
 * token, and known secret shapes) before it is written.
 */
import { redact, redactValue } from '../../core/redact.js';

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A structured logger. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Creates a logger writing JSON lines to `write` at `level` and above. */
export function createLogger(write: (line: string) => void, level: LogLevel = 'info'): Logger {
  const log = (lvl: LogLevel, msg: string, fields: Record<string, unknown> = {}): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const plain = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? { name: v.name, message: v.message } : v]));
    const record = { time: new Date().toISOString(), level: lvl, msg, ...redactValue(plain) };
    write(`${redact(JSON.stringify(record))}\n`);
  };
  return {
    debug: (m, f) => log('debug', m, f),
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger(() => undefined, 'error');
