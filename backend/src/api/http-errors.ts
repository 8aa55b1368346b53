import type { ErrorCode } from '@flightdeck/contract';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  ThrottledError,
  UnavailableError,
  type InputIssue,
} from '../domain-errors';
import { answerOf } from '../edge/error-answers';

/**
 * An error that becomes an HTTP answer. Only the error middleware turns it into JSON. Services throw
 * domain errors (`domain-errors.ts`) instead; the statuses of those come from one mapping,
 * `edge/error-answers.ts`, which the factories below go through too. `HttpError` itself is for what
 * only HTTP has: bad JSON, media types, byte ranges, credentials on a request, unknown routes.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: InputIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A domain error as the HTTP answer the edge gives it (status, body, `Retry-After`). */
export function httpErrorOf(error: DomainError): HttpError {
  const { status, body, headers } = answerOf(error);
  return new HttpError(status, body.error.code, body.error.message, body.error.issues, headers);
}

/** What HTTP answers a thrown value with, when it is one we threw on purpose (an HttpError or a domain error). */
export function knownHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof DomainError) return httpErrorOf(error);
  return undefined;
}

// Errors only HTTP has.
export const badRequest = (code: ErrorCode, message: string) => new HttpError(400, code, message);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
/** No byte of the asked range exists; `Content-Range` tells the client the size. */
export const rangeNotSatisfiable = (size: number) =>
  new HttpError(416, 'range_not_satisfiable', `the requested range lies outside the file's ${size} bytes`, undefined, {
    'content-range': `bytes */${size}`,
    'accept-ranges': 'bytes',
  });

// Domain refusals as HTTP errors, for routes and middleware: each is its domain error through the one
// mapping, so the status is decided once.
export const forbidden = (message: string) => httpErrorOf(new ForbiddenError(message));
export const notFound = (message: string, code: ErrorCode = 'not_found') =>
  httpErrorOf(new NotFoundError(message, code));
export const conflict = (code: ErrorCode, message: string) => httpErrorOf(new ConflictError(code, message));
export const unprocessable = (code: ErrorCode, message: string, issues?: InputIssue[]) =>
  httpErrorOf(new InvalidInputError(code, message, issues));
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  httpErrorOf(new ThrottledError(message, retryAfterSeconds));
/** Redis or MongoDB is away: worth retrying soon (the same `Retry-After` as while the process starts). */
export const serviceUnavailable = (message: string) => httpErrorOf(new UnavailableError(message));
