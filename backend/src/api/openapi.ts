import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  idempotencyKeySchema,
  drainQueueSchema,
  errorBodySchema,
  jobListSchema,
  jobLogListSchema,
  jobSchema,
  listJobLogsQuerySchema,
  listJobsQuerySchema,
  submitBatchSchema,
  submitJobSchema,
  submittedJobSchema,
} from '@flightdeck/contract';
import { registerAccountPaths } from './openapi-accounts';
import { registerArtifactPaths } from './openapi-artifacts';
import { registerControlRoomPaths } from './openapi-control-room';
import { registerFairSharePaths } from './openapi-fair-share';
import { registerJobTypePaths } from './openapi-job-types';
import { registerSchedulePaths } from './openapi-schedules';
import { registerWebhookPaths } from './openapi-webhooks';
import { queueNameSchema } from './path-params';
import { jobIdParams } from './openapi-params';
import { errors, json, requiredJson } from './openapi-helpers';
import { withImplicitAnswers } from './openapi-implicit-answers';

const queueNameParams = z.object({ name: queueNameSchema.meta({ description: 'Queue name', example: 'demo' }) });
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

/** What a client does next with the job it submitted (and what the fuzzer's stateful phase follows). */
const jobLinks = Object.fromEntries(
  (['getJob', 'cancelJob', 'retryJob', 'promoteJob'] as const).map((operationId) => [
    operationId,
    { operationId, parameters: { id: '$response.body#/id' } },
  ]),
);

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
    'idempotency-key': idempotencyKeySchema
      .optional()
      .meta({ description: 'Same as the body field `idempotencyKey`.' }),
  });

  const QUOTA_OR_RATE =
    "Too many requests (`rate_limited`), or the workspace's pending limit would be passed (`quota_exceeded`: nothing of the request was queued; the workspace has that many jobs waiting already); wait `Retry-After` seconds";
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs',
    tags: ['Jobs'],
    summary: 'Submit a job',
    description:
      'Answers `202` at once with the job. A repeated idempotency key in the same workspace answers `200` with the first job and never creates a second.',
    security,
    request: { body: requiredJson(submitJobSchema, 'The job'), headers: idempotencyHeader },
    responses: {
      202: { ...json(jobSchema, 'Queued (or delayed)'), links: jobLinks },
      200: json(jobSchema, 'An earlier job with this idempotency key'),
      ...errors(400, 401, 403, 413, 415, 422, 503),
      429: json(errorBodySchema, QUOTA_OR_RATE),
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
    request: { body: requiredJson(submitBatchSchema, 'The jobs') },
    responses: {
      202: json(z.object({ jobs: z.array(submittedJobSchema) }), 'Queued'),
      ...errors(400, 401, 403, 413, 415, 422, 503),
      429: json(errorBodySchema, QUOTA_OR_RATE),
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
    operationId: 'getJob',
    tags: ['Jobs'],
    summary: 'Get a job',
    security,
    request: { params: jobIdParams },
    responses: { 200: json(jobSchema, 'The job'), ...errors(401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/cancel',
    operationId: 'cancelJob',
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
    operationId: 'retryJob',
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
    operationId: 'promoteJob',
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
  registerWebhookPaths(registry, security);
  registerSchedulePaths(registry, security);
  registerJobTypePaths(registry, security);
  registerArtifactPaths(registry, security);
  registry.registerPath({
    method: 'get',
    path: '/v1/queues',
    tags: ['Queues'],
    summary: 'Queues: counts by status and the worker replicas the scaling policy asks for',
    description:
      "Flightdeck's queues first: shared by the deployment, their counts are of jobs in Redis across workspaces and carry no job data. Then the caller's workspace's own queues of registered job types (`ws-<workspace>-<queue>`, by name), never another workspace's; their `scaling` is the policy of the `own-worker` kustomize component (0–10 replicas, 10 jobs each).",
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
  registerFairSharePaths(registry, security);

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Flightdeck API',
      version: '0.1.0',
      description:
        'Submit and manage background jobs. Every error body is `{ "error": { "code", "message" } }`; see the codes in each answer. A method that a path here does not list is `405 method_not_allowed`, with `Allow` naming the ones it does.',
    },
    servers: [{ url: '/' }],
  });
  return withImplicitAnswers(document);
}
