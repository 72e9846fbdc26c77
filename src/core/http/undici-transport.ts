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
 */
import type { Dispatcher } from 'undici';
import { isTlsVerifyCode, pinnedConnector } from './tls.js';
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
        const res = await untilAborted(agent.request({
          origin: req.url.origin, path: `${req.url.pathname}${req.url.search}`,
          method: req.method as 'GET', headers: req.headers, body: req.body, signal: req.signal,
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
        return { status: res.statusCode, statusText: res.statusText ?? '', headers: res.headers as WireResponse['headers'], text };
      } catch (err) {
        if (!unsent(err, connector.pending())) req.onSent?.();
        throw err;
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

/** Errors of the connect phase: the request was not written. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a failed request was surely never written. undici's `request` does not say when a
 * request went out, so it is judged by the error: a connect error, a refusal of the
 * certificate or pin, or an abort while a connect of this pool was still pending (the
 * request was waiting for it). Anything else counts as written: the caller then says a
 * change may have been applied, which is the safe mistake to make.
 */
function unsent(err: unknown, pendingConnects: number): boolean {
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  const code = e.code ?? e.cause?.code;
  if (code === 'ABORT_ERR' || e.name === 'AbortError') return pendingConnects > 0;
  return (code !== undefined && (CONNECT_CODES.has(code) || isTlsVerifyCode(code))) || e.name === 'TlsError' || (e as { cause?: { name?: string } }).cause?.name === 'TlsError';
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
