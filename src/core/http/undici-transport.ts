/**
 * @module core/http/undici-transport
 * The undici transport (selectable, see transport.ts): a pooled undici `Agent` per
 * origin and pin, imported on the first request so it stays out of start-up. Its
 * connector checks the pin, gives up connecting at the request deadline's bound, and
 * `close` destroys the agent and any connect still pending rather than waiting for them.
 */
import { pinnedConnector } from './tls.js';
import type { PoolKey, Transport, WireRequest, WireResponse } from './transport.js';

/** Connects are bounded by the request's signal; this only caps a connect nobody waits for any more. */
const CONNECT_CAP_MS = 30_000;

/** Creates the undici transport of one origin and pin. */
export async function createUndiciTransport(key: PoolKey): Promise<Transport> {
  const loaded = await import('undici');
  // Bundled as CommonJS, undici's exports may sit on `default`.
  const undici = typeof loaded.buildConnector === 'function' ? loaded : (loaded as unknown as { default: typeof loaded }).default;
  const connector = pinnedConnector(key.service, key.fingerprint, undici.buildConnector, CONNECT_CAP_MS);
  const agent = new undici.Agent({ connect: connector.connect, keepAliveTimeout: 4_000, headersTimeout: 0, bodyTimeout: 0 });
  return {
    async request(req: WireRequest): Promise<WireResponse> {
      // A connect or handshake still pending at the deadline serves nobody: drop it now.
      const onAbort = (): void => connector.destroyAll();
      req.signal.addEventListener('abort', onAbort, { once: true });
      try {
        const res = await agent.request({
          origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`,
          method: req.method as 'GET', headers: req.headers, body: req.body, signal: req.signal,
        });
        const text = await res.body.text();
        return { status: res.statusCode, statusText: res.statusText ?? '', headers: res.headers as WireResponse['headers'], text };
      } finally {
        req.signal.removeEventListener('abort', onAbort);
      }
    },
    async close(): Promise<void> {
      connector.destroyAll();
      await agent.destroy().catch(() => undefined);
    },
  };
}
