import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  artifactListSchema,
  artifactSchema,
  createScheduleSchema,
  drainQueueSchema,
  jobListSchema,
  jobLogListSchema,
  jobSchema,
  listArtifactsQuerySchema,
  listJobLogsQuerySchema,
  listJobsQuerySchema,
  scheduleListSchema,
  scheduleSchema,
  submitBatchSchema,
  submitJobSchema,
  submittedJobSchema,
  updateScheduleSchema,
  uploadArtifactQuerySchema,
  webhookAttemptListSchema,
  webhookSecretSchema,
  createWebhookEndpointSchema,
  webhookEndpointListSchema,
  webhookEndpointSchema,
} from '@flightdeck/contract';
import { registerAccountPaths } from './openapi-accounts';
import { registerControlRoomPaths } from './openapi-control-room';
import { errors, json } from './openapi-helpers';

const jobIdParams = z.object({ id: z.string().meta({ description: 'Job id', example: '01JF0000000000000000000000' }) });
const scheduleIdParams = z.object({
  id: z.string().meta({ description: 'Schedule id', example: '01JF0000000000000000000000' }),
});
const artifactIdParams = z.object({
  id: z.string().meta({ description: 'Artifact id', example: '01JF0000000000000000000000' }),
});
const binary = z.string().meta({ format: 'binary' });
const queueNameParams = z.object({ name: z.string().meta({ description: 'Queue name', example: 'demo' }) });
const queueSchema = z
  .object({
    name: z.string(),
    paused: z.boolean(),
    counts: z.object({
      queued: z.number(),
      delayed: z.number(),
      active: z.number(),
      completed: z.number(),
      failed: z.number(),
    }),
    scaling: z.object({
      desiredReplicas: z.number().int(),
      minReplicas: z.number().int(),
      maxReplicas: z.number().int(),
      jobsPerReplica: z.number().int(),
    }),
  })
  .meta({ id: 'Queue' });
const queueOverviewSchema = z.object({ queues: z.array(queueSchema) }).meta({ id: 'QueueOverview' });
const queueDrainSchema = z
  .object({
    queue: queueSchema,
    drained: z.number().int().meta({ description: 'Jobs cancelled, across every workspace.' }),
    skipped: z.number().int().meta({
      description:
        "Jobs found waiting but not cancelled: taken by a worker or ended meanwhile, or a schedule's upcoming run (the schedule owns it).",
    }),
  })
  .meta({ id: 'QueueDrain' });

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A workspace API key (`Authorization: Bearer fd_…`); on the job read routes also a job token from `POST /v1/jobs/{id}/token`.',
  });
  const session = registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'fd_session',
    description:
      'The session cookie set by sign-up and sign-in. Session requests name their workspace with the `X-Workspace: <slug>` header, and unsafe ones must come from our own origin (or one in `CORS_ORIGINS`).',
  });
  const security = [{ [bearer.name]: [] }, { [session.name]: [] }];
  const idempotencyHeader = z.object({
    'idempotency-key': z.string().optional().meta({ description: 'Same as the body field `idempotencyKey`.' }),
  });

  registry.registerPath({
    method: 'post',
    path: '/v1/jobs',
    tags: ['Jobs'],
    summary: 'Submit a job',
    description:
      'Answers `202` at once with the job. A repeated idempotency key in the same workspace answers `200` with the first job and never creates a second.',
    security,
    request: { body: json(submitJobSchema, 'The job'), headers: idempotencyHeader },
    responses: {
      202: json(jobSchema, 'Queued (or delayed)'),
      200: json(jobSchema, 'An earlier job with this idempotency key'),
      ...errors(400, 401, 403, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/batch',
    tags: ['Jobs'],
    summary: 'Submit up to 1000 jobs at once',
    description:
      'Every job is validated before any is queued: the batch is accepted whole or not at all. Answers in the same order.',
    security,
    request: { body: json(submitBatchSchema, 'The jobs') },
    responses: {
      202: json(z.object({ jobs: z.array(submittedJobSchema) }), 'Queued'),
      ...errors(400, 401, 403, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs',
    tags: ['Jobs'],
    summary: 'List jobs, newest first',
    description:
      'Finished jobs stay listed after Redis has forgotten them. Pass `nextCursor` as `cursor` for the next page.',
    security,
    request: { query: listJobsQuerySchema },
    responses: { 200: json(jobListSchema, 'A page of jobs'), ...errors(401, 403, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}',
    tags: ['Jobs'],
    summary: 'Get a job',
    security,
    request: { params: jobIdParams },
    responses: { 200: json(jobSchema, 'The job'), ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/cancel',
    tags: ['Jobs'],
    summary: 'Cancel a job',
    description:
      'A queued or delayed job never runs; an active job is told to stop (`AbortSignal`) and ends `cancelled`. `409 job_not_cancellable` for finished jobs.',
    security,
    request: { params: jobIdParams },
    responses: { 200: json(jobSchema, 'The job after the action'), ...errors(401, 403, 404, 409, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/retry',
    tags: ['Jobs'],
    summary: 'Retry a failed or cancelled job',
    description:
      'The job runs again under the same id with a fresh budget of attempts. `409 job_not_retryable` in other states.',
    security,
    request: { params: jobIdParams },
    responses: { 200: json(jobSchema, 'The job after the action'), ...errors(401, 403, 404, 409, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/promote',
    tags: ['Jobs'],
    summary: 'Run a delayed job now',
    description:
      'The job is queued at once instead of waiting for its delay. `409 job_not_promotable` in other states.',
    security,
    request: { params: jobIdParams },
    responses: { 200: json(jobSchema, 'The job after the action'), ...errors(401, 403, 404, 409, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/logs',
    tags: ['Jobs'],
    summary: "A job's log lines, oldest first",
    description:
      'Lines the handler logged, kept after Redis has forgotten the job; each is at most 8192 characters (longer ones are cut). Pass `nextCursor` as `cursor` for the next page.',
    security,
    request: { params: jobIdParams, query: listJobLogsQuerySchema },
    responses: { 200: json(jobLogListSchema, 'A page of log lines'), ...errors(401, 403, 404, 422, 503) },
  });
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
    request: { body: json(createWebhookEndpointSchema, 'The URL and the events') },
    responses: { 201: json(webhookEndpointSchema, 'Added'), ...errors(400, 401, 403, 404, 415, 422, 503) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/webhooks/endpoints/{id}',
    tags: ['Webhooks'],
    summary: 'Remove a webhook endpoint (admins)',
    security,
    request: { params: z.object({ id: z.string().meta({ description: 'Endpoint id' }) }) },
    responses: { 204: { description: 'Removed' }, ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/schedules',
    tags: ['Schedules'],
    summary: 'Create a schedule',
    description:
      'Submits `job` each time the cron expression fires in `timezone` (default UTC). Each run is an ordinary job (id `repeat:<scheduleId>:<ms>`), listed and streamed like others. The job is validated like a submit.',
    security,
    request: { body: json(createScheduleSchema, 'The schedule') },
    responses: { 201: json(scheduleSchema, 'Created'), ...errors(400, 401, 403, 413, 415, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/schedules',
    tags: ['Schedules'],
    summary: "The workspace's schedules, oldest first",
    security,
    responses: { 200: json(scheduleListSchema, 'Every schedule'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/schedules/{id}',
    tags: ['Schedules'],
    summary: 'Get a schedule',
    security,
    request: { params: scheduleIdParams },
    responses: { 200: json(scheduleSchema, 'The schedule'), ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/schedules/{id}',
    tags: ['Schedules'],
    summary: 'Change a schedule',
    description:
      'Changes the name, cron expression, time zone or job (replaced whole); later runs follow the change, runs already queued are not touched.',
    security,
    request: { params: scheduleIdParams, body: json(updateScheduleSchema, 'The fields to change') },
    responses: {
      200: json(scheduleSchema, 'The schedule after the change'),
      ...errors(400, 401, 403, 404, 413, 415, 422, 503),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/schedules/{id}',
    tags: ['Schedules'],
    summary: 'Delete a schedule',
    description: 'No run starts after this; a run already queued or active goes on.',
    security,
    request: { params: scheduleIdParams },
    responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/artifacts',
    tags: ['Artifacts'],
    summary: 'Upload a file (an input for jobs such as `image.transform`)',
    description:
      "The raw body is the file; its `Content-Type` header is stored as the file's type (`application/octet-stream` when absent). At most `ARTIFACT_MAX_BYTES` (50 MiB by default): a larger `Content-Length` is refused before the body is read, a longer body without one is cut off; both `413`. `jobId` attaches the file to a job of the workspace (`404` if there is none). Needs `jobs:write`.",
    security,
    request: {
      query: uploadArtifactQuerySchema,
      body: { description: 'The file', content: { '*/*': { schema: binary } }, required: true },
    },
    responses: {
      201: {
        ...json(artifactSchema, 'Stored'),
        headers: { Location: { description: '`/v1/artifacts/{id}`', schema: { type: 'string' } } },
      },
      ...errors(401, 403, 404, 413, 422, 503),
    },
  });
  const downloadHeaders = {
    'Content-Disposition': { description: '`attachment; filename="<name>"`', schema: { type: 'string' as const } },
    'Content-Length': { description: 'The number of bytes in this answer', schema: { type: 'integer' as const } },
    'Accept-Ranges': { description: '`bytes`', schema: { type: 'string' as const } },
    ETag: { description: 'The SHA-256 of the whole file, quoted', schema: { type: 'string' as const } },
  };
  registry.registerPath({
    method: 'get',
    path: '/v1/artifacts/{id}',
    tags: ['Artifacts'],
    summary: 'Download an artifact, or a byte range of it',
    description:
      "Streams the bytes with the stored `Content-Type`, `Content-Length`, `Content-Disposition: attachment` with the name, `X-Content-Type-Options: nosniff` and a sandboxing `Content-Security-Policy`; `ETag` is the SHA-256, and `Accept-Ranges: bytes`. A `Range` of one range — `bytes=<first>-<last>`, `bytes=<first>-` or the last n bytes `bytes=-<n>` — answers `206` with those bytes and `Content-Range: bytes <first>-<last>/<size>` (a last byte past the end means the end; a suffix longer than the file, the whole file). A range starting at or past the end, or `bytes=-0`, is `416 range_not_satisfiable` with `Content-Range: bytes */<size>`. Several ranges, another unit or a `Range` that does not parse are ignored: `200` with the whole file. `If-Range` with the `ETag` keeps the range; with anything else the whole file comes back. `If-None-Match` naming the `ETag` (or `*`) answers `304` with no body. `HEAD` answers the headers only (and ignores `Range`). Another workspace's artifact is `404`. Needs `jobs:read`.",
    security,
    request: {
      params: artifactIdParams,
      headers: z.object({
        range: z
          .string()
          .optional()
          .meta({ description: 'One byte range, e.g. `bytes=0-1023`', example: 'bytes=0-1023' }),
        'if-range': z
          .string()
          .optional()
          .meta({ description: 'The `ETag`: send the range only if the file is that one' }),
        'if-none-match': z
          .string()
          .optional()
          .meta({ description: 'ETags of copies the client has: `304` when one is the file' }),
      }),
    },
    responses: {
      200: { description: 'The whole file', headers: downloadHeaders, content: { '*/*': { schema: binary } } },
      206: {
        description: 'The bytes of the range',
        headers: {
          ...downloadHeaders,
          'Content-Range': { description: '`bytes <first>-<last>/<size>`', schema: { type: 'string' } },
        },
        content: { '*/*': { schema: binary } },
      },
      304: { description: "The client's copy (`If-None-Match`) is current", headers: { ETag: downloadHeaders.ETag } },
      ...errors(401, 403, 404, 416, 503),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/artifacts/{id}',
    tags: ['Artifacts'],
    summary: 'Delete an artifact (members)',
    description:
      "Removes the file and all its bytes at once: it is no longer listed or downloadable (`404`), and a job that takes it as input fails with `input artifact … not found`. Recorded in the audit log (`artifact.deleted`). Another workspace's artifact is `404`. Needs `artifacts:delete` (members; keys with `jobs:write`).",
    security,
    request: { params: artifactIdParams },
    responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/artifacts',
    tags: ['Artifacts'],
    summary: "A job's artifacts, oldest first",
    description:
      'Files the job produced (`context.artifacts.put` in its handler) and files uploaded with `?jobId=` for it. Pass `nextCursor` as `cursor` for the next page. Needs `jobs:read`.',
    security,
    request: { params: jobIdParams, query: listArtifactsQuerySchema },
    responses: { 200: json(artifactListSchema, 'A page of artifacts'), ...errors(401, 403, 404, 422, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/queues',
    tags: ['Queues'],
    summary: 'Queues: counts by status and the worker replicas the scaling policy asks for',
    description:
      'Queues are shared by the deployment; counts are of jobs in Redis, across workspaces, and carry no job data.',
    security,
    responses: { 200: json(queueOverviewSchema, 'Every queue'), ...errors(401, 403, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/queues/{name}/pause',
    tags: ['Queues'],
    summary: 'Pause a queue',
    description:
      'Workers take no new jobs from it; active jobs finish. Submits are still accepted and wait (counted as `queued`); a paused queue asks for replicas for its active jobs only. Queues are shared by the deployment: needs `queues:write` in the operator workspace (`default`); `403` from any other.',
    security,
    request: { params: queueNameParams },
    responses: { 200: json(queueSchema, 'The queue after the action'), ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/queues/{name}/resume',
    tags: ['Queues'],
    summary: 'Resume a paused queue',
    description:
      'Workers take its waiting jobs again. Needs `queues:write` in the operator workspace (`default`); `403` from any other.',
    security,
    request: { params: queueNameParams },
    responses: { 200: json(queueSchema, 'The queue after the action'), ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/queues/{name}/drain',
    tags: ['Queues'],
    summary: 'Drain a queue: cancel every job waiting in it',
    description:
      "Cancels every queued (and prioritized) job of the queue and, unless `delayed` is `false`, every delayed one — across every workspace — each exactly as `POST /v1/jobs/{id}/cancel` would: a `job.cancelled` event in the job's own workspace stream naming the caller as `actor`, its history record, its webhook, a `cancelled` entry in its activity. Active jobs are left to finish; jobs that start or end meanwhile are skipped, as are upcoming runs of schedules. Drains the jobs waiting when it starts (jobs submitted meanwhile may remain), then answers with the queue and the counts. Pause the queue first to keep workers from taking jobs while it drains. Recorded in the audit log (`queue.drained`) of the operator workspace and of every workspace whose jobs were cancelled. Needs `queues:write` in the operator workspace (`default`); `403` from any other.",
    security,
    request: {
      params: queueNameParams,
      body: { ...json(drainQueueSchema, 'Optional: whether delayed jobs go too'), required: false },
    },
    responses: {
      200: json(queueDrainSchema, 'The queue after the drain, and how many jobs were cancelled'),
      ...errors(400, 401, 403, 404, 413, 422, 503),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/healthz',
    tags: ['Operations'],
    summary: 'Liveness: 200 while the process lives',
    responses: { 200: json(z.object({ status: z.literal('ok') }), 'Alive') },
  });
  registry.registerPath({
    method: 'get',
    path: '/readyz',
    tags: ['Operations'],
    summary: 'Readiness: 200 only while Redis and MongoDB answer',
    responses: {
      200: json(z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.boolean()) }), 'Ready'),
      503: json(z.object({ status: z.literal('unavailable'), checks: z.record(z.string(), z.boolean()) }), 'Not ready'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    tags: ['Operations'],
    summary: 'Prometheus metrics (text format)',
    responses: { 200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } } },
  });

  registerAccountPaths(registry, security);
  registerControlRoomPaths(registry, security);

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Flightdeck API',
      version: '0.1.0',
      description:
        'Submit and manage background jobs. Every error body is `{ "error": { "code", "message" } }`; see the codes in each answer.',
    },
    servers: [{ url: '/' }],
  });
}
