import type { ErrorCode } from '@flightdeck/contract';

/**
 * What services throw when a request cannot be done, said in the domain's terms: the thing is not
 * there, the action does not apply to its state, the caller may not, the input is wrong, a bound is
 * reached, a dependency is away. Each carries the contract's machine-readable `code` and a message
 * for people, and no HTTP status: the edge picks that (`edge/error-answers.ts`, for REST and for the
 * socket gateway alike). A service never imports from `api/`.
 */

/** The kinds the edge tells apart; each answers one HTTP status. */
export type DomainErrorKind =
  'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'throttled' | 'unavailable';

/** One wrong field of an input: where (`payload.ms`, `cron`) and what is wrong with it. */
export interface InputIssue {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The input is wrong (a field, a cursor, a password too weak): `issues` names each wrong field. */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError';
  readonly kind = 'invalid';

  constructor(
    code: ErrorCode,
    message: string,
    readonly issues?: InputIssue[],
  ) {
    super(code, message);
  }
}

/** The caller may not do this (its role, its credentials, someone else holds the thing). */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  readonly kind = 'forbidden';

  constructor(message: string, code: ErrorCode = 'forbidden') {
    super(code, message);
  }
}

/** No such thing, or not in the caller's workspace (the two are not told apart). */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  readonly kind = 'not_found';

  constructor(message: string, code: ErrorCode = 'not_found') {
    super(code, message);
  }
}

/** The action does not apply to the thing as it is now; `code` says why (`job_not_cancellable`, `last_owner`…). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  readonly kind = 'conflict';
}

/** A workspace holds as many of something as it may (saved views, webhook endpoints): a conflict coded `limit_reached`. */
export class LimitReachedError extends ConflictError {
  override name = 'LimitReachedError';

  constructor(message: string) {
    super('limit_reached', message);
  }
}

/** The thing sent is larger than allowed (an artifact). */
export class TooLargeError extends DomainError {
  override name = 'TooLargeError';
  readonly kind = 'too_large';

  constructor(message: string) {
    super('payload_too_large', message);
  }
}

/** Refused for now, not for good: too many requests or jobs; worth trying again after `retryAfterSeconds`. */
export class ThrottledError extends DomainError {
  override name = 'ThrottledError';
  readonly kind = 'throttled';
  /** Whole seconds, at least 1. */
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number, code: ErrorCode = 'rate_limited') {
    super(code, message);
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** A dependency (Redis, MongoDB, a queue) cannot answer now: nothing was done, try again shortly. */
export class UnavailableError extends DomainError {
  override name = 'UnavailableError';
  readonly kind = 'unavailable';
  /** Whole seconds to wait before trying again: the same as while the process starts. */
  readonly retryAfterSeconds = 1;

  constructor(message: string) {
    super('service_unavailable', message);
  }
}
