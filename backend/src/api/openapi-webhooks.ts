import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  createWebhookEndpointSchema,
  errorBodySchema,
  webhookAttemptListSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
  webhookSecretSchema,
} from '@flightdeck/contract';
import { resourceIdSchema } from './path-params';
import { jobIdParams } from './openapi-params';
import { errors, json, requiredJson } from './openapi-helpers';

/** Webhooks: a job's delivery attempts, the workspace's signing secret and its endpoints. */
export function registerWebhookPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/webhooks',
    tags: ['Webhooks'],
    summary: "A job's webhook delivery attempts, oldest first",
    description:
      "One entry per attempt to POST a final event to the job's `webhookUrl`: the HTTP status (null when there was no answer), whether it succeeded, and why not.",
    security,
    request: { params: jobIdParams },
    responses: { 200: json(webhookAttemptListSchema, 'The attempts'), ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/webhooks/secret',
    tags: ['Webhooks'],
    summary: "The workspace's webhook secret (scope `admin`)",
    description:
      'Created on first use. Verify `Flightdeck-Signature` (lowercase hex) by computing HMAC-SHA256 of the raw body with this string as the key and comparing in constant time. For replay protection, also verify `Flightdeck-Signature-Timestamped: t=<unix seconds>,v1=<hex>` (HMAC-SHA256 of `<t>.<raw body>`, same key; `t` is `Flightdeck-Timestamp`) and reject old timestamps.',
    security,
    responses: { 200: json(webhookSecretSchema, 'The secret'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/webhooks/secret/rotate',
    tags: ['Webhooks'],
    summary: 'Replace the webhook secret (scope `admin`)',
    description: 'Deliveries signed from now on (retries included) use the new secret.',
    security,
    responses: { 200: json(webhookSecretSchema, 'The new secret'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/webhooks/endpoints',
    tags: ['Webhooks'],
    summary: "The workspace's webhook endpoints",
    security,
    responses: { 200: json(webhookEndpointListSchema, 'The endpoints'), ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/webhooks/endpoints',
    tags: ['Webhooks'],
    summary: 'Add a workspace-wide webhook endpoint (admins)',
    description:
      "It receives the final events it names (all three by default) of every job of the workspace, signed and retried exactly like per-job webhooks, and listed in each job's delivery log. Outbound rules (`OUTBOUND_ALLOWLIST`) apply when sending. At most 20 per workspace.",
    security,
    request: { body: requiredJson(createWebhookEndpointSchema, 'The URL and the events') },
    responses: {
      201: json(webhookEndpointSchema, 'Added'),
      ...errors(400, 401, 403, 404, 415, 422, 503),
      409: json(errorBodySchema, 'The workspace has its 20 endpoints already (`limit_reached`)'),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/webhooks/endpoints/{id}',
    tags: ['Webhooks'],
    summary: 'Remove a webhook endpoint (admins)',
    security,
    request: { params: z.object({ id: resourceIdSchema.meta({ description: 'Endpoint id' }) }) },
    responses: { 204: { description: 'Removed' }, ...errors(400, 401, 403, 404, 503) },
  });
}
