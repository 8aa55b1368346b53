import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import { HttpError } from './http-errors';

/**
 * Bodies read as JSON: `application/json` and `+json` types, and also `text/plain` and no type at
 * all — what `fetch` sends for a string body when the caller forgot the header — so a JSON body is
 * never refused for its label, and malformed text is a `400 invalid_json` like any other. Forms and
 * the like are left unread (→ 415 in `requireJsonBody`).
 */
const readsAsJson = (req: IncomingMessage): boolean => {
  const type = req.headers['content-type'];
  return type === undefined || /json/i.test(type) || /^\s*text\/plain\b/i.test(type);
};

/** Parses a JSON body of at most `limitBytes` (any JSON value; the route's schema says which). */
export const jsonBody = (limitBytes: number): RequestHandler =>
  express.json({ limit: limitBytes, strict: false, type: readsAsJson });

/**
 * Requires a parsed JSON body: a type `jsonBody` does not read is 415, no body at all is 422 — also
 * an empty one (`Content-Length: 0`), which the parser reads as `{}`.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (req.body === undefined || req.get('content-length') === '0') {
    const type = req.get('content-type');
    if (type && !readsAsJson(req))
      throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json');
    throw new HttpError(422, 'validation_failed', 'a JSON body is required', [{ path: '(body)', message: 'required' }]);
  }
  next();
};
