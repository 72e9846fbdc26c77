/**
 * @module services/setup/doctor/probes/types
 * What a service probe gets and a helper for its HTTP client. Probes talk to the
 * service directly over the documented API (shared/api/*.md), with the core HTTP client
 * (timeouts, TLS pinning, redaction) and no retries, so doctor depends on no service
 * client's internals; what a client must agree on with doctor (the token-id form and the
 * auth header of PVE and PBS, in each service's api-token.ts) is shared, not copied.
 */
import type { BaseServiceConfig } from '../../../../core/config.js';
import type { Credentials } from '../../../../core/credentials.js';
import { toHomelabError, type HomelabError } from '../../../../core/errors.js';
import { HttpClient, type HttpRequest, type HttpResponse } from '../../../../core/http/index.js';
import type { DoctorCheck } from '../check.js';

/** Input of a probe. */
export interface ProbeInput {
  /** The `services.<key>` section (validated base keys plus the rest as written). */
  section: BaseServiceConfig & Record<string, unknown>;
  credentials: Credentials;
  credentialsPath: string;
  signal: AbortSignal;
}

/** A service probe: the checks it ran. */
export type Probe = (input: ProbeInput) => Promise<DoctorCheck[]>;

/**
 * The longest a probe waits for one answer. A doctor answers quickly: a service's
 * `timeout_seconds` may be up to 600 s, and doctor's own limit (120 s on the bot, MCP and
 * the dashboard) must leave room for every probe's few requests and its TLS line.
 */
export const PROBE_REQUEST_CAP_MS = 8000;

/** A probe's limit per request: the service's `timeout_seconds` when shorter than `PROBE_REQUEST_CAP_MS`. */
export function probeTimeoutMs(section: { timeout_seconds?: number }): number {
  return Math.min(PROBE_REQUEST_CAP_MS, (section.timeout_seconds ?? Infinity) * 1000);
}

/** An HTTP client for probing: `probeTimeoutMs` per request, no retries. */
export function probeHttp(service: string, input: ProbeInput, path: string, headers?: Record<string, string>): HttpClient {
  return new HttpClient({
    service,
    baseUrl: `${input.section.url.replace(/\/+$/, '')}${path}`,
    fingerprint: input.section.fingerprint,
    timeoutMs: probeTimeoutMs(input.section),
    retries: 0,
    headers: headers ? () => headers : undefined,
  });
}

/** Sends a request; a network failure comes back as the error instead of being thrown. */
export async function requestOrError(http: HttpClient, req: HttpRequest): Promise<HttpResponse | HomelabError> {
  try {
    return await http.request(req);
  } catch (err) {
    return toHomelabError(err);
  }
}
