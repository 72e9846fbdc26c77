/**
 * @module core/http/failure
 * What a request that got no answer becomes, from what is known about it: cancelled by the
 * caller, a change written and left unanswered ("it may have been applied"), timed out,
 * untrusted TLS, or unreachable. A request that changes nothing on the server (a read, a
 * sign-in) is never "may have been applied", however far it got.
 */
import { CancelledError, HomelabError, TimeoutError, TlsError, UnreachableError } from '../errors.js';
import { redact } from '../redact.js';
import { headerError, isHeaderFailure } from './header-safe.js';
import { serverText } from './server-text.js';
import { isTlsVerifyCode } from './tls.js';
import { UnansweredError, within } from './unanswered.js';

/** What is known about one failed attempt. */
export interface FailedAttempt {
  service: string;
  /** The service's origin, as messages name it. */
  origin: string;
  /** `POST /path`, redacted. */
  what: string;
  /** The request was written to an open connection. */
  sent: boolean;
  /** The request may change something on the server (not a read, not a sign-in). */
  changes: boolean;
  /** The caller's own signal (Ctrl-C, a plan's cancel), if any. */
  signal?: AbortSignal;
  /** The request's deadline, and whether it passed. */
  timeoutMs: number;
  timedOut: boolean;
}

/** The typed error of a failed attempt; `err` is what the transport threw. */
export function requestFailure(err: unknown, a: FailedAttempt): HomelabError {
  const written = a.sent && a.changes;
  if (a.signal?.aborted) {
    const reason: unknown = a.signal.reason;
    const why = reason instanceof CancelledError ? reason.message : 'cancelled';
    return written ? new CancelledError(`${why} with no answer to ${a.what}: it may have been applied; check before retrying`) : new CancelledError();
  }
  // A change written to an open connection reached the server, which may have done it: not "cannot reach".
  if (written && (a.timedOut || !(err instanceof HomelabError))) {
    const code = errorCode(err);
    return Object.assign(new UnansweredError(a.service, a.what, a.timedOut ? within(a.timeoutMs) : `(${code ?? 'connection closed'})`), { code });
  }
  if (a.timedOut) return new TimeoutError(a.service, a.timeoutMs, a.what);
  // A header the transport refused to build: nothing was sent, and the network is not to blame.
  if (isHeaderFailure(err, errorCode(err))) return headerError(a.service, a.what);
  return networkError(err, a.service, a.origin);
}

/** The `code` of a raw network error (on it or on its cause). */
export function errorCode(err: unknown): string | undefined {
  return (err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code;
}

/** A raw network error as a typed one: untrusted certificate (TlsError) or cannot reach. */
function networkError(err: unknown, service: string, origin: string): HomelabError {
  if (err instanceof HomelabError) return err;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause instanceof HomelabError ? e.cause : undefined;
  if (cause) return cause;
  const code = errorCode(err);
  const message = serverText(redact(e.cause?.message ?? e.message ?? String(err)));
  if (isTlsVerifyCode(code)) {
    return new TlsError(service, `TLS certificate of ${origin} is not trusted (${code})`, undefined,
      `pin it with services.${service}.fingerprint (homelab doctor prints the server's fingerprint)`);
  }
  const wrapped = new UnreachableError(service, `cannot reach ${origin}: ${code ?? message}`);
  Object.assign(wrapped, { code });
  return wrapped;
}
