/**
 * @module core/http/answer-checks
 * Turning an answer into a value or a typed error: its JSON parsed, an error status mapped
 * the common way, a value checked with a zod schema. Service clients call these on what
 * `HttpClient` returns.
 */
import type { z } from 'zod';
import { ApiError, AuthError, NotFoundError, type HomelabError } from '../errors.js';
import type { HttpResponse } from './client.js';
import { serverText, statusText } from './server-text.js';
import { UnexpectedAnswerError } from './unexpected-answer.js';

/** Parses a JSON body; malformed JSON is an ApiError naming the service. */
export function parseJson(service: string, res: HttpResponse): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    const what = res.text.trim() ? 'malformed or truncated JSON' : 'an empty body';
    throw new UnexpectedAnswerError(service, res.status, `${what} (HTTP ${res.status}, ${Buffer.byteLength(res.text)} bytes)`);
  }
}

/**
 * The common mapping of an error status: 401 auth, 403 permission, 404 not found, else API
 * error. The text is redacted before it is cut (by `serverText`), so no part of a secret the
 * server echoed survives.
 */
export function statusError(service: string, res: HttpResponse, message?: string): HomelabError {
  const text = message === undefined ? statusText(res) : serverText(message);
  if (res.status === 401) return new AuthError(service, `authentication refused (${text})`, `check the credentials file for ${service}`);
  if (res.status === 403) return new AuthError(service, `permission denied (${text})`);
  if (res.status === 404) return new NotFoundError(service, 404, text);
  return new ApiError(service, res.status, text);
}

/** Validates a response value with a zod schema; a mismatch is an ApiError naming the first bad key. */
export function expectShape<S extends z.ZodType>(service: string, what: string, schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path.length ? issue.path.join('.') : 'value';
  throw new UnexpectedAnswerError(service, 200, `${what}: ${at}: ${issue?.message ?? 'invalid'}`);
}
