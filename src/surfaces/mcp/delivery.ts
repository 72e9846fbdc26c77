/**
 * @module surfaces/mcp/delivery
 * Whether a tool call's answer reached its client, for the steps an operation leaves for after
 * its output (`ctx.afterOutput`): `telegram inbox clear` removes what it took only once its
 * answer was delivered, as on the CLI once stdout flushed, and puts it back otherwise.
 *
 * An answer is not delivered when the request is cancelled before it is sent (the SDK sends no
 * answer to a cancelled request; closing the connection cancels every request), when the
 * transport fails to send it, or when the transport says the bytes did not reach the client
 * (`written`: stdout failed, or the HTTP response closed before it finished).
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

/** A JSON-RPC request id. */
export type RequestId = string | number;

/** Whether the answer to request `id`, once the transport sent it, reached the client. */
export type Written = (id: RequestId) => Promise<boolean>;

interface Waiter {
  settle: (delivered: boolean) => void;
  /** The transport took the answer: a cancel now comes too late to hold it back. */
  sending: boolean;
}

/** The id of a JSON-RPC response (a result or an error), or undefined for any other message. */
function responseId(message: unknown): RequestId | undefined {
  if (message === null || typeof message !== 'object' || 'method' in message) return undefined;
  const id = (message as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** The answers of one connection whose delivery someone waits for. */
export class Deliveries {
  private readonly waiting = new Map<RequestId, Waiter>();
  private readonly watched = new WeakSet<Transport>();

  /** `written`: what the transport knows after sending (without it, an answer sent counts as delivered). */
  constructor(private readonly written: Written = () => Promise.resolve(true)) {}

  /**
   * Whether the answer to request `id` reaches the client: false when `signal` (the request's
   * cancel) aborts before the answer is sent, or when sending it fails. Asked before the answer is sent.
   */
  delivered(id: RequestId, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      let done = false;
      const waiter: Waiter = {
        sending: false,
        settle: (delivered) => {
          if (done) return;
          done = true;
          signal.removeEventListener('abort', onAbort);
          if (this.waiting.get(id) === waiter) this.waiting.delete(id);
          resolve(delivered);
        },
      };
      const onAbort = (): void => {
        if (!waiter.sending) waiter.settle(false);
      };
      this.waiting.set(id, waiter);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Watches what `transport` sends (once per transport): each answer someone waits for settles its wait. */
  watch(transport: Transport | undefined): void {
    if (!transport || this.watched.has(transport)) return;
    this.watched.add(transport);
    const send = transport.send.bind(transport);
    transport.send = async (message, options) => {
      const id = responseId(message);
      const waiter = id === undefined ? undefined : this.waiting.get(id);
      if (id === undefined || !waiter) return send(message, options);
      waiter.sending = true;
      try {
        await send(message, options);
      } catch (err) {
        waiter.settle(false);
        throw err;
      }
      this.written(id).then(waiter.settle, () => waiter.settle(false));
    };
  }
}

/** Whether everything written to `stream` so far was flushed without an error (stdout of the stdio transport). */
export function flushed(stream: NodeJS.WritableStream & { destroyed?: boolean; writableEnded?: boolean }): Promise<boolean> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      stream.write('', (err) => resolve(!err));
    } catch {
      resolve(false);
    }
  });
}
