import type { z } from 'zod';
import { errorBodySchema } from '@flightdeck/contract';

/** A JSON body or answer of the OpenAPI document. */
export const json = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A JSON request body the route requires (OpenAPI's `requestBody.required` is false unless said). */
export const requiredJson = <Schema extends z.ZodType>(schema: Schema, description: string) => ({
  ...json(schema, description),
  required: true,
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON (`invalid_json`), or a session request without `X-Workspace` (`workspace_required`)',
  401: 'Missing or bad credentials (`unauthorized`), a wrong password (`invalid_credentials`)',
  403: 'The caller lacks the permission (`forbidden`: see the permission table), or a cookie request from another origin (`csrf_rejected`)',
  404: "No such resource in this workspace — another workspace's resources are `404` too (`not_found`)",
  409: 'The action does not apply in the current state',
  413: 'The body is too large (`payload_too_large`)',
  415: 'The body is sent as a type that is not JSON, such as a form (`unsupported_media_type`); `application/json`, `text/plain` and no `Content-Type` are read as JSON',
  416: 'The `Range` holds no byte of the file (`range_not_satisfiable`); `Content-Range: bytes */<size>` gives the size',
  422: 'Wrong types or values (`validation_failed`, also a bad cron expression or time zone), unknown job type (`unknown_job_type`), bad payload (`invalid_payload`)',
  429: 'Too many requests (`rate_limited`); wait `Retry-After` seconds',
  503: 'Redis or MongoDB is unavailable (`service_unavailable`)',
};

/** Error answers, each with its usual meaning. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, json(errorBodySchema, ERROR_DESCRIPTIONS[status] ?? 'Error')]));

interface ParameterLike {
  in?: string;
  required?: boolean;
  allowEmptyValue?: boolean;
}

/**
 * Says on every optional query parameter that it may be sent empty: `validateQuery` reads `?status=`
 * as not given (forms and URL templates send the fields left blank), whatever the value's schema.
 */
export function allowEmptyQueryValues<Document extends { paths?: Record<string, object> }>(
  document: Document,
): Document {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item) as { parameters?: ParameterLike[] }[]) {
      for (const parameter of operation?.parameters ?? []) {
        if (parameter.in === 'query' && !parameter.required) parameter.allowEmptyValue = true;
      }
    }
  }
  return document;
}

interface OperationLike {
  parameters?: ParameterLike[];
  responses?: Record<string, unknown>;
}

/**
 * Adds the `422` of a path parameter out of its schema (an id longer than any the server issues…) to
 * every operation that has path parameters: each route validates them (`path-params.ts`).
 */
export function withPathParameterErrors<Document extends { paths?: Record<string, object> }>(
  document: Document,
): Document {
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item) as OperationLike[]) {
      const responses = operation?.responses;
      if (!responses || responses['422'] || !operation.parameters?.some((parameter) => parameter.in === 'path'))
        continue;
      responses['422'] = {
        description: 'A path parameter outside its schema (`validation_failed`)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
  }
  return document;
}
