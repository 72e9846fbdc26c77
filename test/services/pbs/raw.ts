/**
 * @module test/services/pbs/raw
 * Raw HTTPS requests to the PBS simulator for wire-level tests: the simulator's own
 * self-signed certificate is the only CA trusted, so TLS verification stays on.
 */
import { Agent, request } from 'undici';
import { selfSignedCert } from '../../../src/lab/sim-cert.js';

/** A raw answer. */
export interface RawAnswer {
  status: number;
  statusText: string;
  contentType: string;
  text: string;
  /** The parsed body on 2xx. */
  body?: Record<string, unknown> & { data?: unknown };
}

let agent: Agent | undefined;

/** Sends one request; `token` is the whole Authorization value, sent as given. */
export async function raw(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { authorization?: string; headers?: Record<string, string>; form?: Record<string, string>; json?: unknown; body?: string } = {},
): Promise<RawAnswer> {
  agent ??= new Agent({ connect: { ca: (await selfSignedCert()).cert } });
  const headers: Record<string, string> = { ...options.headers };
  if (options.authorization) headers.authorization = options.authorization;
  let body = options.body;
  if (options.form) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  } else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${baseUrl}/api2/json${path}`, { method, headers, body, dispatcher: agent });
  const text = await res.body.text();
  const answer: RawAnswer = {
    status: res.statusCode, statusText: res.statusText ?? '', contentType: String(res.headers['content-type'] ?? ''), text,
  };
  if (res.statusCode < 300) answer.body = JSON.parse(text) as RawAnswer['body'];
  return answer;
}

/** Closes the shared agent. */
export async function closeRaw(): Promise<void> {
  await agent?.close();
  agent = undefined;
}
