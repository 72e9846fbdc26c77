/**
 * @module core/http/transport
 * The wire under `HttpClient`: one request out, one whole answer back. Two
 * implementations keep the same contract (keep-alive pooling per origin and pin, the
 * request's signal bounding every phase including connect and TLS handshake, the pin
 * checked before any byte is written, raw errors carrying their `code`):
 *
 * - `node` (default): Node's own `http`/`https` with a keep-alive `Agent`. Its parser is
 *   native, so a one-shot CLI run neither imports undici (≈56 ms) nor waits at exit while
 *   V8 compiles undici's WebAssembly parser (55–90 ms).
 * - `undici`: undici's pooled `Agent`, imported on the first request.
 *
 * Decision: every surface uses `node`, long-running processes (bot, watch, MCP, serve)
 * included. Measured with bench/transport.mjs (side by side in one run, on the lab, two
 * runs on a busy 2-core machine): a one-shot `pve list --json` peaks at 59 MiB RSS on
 * `node` against 105 MiB on `undici` and takes 1.1–1.8x less time (`dns records --json`:
 * 1.8–2.0x). In a long-running process, 400 keep-alive GETs in a row or 16 at a time
 * differ by well under a millisecond per request (undici / node between 0.65 and 1.3
 * across runs and rows), which no real service's latency would show, while loading undici
 * costs a process ~45 MiB of RSS. `undici` stays selectable (`HOMELAB_HTTP_TRANSPORT=undici`,
 * or a client's `transport` option) and passes the same suite (test/core/http.test.ts),
 * so switching back needs no code change.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ConfigError } from '../errors.js';

/** One request as a transport sends it. */
export interface WireRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts every phase: connect, TLS handshake, waiting for headers, reading the body. */
  signal: AbortSignal;
  /**
   * Told once the request has been written to an open connection (the server may act on it
   * from then on); never when connecting failed. A request that fails without it never
   * reached the server.
   */
  onSent?: () => void;
}

/** A complete answer. */
export interface WireResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One pool of connections for one origin and pin. */
export interface Transport {
  request(req: WireRequest): Promise<WireResponse>;
  /** Destroys every connection, pending connects included; never waits for them. */
  close(): Promise<void>;
}

/** The transports there are. */
export type TransportName = 'node' | 'undici';

/** What a pool is keyed by. */
export interface PoolKey {
  service: string;
  origin: string;
  fingerprint?: string;
}

type Factory = (key: PoolKey) => Promise<Transport>;

const factories: Record<TransportName, Factory> = {
  node: async (key) => new (await import('./node-transport.js')).NodeTransport(key),
  undici: async (key) => (await import('./undici-transport.js')).createUndiciTransport(key),
};

const pools = new Map<string, Promise<Transport>>();

/** The transport in use: `HOMELAB_HTTP_TRANSPORT` (`node` or `undici`), else `node`; any other value is a ConfigError (exit 3). */
export function defaultTransport(env: NodeJS.ProcessEnv = process.env): TransportName {
  const value = env.HOMELAB_HTTP_TRANSPORT;
  if (value === undefined || value === '') return 'node';
  if (value === 'node' || value === 'undici') return value;
  throw new ConfigError(`HOMELAB_HTTP_TRANSPORT must be node or undici, not ${JSON.stringify(value)}`);
}

/** The shared pool of one origin and pin on one transport. */
export function transportFor(name: TransportName, key: PoolKey): Promise<Transport> {
  const id = `${name}|${key.origin}|${key.fingerprint ?? ''}|${key.service}`;
  let pool = pools.get(id);
  if (!pool) {
    pool = factories[name](key);
    pools.set(id, pool);
    pool.catch(() => pools.delete(id));
  }
  return pool;
}

/**
 * Closes every pooled connection (end of a CLI run, end of a test), pending connects
 * included. Clients stay usable: their next request opens a new pool (`HttpClient` looks
 * its pool up on every request).
 */
export async function closeAllAgents(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.close().catch(() => undefined)));
}
