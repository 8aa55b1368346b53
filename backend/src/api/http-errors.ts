import type { ErrorCode } from '@flightdeck/contract';

/** An error that becomes an HTTP answer. Only the error middleware turns it into JSON. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (code: ErrorCode, message: string) => new HttpError(400, code, message);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);
export const notFound = (message: string, code: ErrorCode = 'not_found') => new HttpError(404, code, message);
export const conflict = (code: ErrorCode, message: string) => new HttpError(409, code, message);
export const payloadTooLarge = (message: string) => new HttpError(413, 'payload_too_large', message);
/** No byte of the asked range exists; `Content-Range` tells the client the size. */
export const rangeNotSatisfiable = (size: number) =>
  new HttpError(416, 'range_not_satisfiable', `the requested range lies outside the file's ${size} bytes`, undefined, {
    'content-range': `bytes */${size}`,
    'accept-ranges': 'bytes',
  });
export const unprocessable = (code: ErrorCode, message: string, issues?: { path: string; message: string }[]) =>
  new HttpError(422, code, message, issues);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new HttpError(429, 'rate_limited', message, undefined, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
/** Redis or MongoDB is away: worth retrying soon (the same `Retry-After` as while the process starts). */
export const serviceUnavailable = (message: string) =>
  new HttpError(503, 'service_unavailable', message, undefined, { 'retry-after': '1' });
