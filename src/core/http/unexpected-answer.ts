/**
 * @module core/http/unexpected-answer
 * An answer that is not what the service's API answers: malformed or truncated JSON, a
 * missing member, a wrong type, or a body larger than any real answer (`MAX_ANSWER_BYTES`,
 * enforced by both transports while reading, so a hostile or broken server cannot make
 * a process buffer without end). Exit 1, "unexpected answer from <service>".
 */
import { ApiError } from '../errors.js';

/** Largest answer body read (bytes); a longer one is dropped and the request fails. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** The service answered something its API does not: exit 1, "unexpected answer from <service>". */
export class UnexpectedAnswerError extends ApiError {
  override readonly name = 'UnexpectedAnswerError';
  constructor(service: string, status: number, detail: string) {
    super(service, status, detail);
    this.message = `unexpected answer from ${service}: ${detail}`;
  }
}

/** The error of an answer over `MAX_ANSWER_BYTES`. */
export function answerTooLarge(service: string, status: number): UnexpectedAnswerError {
  return new UnexpectedAnswerError(service, status, `answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB`);
}
