/**
 * @module core/http/redirect
 * A redirect is never followed (the credentials would go wherever it points): any 3xx but
 * 304 is a configuration error (exit 3), one message whatever the service, naming where it
 * points and the setting to change: `dns: redirected to https://10.0.0.5:5380 (HTTP 301): set
 * services.dns.url to where it redirects`. A redirect within the same origin names the
 * path too (`http://host/api/`), since that is what differs.
 */
import { ConfigError } from '../errors.js';
import { redact } from '../redact.js';
import type { HttpResponse } from './client.js';
import { serverText } from './server-text.js';

/** Whether an answer is a redirect (3xx, but not 304 Not Modified, which is no redirect). */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The error of a redirect answer to a request to `requestUrl`. */
export function redirectError(service: string, res: Pick<HttpResponse, 'status' | 'headers'>, requestUrl: string): ConfigError {
  const location = res.headers.location;
  let where = 'an address it does not give (no Location header)';
  if (typeof location === 'string' && location) {
    try {
      const target = new URL(location, requestUrl);
      const same = target.origin === new URL(requestUrl).origin;
      where = serverText(redact(same ? `${target.origin}${target.pathname}` : target.origin), 120);
    } catch {
      where = `an address that is not a URL (${serverText(redact(location), 60)})`;
    }
  }
  return new ConfigError(`${service}: redirected to ${where} (HTTP ${res.status}): set services.${service}.url to where it redirects`);
}
