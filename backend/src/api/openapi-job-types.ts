import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { jobTypeListSchema, jobTypeNameSchema, jobTypeSchema, registerJobTypeSchema } from '@flightdeck/contract';
import { errors, json, requiredJson } from './openapi-helpers';

const jobTypeParams = z.object({ name: jobTypeNameSchema.meta({ description: 'Job type name' }) });

/** Job types: the built-in ones and those a workspace's own workers register. */
export function registerJobTypePaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/job-types',
    tags: ['Job types'],
    summary: 'The job types this workspace can submit',
    description:
      'The built-in types, then the types registered in this workspace (by name), each with the JSON Schema of its payload, its queue, its latest version and the workers serving it now. Nothing of another workspace.',
    security,
    responses: { 200: json(jobTypeListSchema, 'Every job type'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/job-types/{name}',
    tags: ['Job types'],
    summary: 'Get a job type',
    security,
    request: { params: jobTypeParams },
    responses: { 200: json(jobTypeSchema, 'The job type'), ...errors(401, 403, 404, 422, 503) },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/job-types/{name}',
    tags: ['Job types'],
    summary: 'Register a job type of this workspace',
    description:
      "What a workspace's worker does when it starts (API key scope `workers:run`): declares a type it runs, with the JSON Schema (draft 2020-12) of its payload. Submits of the type are checked against the latest version's schema (`422 invalid_payload` naming the path). The same definition again changes nothing (200); a changed one becomes the next version (201). Built-in names are refused (`409 job_type_reserved`), a schema Ajv cannot compile is `422 validation_failed`.",
    security,
    request: { params: jobTypeParams, body: requiredJson(registerJobTypeSchema, 'The definition') },
    responses: {
      200: json(jobTypeSchema, 'Unchanged: the latest version is this definition already'),
      201: json(jobTypeSchema, 'Registered: a new version'),
      ...errors(400, 401, 403, 409, 413, 415, 422, 503),
    },
  });
}
