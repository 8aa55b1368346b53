import type { RequestHandler } from 'express';
import { HttpError } from './http-errors';

/** Requires a parsed JSON body: another content type is 415, no body at all is 422. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (req.body === undefined) {
    const type = req.get('content-type');
    if (type && !/json/i.test(type))
      throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
    throw new HttpError(422, 'validation_failed', 'a JSON body is required', [{ path: '(body)', message: 'required' }]);
  }
  next();
};
