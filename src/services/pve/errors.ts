/**
 * @module services/pve/errors
 * Maps PVE's error answers to the typed errors: the message from `message` or the reason phrase
 * (a proxy's page or an empty body: the status and a short excerpt), auth and permission
 * refusals with their fix, parameter errors from `errors`, and not-found. Server text is
 * cleaned and redacted before it reaches a message.
 */
import { z } from 'zod';
import { ApiError, AuthError, HomelabError, NotFoundError } from '../../core/errors.js';
import { looksLikeHtml, serverText, statusText, type HttpResponse } from '../../core/http/index.js';
import { redact } from '../../core/redact.js';

/** What an error body may carry; a member of another type is left out rather than failing the rest. */
const errorBodySchema = z.looseObject({
  message: z.string().optional().catch(undefined),
  errors: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/** The `message` and `errors` of an error body; anything else (no JSON, `null`, a list, a number) has neither. */
function errorBody(text: string): z.infer<typeof errorBodySchema> {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // 401 answers and old servers carry no JSON: the reason phrase is the message.
  }
  return {};
}

/** Maps a PVE error answer: message from `message` or the reason phrase, parameter errors from `errors`. */
export function pveError(res: HttpResponse): HomelabError {
  const body = errorBody(res.text);
  // A reverse proxy's page (or an empty body) says nothing in PVE's terms: the status and a short excerpt.
  const foreign = looksLikeHtml(res.text, String(res.headers['content-type'] ?? '')) || !res.statusText;
  const message = redact(typeof body.message === 'string' ? serverText(body.message) : foreign ? statusText(res) : serverText(res.statusText));
  if (res.status === 401) return new AuthError('pve', `authentication refused (${message})`, 'check PVE_TOKEN_ID and PVE_TOKEN_SECRET in the pve credentials file');
  if (res.status === 403) return new AuthError('pve', `permission denied: ${message}`, 'grant the token the privilege named above (with privilege separation, on the token itself)');
  const errors = body.errors && Object.fromEntries(Object.entries(body.errors).map(([k, v]) => [k, (typeof v === 'string' ? v : JSON.stringify(v) ?? '').trim()]));
  if (errors && Object.keys(errors).length) {
    const detail = serverText(Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join('; '), 400);
    return new ApiError('pve', res.status, `${message.replace(/\.$/, '')}: ${detail}`, errors);
  }
  if (res.status === 404) return new NotFoundError('pve', 404, message);
  return new ApiError('pve', res.status, message);
}
