/**
 * @module core/http/undici-transport
 * The undici transport (selectable, see transport.ts): a pooled undici `Agent` per
 * origin and pin, imported on the first request so it stays out of start-up. Its
 * connector checks the pin and gives up connecting at a cap.
 *
 * undici fails a request aborted while its connection is still being made only once the
 * connect ends, so a request here fails at its signal itself. undici does not tie a
 * connect to the request that caused it either (a pool serves its queue from whichever
 * connection is ready first), so connects still pending are dropped once no request of
 * this transport is waiting any more (the last one answered, failed or aborted), never
 * while another request may still be served by them; `close` drops them at once. An
 * answer over `MAX_ANSWER_BYTES` fails the request and drops its connection.
 *
 * Whether a request went out is known per request: each is dispatched through a handler
 * that undici tells when the request is handed to a connected socket, right before its
 * bytes are written (`onRequestStart`, undici's `onConnect`), so another request's
 * connect still pending says nothing about this one.
 */
import type { Dispatcher } from 'undici';
import { pinnedConnector } from './tls.js';
import type { PoolKey, Transport, WireRequest, WireResponse } from './transport.js';
import { MAX_ANSWER_BYTES, answerTooLarge } from './unexpected-answer.js';

/** Connects are bounded by the request's signal; this only caps a connect nobody waits for any more. */
const CONNECT_CAP_MS = 30_000;

/** Creates the undici transport of one origin and pin. */
export async function createUndiciTransport(key: PoolKey): Promise<Transport> {
  const loaded = await import('undici');
  // Bundled as CommonJS, undici's exports may sit on `default`.
  const undici = typeof loaded.buildConnector === 'function' ? loaded : (loaded as unknown as { default: typeof loaded }).default;
  const connector = pinnedConnector(key.service, key.fingerprint, undici.buildConnector, CONNECT_CAP_MS);
  const agent = new undici.Agent({ connect: connector.connect, keepAliveTimeout: 4_000, headersTimeout: 0, bodyTimeout: 0 });
  let waiting = 0;
  return {
    async request(req: WireRequest): Promise<WireResponse> {
      waiting++;
      try {
        const res = await untilAborted(agent.compose(toldWhenWritten(() => req.onSent?.())).request({
          origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`,
          method: req.method, headers: req.headers, body: req.body, signal: req.signal,
        }), req.signal);
        const tooLarge = (): Error => {
          res.body.destroy();
          return answerTooLarge(key.service, res.statusCode);
        };
        if (Number(res.headers['content-length']) > MAX_ANSWER_BYTES) throw tooLarge();
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > MAX_ANSWER_BYTES) throw tooLarge();
          chunks.push(chunk as Buffer);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        return { status: res.statusCode, statusText: res.statusText ?? '', headers: res.headers, text };
      } finally {
        // A connect or handshake still pending when nobody waits serves nobody: drop it now.
        if (--waiting === 0) connector.destroyAll();
      }
    },
    async close(): Promise<void> {
      connector.destroyAll();
      await agent.destroy().catch(() => undefined);
    },
  };
}

/**
 * An interceptor calling `onWritten` when undici hands the request to a connected socket,
 * right before writing it; not when the request was aborted while it waited for a
 * connection (undici aborts it in that same call, and nothing is written).
 */
function toldWhenWritten(onWritten: () => void): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => dispatch(opts, {
    onRequestStart: (controller, context: unknown) => {
      handler.onRequestStart?.(controller, context);
      if (!controller.aborted) onWritten();
    },
    onRequestUpgrade: (controller, status, headers, socket) => handler.onRequestUpgrade?.(controller, status, headers, socket),
    onResponseStart: (controller, status, headers, message) => handler.onResponseStart?.(controller, status, headers, message),
    onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
    onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
    onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
  });
}

/**
 * `answer`, or a rejection as soon as `signal` aborts, even while undici still waits for
 * a connect; an answer that comes after all has its body dropped (its connection with it).
 */
function untilAborted(answer: Promise<Dispatcher.ResponseData>, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    let late = false;
    const onAbort = (): void => {
      late = true;
      reject(Object.assign(new Error('request aborted'), { code: 'ABORT_ERR' }));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    answer.then((res) => {
      signal.removeEventListener('abort', onAbort);
      if (late) res.body.destroy();
      else resolve(res);
    }, (err: unknown) => {
      signal.removeEventListener('abort', onAbort);
      reject(err);
    });
  });
}
