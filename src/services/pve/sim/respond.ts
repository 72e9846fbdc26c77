/**
 * @module services/pve/sim/respond
 * How pveproxy answers: `{data}` envelopes with `Content-Type: application/json;charset=UTF-8`,
 * error messages in the HTTP reason phrase (cut at the first line break) and repeated in
 * the body's `message`, and `Connection: close` on every answer with status ≥ 400.
 */
import type { ServerResponse } from 'node:http';
import type { PveHttpError } from './errors.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

/** The reason phrase PVE derives from a message: its first line, printable characters only. */
export function reasonPhrase(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/[^\x20-\x7e]/g, '?');
}

function write(res: ServerResponse, status: number, reason: string, body: string, contentType?: string): void {
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(body) };
  if (contentType) headers['content-type'] = contentType;
  if (status >= 400) headers.connection = 'close';
  res.writeHead(status, reasonPhrase(reason), headers);
  res.end(body);
}

/** 200 with the envelope `{data}` (plus `total` for paged lists). */
export function sendData(res: ServerResponse, data: unknown, total?: number): void {
  const body: Record<string, unknown> = { data: data ?? null };
  if (total !== undefined) body.total = total;
  write(res, 200, 'OK', JSON.stringify(body), JSON_TYPE);
}

/** An API error from the method handler: JSON `{data: null, message, errors?}`. */
export function sendApiError(res: ServerResponse, err: PveHttpError): void {
  const body: Record<string, unknown> = { data: null, message: err.message };
  if (err.errors) body.errors = err.errors;
  write(res, err.status, err.message, JSON.stringify(body), JSON_TYPE);
}

/** An error pveproxy answers before any handler runs (401, body on GET, bad JSON): no body at all. */
export function sendBare(res: ServerResponse, status: number, reason: string): void {
  write(res, status, reason, '');
}

/** A plain-text download (task log with `download=1`). */
export function sendText(res: ServerResponse, text: string): void {
  write(res, 200, 'OK', text, 'text/plain');
}
