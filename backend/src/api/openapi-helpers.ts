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
  404: "No such resource in this workspace — another workspace's resources are `404` too (`not_found`); also a session naming (`X-Workspace`) a workspace the person is not a member of",
  409: 'The action does not apply in the current state',
  413: 'The body is too large (`payload_too_large`)',
  415: 'The body is sent as a type that is not JSON, such as a form (`unsupported_media_type`); `application/json`, `text/plain` and no `Content-Type` are read as JSON',
  416: 'The `Range` holds no byte of the file (`range_not_satisfiable`); `Content-Range: bytes */<size>` gives the size',
  422: 'Wrong types or values (`validation_failed`, also a bad cron expression or time zone), unknown job type (`unknown_job_type`), bad payload (`invalid_payload`)',
  429: 'Too many requests (`rate_limited`); wait `Retry-After` seconds',
  503: 'Redis or MongoDB is unavailable (`service_unavailable`)',
};

/** What an error status usually means here. */
export const errorDescription = (status: number): string => ERROR_DESCRIPTIONS[status] ?? 'Error';

/** Error answers, each with its usual meaning. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, json(errorBodySchema, errorDescription(status))]));
