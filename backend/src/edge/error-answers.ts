import type { ErrorBody } from '@flightdeck/contract';
import {
  InvalidInputError,
  ThrottledError,
  UnavailableError,
  type DomainError,
  type DomainErrorKind,
} from '../domain-errors';

/**
 * The one mapping from a domain error to its answer: the HTTP status of its kind, the contract's
 * error body, and when to try again. The REST error handler sends `status`, `body` and `headers`;
 * the socket gateway sends `body` in an ack (or `connect_error` data, with `retryAfterSeconds`).
 */
export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  /** `Retry-After` for the errors worth retrying (throttled, unavailable); none otherwise. */
  headers?: Record<string, string>;
  retryAfterSeconds?: number;
}

const STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  throttled: 429,
  unavailable: 503,
};

export function answerOf(error: DomainError): ErrorAnswer {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error instanceof InvalidInputError && error.issues) body.error.issues = error.issues;
  const answer: ErrorAnswer = { status: STATUS_OF[error.kind], body };
  if (error instanceof ThrottledError || error instanceof UnavailableError) {
    answer.retryAfterSeconds = error.retryAfterSeconds;
    answer.headers = { 'retry-after': String(error.retryAfterSeconds) };
  }
  return answer;
}
