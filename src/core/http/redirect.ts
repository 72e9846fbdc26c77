/**
 * @module core/http/redirect
 * A redirect is never followed (the credentials would go wherever it points): any 3xx but
 * 304 is a `RedirectError`, exit 3 since the fix is the configured URL, one message whatever
 * the service, naming the origin it points to and the setting to change: `dns: redirected to
 * https://10.0.0.5:5380 (HTTP 301): set services.dns.url to where it redirects`. Only the
 * origin is shown (a path may hold the API's own prefix or a token), with "another path on
 * the same server" when the origin is the configured one. It is no `ConfigError`: a service
 * that redirects is configured, and whoever reads "not configured" from a ConfigError (the
 * hub's unexpose, exposed, apply) must never take a redirect for it.
 */
import { ExitCode, HomelabError } from '../errors.js';
import { redact } from '../redact.js';
import type { HttpResponse } from './client.js';
import { serverText } from './server-text.js';

/** A service answered with a redirect, which is never followed: exit 3 (the URL setting is the fix), but no ConfigError. */
export class RedirectError extends HomelabError {
  override readonly name = 'RedirectError';
  constructor(
    readonly service: string,
    message: string,
    /** The HTTP status of the redirect. */
    readonly status: number,
  ) {
    super(message, ExitCode.config);
  }
}

/** Whether an answer is a redirect (3xx, but not 304 Not Modified, which is no redirect). */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The setting that holds a service's URL: `services.<service>.url`, or `telegram.api_root` for Telegram's Bot API. */
export function urlSettingOf(service: string): string {
  return service === 'telegram' ? 'telegram.api_root' : `services.${service}.url`;
}

/**
 * The error of a redirect answer to a request to `requestUrl`; `setting` is the setting to
 * change (default `urlSettingOf(service)`).
 */
export function redirectError(service: string, res: Pick<HttpResponse, 'status' | 'headers'>, requestUrl: string, setting = urlSettingOf(service)): RedirectError {
  const location = res.headers.location;
  let where = 'an address it does not give (no Location header)';
  if (typeof location === 'string' && location) {
    try {
      const target = new URL(location, requestUrl);
      const same = target.origin === new URL(requestUrl).origin;
      // A scheme that is not the web's has no origin ('null'): its scheme and host instead.
      const origin = target.origin === 'null' ? `${target.protocol}//${target.host}` : target.origin;
      where = serverText(redact(origin), 120) + (same ? ' (another path on the same server)' : '');
    } catch {
      where = `an address that is not a URL (${serverText(redact(location), 60)})`;
    }
  }
  return new RedirectError(service, `${service}: redirected to ${where} (HTTP ${res.status}): set ${setting} to where it redirects`, res.status);
}
