/**
 * @module services/proxy/errors
 * Maps NPM's error answers (`{ error: { code, message } }`) to the typed errors. NPM
 * says "not authenticated" with 400/403/500 rather than 401 (see the sheet); the
 * client decides about logging in again, this only names what happened.
 */
import { ApiError, AuthError, NotFoundError, type HomelabError } from '../../core/errors.js';
import { serverText, statusText, type HttpResponse } from '../../core/http/index.js';
import { redact } from '../../core/redact.js';
import { errorSchema } from './schemas.js';

/** The message of an NPM error answer (or the HTTP status when the body has none). */
export function npmMessage(res: HttpResponse): string {
  try {
    const parsed = errorSchema.safeParse(JSON.parse(res.text));
    if (parsed.success) return redact(serverText(parsed.data.error.message));
  } catch {
    // Not JSON (a proxy in front, an HTML error page): fall back to the status.
  }
  return redact(statusText(res));
}

/** Whether the answer says the token has expired (400 `Token has expired`). */
export function isExpired(res: HttpResponse): boolean {
  return res.status === 400 && /token has expired/i.test(npmMessage(res));
}

/** The typed error of an NPM error answer. */
export function npmError(res: HttpResponse, what: string): HomelabError {
  const message = npmMessage(res);
  if (res.status === 401 || res.status === 403) return new AuthError('proxy', `permission denied for ${what} (${message})`, 'the NPM account needs "manage" permission for this (Users → Permissions), or use an admin account');
  if (res.status === 404) return new NotFoundError('proxy', 404, message);
  return new ApiError('proxy', res.status, message);
}
