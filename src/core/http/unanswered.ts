/**
 * @module core/http/unanswered
 * A change that went out and got no answer: the request was written to an open connection,
 * then the connection was cut or the deadline passed before the answer. The server was
 * reached and may have carried the change out, so this is not "cannot reach": the message
 * says it may have been applied and to check before retrying. Exit 4, like every failure
 * to get an answer; such a request is never retried (`HttpClient` retries reads only).
 */
import { UnreachableError } from '../errors.js';

/** `pve: no answer to POST /nodes/pve1/qemu/9000/clone within 2 s: it may have been applied; check before retrying`. */
export class UnansweredError extends UnreachableError {
  override readonly name = 'UnansweredError';
  constructor(service: string, what: string, why: string) {
    super(service, `no answer to ${what} ${why}: it may have been applied; check before retrying`);
  }
}

/** `within 2 s` / `within 500 ms`, as timeouts are written elsewhere. */
export function within(ms: number): string {
  return `within ${ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`}`;
}
