import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody } from '@flightdeck/contract';
import type { Logger } from 'pino';
import { isServiceUnavailable } from '../ops/service-unavailable';
import { UnavailableError } from '../domain-errors';
import { HttpError, httpErrorOf, knownHttpError } from './http-errors';

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  expose?: boolean;
}

/**
 * Turns a thrown value into an HTTP error: domain errors by their kind (`edge/error-answers.ts`),
 * client mistakes the parser or router found 4xx, infrastructure 503, the rest 500.
 */
export function toHttpError(error: unknown): HttpError {
  const known = knownHttpError(error);
  if (known) return known;
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.parse.failed':
      return new HttpError(400, 'invalid_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new HttpError(413, 'payload_too_large', `the request body is larger than ${parserError.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, 'unsupported_media_type', 'the request body encoding is not supported');
    case 'request.aborted':
      return new HttpError(400, 'invalid_json', 'the request body was cut off');
  }
  // The router could not decode a path parameter (bad percent-encoding).
  if (error instanceof URIError)
    return new HttpError(400, 'validation_failed', 'the request path is not valid percent-encoded text');
  // Any other body the parser could not read, e.g. a compressed body that does not decompress.
  if (parserError?.expose && parserError.status === 400)
    return new HttpError(400, 'invalid_json', 'the request body could not be read');
  if (isServiceUnavailable(error))
    return httpErrorOf(new UnavailableError('a backing service is unavailable; try again shortly'));
  return new HttpError(500, 'internal_error', 'something went wrong on our side');
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const httpError = toHttpError(error);
    // A dependency that is away is an outage, logged once per request without alarm; the rest are bugs.
    if (httpError.status === 503)
      logger.warn(
        { err: { message: (error as Error)?.message }, url: req.originalUrl },
        'request refused: unavailable',
      );
    else if (httpError.status >= 500)
      logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    const body: ErrorBody = { error: { code: httpError.code, message: httpError.message } };
    if (httpError.issues) body.error.issues = httpError.issues;
    if (httpError.headers) res.set(httpError.headers);
    res.status(httpError.status).json(body);
  };
}

export const routeNotFound: RequestHandler = (req, _res, next) =>
  next(new HttpError(404, 'route_not_found', `no route for ${req.method} ${req.path}`));
