/**
 * @module surfaces/mcp/answer-streams
 * Over Streamable HTTP, the answer to a request goes out on the response of the POST that
 * carried it. Whether it reached the client is whether that response finished (its bytes
 * handed to the connection) before it closed: a client that dropped its connection mid-call
 * never reads the answer, though the transport wrote it (`delivery.ts`).
 */
import type { ServerResponse } from 'node:http';
import type { RequestId, Written } from './delivery.js';

/** The ids of the requests in a POST body (one message, or a batch). */
function requestIds(body: unknown): RequestId[] {
  return (Array.isArray(body) ? body : [body]).flatMap((m: unknown) => {
    if (m === null || typeof m !== 'object' || !('method' in m)) return [];
    const id = (m as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? [id] : [];
  });
}

/** Whether `res` finishes, rather than closing first (its connection lost). */
function finishes(res: ServerResponse): Promise<boolean> {
  if (res.writableFinished) return Promise.resolve(true);
  if (res.destroyed || res.closed) return Promise.resolve(false);
  return new Promise((resolve) => {
    res.once('finish', () => resolve(true));
    res.once('close', () => resolve(res.writableFinished));
  });
}

/** The open responses of one session, by the id of each request whose answer they carry. */
export class AnswerStreams {
  private readonly open = new Map<RequestId, ServerResponse>();

  /** Notes the requests of a POST `body` as answered on `res`, until it closes. */
  carry(body: unknown, res: ServerResponse): void {
    const ids = requestIds(body);
    if (!ids.length) return;
    for (const id of ids) this.open.set(id, res);
    res.once('close', () => {
      for (const id of ids) if (this.open.get(id) === res) this.open.delete(id);
    });
  }

  /** Whether the answer to `id`, sent by the transport, reached the client: false when no open response carries it. */
  readonly written: Written = (id) => {
    const res = this.open.get(id);
    return res ? finishes(res) : Promise.resolve(false);
  };
}
