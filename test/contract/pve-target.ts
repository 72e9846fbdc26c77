/**
 * @module test/contract/pve-target
 * What the PVE contract checks run against: a cluster's URL, TLS pin and API token, the
 * guests it may touch, and the two ways in: our own client (`PveClient`, as `homelab`
 * builds it) and raw reads of the `{data}` envelope for what the client does not keep
 * (the top-level `total`, reason phrases, error bodies).
 */
import { HttpClient, type HttpResponse, type Params } from '../../src/core/http/index.js';
import { pveAuthHeader } from '../../src/services/pve/api-token.js';
import { PveClient } from '../../src/services/pve/client.js';

/** A cluster to check. */
export interface PveTarget {
  /** `https://host:8006` (the API is under `/api2/json`). */
  url: string;
  /** SHA-256 pin of the node's certificate. */
  fingerprint?: string;
  /** `user@realm!tokenid`. */
  tokenId: string;
  secret: string;
  /** A guest the change checks may start, stop and re-describe (skipped without one). */
  scratchVmid?: number;
  /** A template the change checks may clone (the clone is destroyed after; skipped without one). */
  templateVmid?: number;
  /** Longest pause between task polls. */
  pollMs: number;
}

/** An HTTP client of the target's API, sending `authorization` when given. */
export function targetHttp(t: PveTarget, authorization?: string): HttpClient {
  return new HttpClient({
    service: 'pve', baseUrl: `${t.url}/api2/json`, fingerprint: t.fingerprint, retries: 0, timeoutMs: 60_000,
    headers: (): Record<string, string> => (authorization ? { authorization } : {}),
  });
}

/** Our client of the target, with its token (or another `authorization` value). */
export function targetClient(t: PveTarget, authorization = pveAuthHeader(t.tokenId, t.secret)): PveClient {
  return new PveClient(targetHttp(t, authorization), { url: t.url, task_poll_ms: t.pollMs });
}

/** A GET with the target's token, answered as it came: status, reason phrase and body. */
export function rawGet(t: PveTarget, path: string, query?: Params): Promise<HttpResponse> {
  return targetHttp(t, pveAuthHeader(t.tokenId, t.secret)).request({ method: 'GET', path, query });
}

/** The parsed body of a successful GET: `data` and any other top-level member (`total`). */
export async function envelopeOf(t: PveTarget, path: string, query?: Params): Promise<Record<string, unknown>> {
  const res = await rawGet(t, path, query);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.statusText} ${res.text.slice(0, 200)}`);
  const body: unknown = JSON.parse(res.text);
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('data' in body)) throw new Error(`GET ${path}: no {data} envelope: ${res.text.slice(0, 200)}`);
  return body as Record<string, unknown>;
}
