import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  activityFeedSchema,
  activityListSchema,
  bulkJobActionSchema,
  bulkJobResultSchema,
  createSavedViewSchema,
  savedViewListSchema,
  savedViewSchema,
  commentListSchema,
  commentSchema,
  createCommentSchema,
  errorBodySchema,
  jobSchema,
  listActivityQuerySchema,
  listCommentsQuerySchema,
} from '@flightdeck/contract';
import { resourceIdSchema } from './path-params';
import { errors, json, requiredJson } from './openapi-helpers';

const jobIdParams = z.object({ id: resourceIdSchema.meta({ description: 'Job id' }) });

const viewIdParams = z.object({ id: resourceIdSchema.meta({ description: 'Saved view id' }) });

const time = z.string().meta({ format: 'date-time' });
const autoscalingSchema = z
  .object({
    source: z.enum(['kubernetes', 'policy']).meta({
      description:
        "Where `workers.desired` and `running` come from: the real autoscaler (KEDA's ScaledObjects, their HPAs and Deployments, read from the Kubernetes API in the pod's namespace) or Flightdeck's scaling policy (outside Kubernetes, `OPS_KUBERNETES=off`, no service account token, or no reading yet).",
    }),
    reason: z.string().meta({ description: 'Why that source, in words.' }),
    namespace: z.string().nullable(),
    readAt: time
      .nullable()
      .meta({ description: 'When the Kubernetes API was last read (readings are shared for 3 s).' }),
    error: z
      .string()
      .nullable()
      .meta({ description: 'Why the last reading of the Kubernetes API failed, e.g. RBAC refusing it.' }),
    scaledObjects: z.array(
      z.object({
        name: z.string(),
        queues: z.array(z.string()).meta({ description: 'Its `flightdeck.dev/queues` annotation.' }),
        component: z
          .string()
          .nullable()
          .meta({ description: "The scaled Deployment's `app.kubernetes.io/component`." }),
        minReplicas: z.number().int().nullable(),
        maxReplicas: z.number().int().nullable(),
        hpa: z
          .object({ name: z.string(), desiredReplicas: z.number().int(), currentReplicas: z.number().int() })
          .nullable(),
        deployment: z
          .object({ name: z.string(), replicas: z.number().int(), readyReplicas: z.number().int() })
          .nullable()
          .meta({ description: '`spec.replicas` and `status.readyReplicas`; null when the Deployment is missing.' }),
        conditions: z.array(
          z.object({
            type: z.string().meta({ description: '`Ready`, `Active`, `Fallback` or `Paused`.' }),
            status: z.enum(['True', 'False', 'Unknown']),
            reason: z.string().nullable(),
            message: z.string().nullable(),
            since: time.nullable(),
          }),
        ),
        events: z
          .array(
            z.object({
              type: z.string(),
              reason: z.string(),
              message: z.string(),
              at: time.nullable(),
              count: z.number().int(),
            }),
          )
          .meta({ description: "KEDA's Kubernetes Events about the ScaledObject, newest first (at most 5)." }),
      }),
    ),
  })
  .meta({ id: 'OpsAutoscaling' });

const opsSchema = z
  .object({
    queues: z.array(z.unknown()).meta({ description: 'As `GET /v1/queues` answers.' }),
    gateways: z.array(z.object({ id: z.string(), connections: z.number().int(), at: z.string() })),
    workers: z.object({
      running: z.number().int().meta({
        description:
          "Worker replicas running: the worker Deployments' ready replicas when `autoscaling.source` is `kubernetes`, else the worker processes alive now.",
      }),
      desired: z.number().int().meta({
        description:
          "Worker replicas asked for: what the worker Deployments' HPAs ask for when `autoscaling.source` is `kubernetes`, else the most replicas any queue's scaling policy asks for.",
      }),
      processes: z.array(z.object({ id: z.string(), concurrency: z.number().int().nullable(), at: z.string() })),
    }),
    autoscaling: autoscalingSchema,
    at: z.string().meta({ format: 'date-time' }),
    operator: z.boolean().meta({
      description:
        'Whether the calling workspace is the operator workspace (`default`): only its admins pause, resume and drain the shared queues.',
    }),
  })
  .meta({ id: 'OpsOverview' });

/**
 * The control room: comments, claims, a job's and the workspace's activity, saved views, bulk actions
 * and the ops overview.
 */
export function registerControlRoomPaths(registry: OpenAPIRegistry, security: Record<string, string[]>[]): void {
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/comments',
    tags: ['Collaboration'],
    summary: 'Comment on a job (members)',
    description: 'Appears live: a `comment.created` event in the workspace stream carries the comment and its author.',
    security,
    request: { params: jobIdParams, body: requiredJson(createCommentSchema, 'The comment') },
    responses: { 201: json(commentSchema, 'Posted'), ...errors(400, 401, 403, 404, 415, 422, 429, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/comments',
    tags: ['Collaboration'],
    summary: "A job's comments, oldest first",
    security,
    request: { params: jobIdParams, query: listCommentsQuerySchema },
    responses: { 200: json(commentListSchema, 'A page of comments'), ...errors(400, 401, 403, 404, 422, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/{id}/claim',
    tags: ['Collaboration'],
    summary: 'Claim a job: "I\'m on it" (members)',
    description:
      "Of two people claiming at the same instant exactly one wins. Claiming a job you hold answers `200` again; someone else's claim is `409 job_claimed`, naming them. Emits `job.claimed`; `claimedBy` stays on the job through its later changes.",
    security,
    request: { params: jobIdParams },
    responses: { 200: json(jobSchema, 'The job, claimed'), ...errors(400, 401, 403, 404, 409, 429, 503) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/jobs/{id}/claim',
    tags: ['Collaboration'],
    summary: 'Release a claim (its holder, or an admin)',
    description: 'Emits `job.released`. Releasing an unclaimed job changes nothing.',
    security,
    request: { params: jobIdParams },
    responses: { 200: json(jobSchema, 'The job, unclaimed'), ...errors(400, 401, 403, 404, 429, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/jobs/{id}/activity',
    tags: ['Collaboration'],
    summary: 'Everything that happened to a job, oldest first, with who did it',
    description:
      "What people (or keys) did — cancelled, retried, promoted, claimed, released, commented — with the actor, and the job's own milestones (created, started, completed, failed) with `actor: null`.",
    security,
    request: { params: jobIdParams },
    responses: { 200: json(activityListSchema, 'The activity'), ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/activity',
    tags: ['Collaboration'],
    summary: "The workspace's activity feed: who did what to which job, newest first",
    description:
      "Across every job of the workspace: by default what people and API keys did (`actor=people`: cancelled, retried, promoted — bulk actions and queue drains included —, claimed, released, commented), each with its actor, job and type; `actor=all` adds the jobs' own attempt milestones (started, retrying, completed, failed; `actor: null`). `action` keeps one action. Pages of `limit` (default 50, at most 200); pass `nextCursor` as `cursor` for the next, older, page. Live, each person's action arrives as an event naming it in `activity` (`{ id, action }`), whose `id` is the item's `id` here; a milestone's `id` is `<jobId>:<seq>` of its event. Needs `jobs:read`.",
    security,
    request: { query: listActivityQuerySchema },
    responses: { 200: json(activityFeedSchema, 'A page of the activity'), ...errors(400, 401, 403, 404, 422, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/jobs/bulk',
    tags: ['Jobs'],
    summary: 'Cancel or retry up to 200 jobs at once',
    description:
      'Each job is handled as its own `cancel` / `retry` would be — attributed to the caller, in its activity and the audit log. One result per id, in order; a job the action does not apply to gets `ok: false` with the code (`job_not_cancellable`, `job_not_retryable`, `not_found`).',
    security,
    request: { body: requiredJson(bulkJobActionSchema, 'The action and the job ids') },
    responses: { 200: json(bulkJobResultSchema, 'A result per id'), ...errors(400, 401, 403, 413, 415, 422, 429, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/views',
    tags: ['Collaboration'],
    summary: "The workspace's saved job views",
    security,
    responses: { 200: json(savedViewListSchema, 'The views'), ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/views',
    tags: ['Collaboration'],
    summary: 'Save a jobs view (members); the whole workspace sees it',
    security,
    request: { body: requiredJson(createSavedViewSchema, 'Name and filters (as `GET /v1/jobs` takes them)') },
    responses: {
      201: json(savedViewSchema, 'Saved'),
      ...errors(400, 401, 403, 404, 415, 422, 503),
      409: json(errorBodySchema, 'The workspace has its 100 saved views already (`limit_reached`)'),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/views/{id}',
    tags: ['Collaboration'],
    summary: 'Delete a saved view (its creator, or an admin)',
    security,
    request: { params: viewIdParams },
    responses: { 204: { description: 'Deleted' }, ...errors(400, 401, 403, 404, 503) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/ops',
    tags: ['Queues'],
    summary: 'The ops overview: queues, gateways and their connections, worker replicas running vs desired',
    description:
      "Processes report a heartbeat every 5 s; one silent for 15 s is gone. Inside Kubernetes (`autoscaling.source: kubernetes`) the worker replicas are the autoscaler's, with each ScaledObject's state and KEDA's Events; a failed reading of the Kubernetes API is reported in `autoscaling.error`, never as an error status. Needs `queues:read`.",
    security,
    responses: { 200: json(opsSchema, 'The overview'), ...errors(400, 401, 403, 404, 503) },
  });
}
