import type { z } from 'zod';
import { unprocessable } from './http-errors';

/** Parses input with a schema; a mismatch is a 422 that names every wrong field. */
export function validate<Schema extends z.ZodType>(schema: Schema, input: unknown, pathPrefix = ''): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: [pathPrefix, ...issue.path].filter((part) => part !== '').join('.') || '(body)',
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw unprocessable('validation_failed', `invalid request: ${summary}`, issues);
}

/**
 * Parses a query string with a schema. A parameter given empty (`?status=&type=x`) counts as not
 * given, as forms and URL templates send the ones left blank.
 */
export function validateQuery<Schema extends z.ZodType>(schema: Schema, query: unknown): z.infer<Schema> {
  const given = Object.entries((query ?? {}) as Record<string, unknown>).filter(([, value]) => value !== '');
  return validate(schema, Object.fromEntries(given));
}

/** An optional JSON body: none at all reads as `{}`; anything sent, `null` included, is validated as sent. */
export const optionalBody = (body: unknown): unknown => (body === undefined ? {} : body);
