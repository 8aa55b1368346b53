import { z } from 'zod';
import { JOB_STATUSES } from './job';
import { ERROR_CODES } from './errors';

/** Limits of the job submission API, in one place. */
export const JOB_LIMITS = {
  maxBatchSize: 1000,
  maxDelayMs: 365 * 24 * 3600 * 1000,
  maxAttempts: 100,
  maxTimeoutMs: 24 * 3600 * 1000,
  /** BullMQ's PRIORITY_LIMIT. */
  maxPriority: 2_097_151,
  maxIdempotencyKeyLength: 255,
  maxListLimit: 200,
  defaultListLimit: 50,
  /** Longest log line kept, in UTF-16 code units; longer lines are cut (see JobReporter.log). */
  maxLogLineLength: 8192,
  maxWebhookUrlLength: 2048,
  maxLogListLimit: 1000,
  defaultLogListLimit: 100,
  maxScheduleNameLength: 100,
  maxCronLength: 200,
} as const;

/**
 * `schema | null` for a schema registered as an OpenAPI component (`.meta({ id })`). `.nullable()` on
 * such a schema makes the generator mark the shared component itself nullable, so every other use of
 * it (request bodies too) accepts null, or emit an `allOf` that no value satisfies; a union is an
 * `anyOf` of the component and null, which says what is meant.
 */
export const orNull = <Schema extends z.ZodType>(schema: Schema) => z.union([schema, z.null()]);

/**
 * For the OpenAPI document of a `.trim()`med text: it must hold a character that `trim` keeps. The
 * set (ECMAScript WhiteSpace and LineTerminator) is spelled out because `\s` means different sets
 * in the regex engines that read the document.
 */
export const notBlank = {
  pattern: '[^\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]',
} as const;

const nonNegativeInt = (max: number) => z.number().int().min(0).max(max);

export const backoffSchema = z
  .strictObject({
    type: z.enum(['fixed', 'exponential']),
    delayMs: nonNegativeInt(JOB_LIMITS.maxDelayMs),
  })
  .meta({ id: 'Backoff', description: 'How long to wait between attempts.' });

export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(JOB_LIMITS.maxIdempotencyKeyLength)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export const submitJobSchema = z
  .strictObject({
    type: z.string().min(1).max(100).meta({ example: 'demo.sleep' }),
    payload: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ example: { ms: 1000, steps: 4 } }),
    priority: nonNegativeInt(JOB_LIMITS.maxPriority).optional().meta({
      description:
        'Jobs without a priority (0, the default) are taken first, in order; among prioritized jobs 1 is the most urgent and larger numbers wait longer (BullMQ semantics).',
    }),
    delayMs: nonNegativeInt(JOB_LIMITS.maxDelayMs).optional(),
    attempts: z.number().int().min(1).max(JOB_LIMITS.maxAttempts).optional(),
    backoff: backoffSchema.optional(),
    timeoutMs: z.number().int().min(1).max(JOB_LIMITS.maxTimeoutMs).optional(),
    idempotencyKey: idempotencyKeySchema.optional(),
    webhookUrl: z
      .url({ protocol: /^https?$/ })
      .max(JOB_LIMITS.maxWebhookUrlLength)
      .optional()
      .meta({
        description:
          'When the job ends (completed, failed or cancelled), Flightdeck POSTs `{ type, job }` here, signed with the workspace webhook secret (`Flightdeck-Signature`), retrying with backoff.',
        example: 'https://example.com/hooks/flightdeck',
      }),
  })
  .meta({ id: 'SubmitJob' });
export type SubmitJob = z.infer<typeof submitJobSchema>;

export const submitBatchSchema = z
  .strictObject({ jobs: z.array(submitJobSchema).min(1).max(JOB_LIMITS.maxBatchSize) })
  .meta({ id: 'SubmitBatch' });
export type SubmitBatch = z.infer<typeof submitBatchSchema>;

export const jobStatusSchema = z.enum(JOB_STATUSES).meta({ id: 'JobStatus' });

/** `POST /v1/queues/{name}/drain`: which waiting jobs to cancel (the body is optional). */
export const drainQueueSchema = z
  .strictObject({
    delayed: z.boolean().optional().meta({
      description:
        'Also cancel delayed jobs (and jobs waiting out a retry backoff); `true` by default. `false` cancels only queued jobs.',
    }),
  })
  .meta({ id: 'DrainQueue' });
export type DrainQueue = z.infer<typeof drainQueueSchema>;

export const listJobsQuerySchema = z.strictObject({
  status: jobStatusSchema.optional(),
  type: z.string().min(1).max(100).optional(),
  queue: z.string().min(1).max(100).optional(),
  claimedBy: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'A user id: jobs that person claimed; `nobody`: unclaimed jobs.' }),
  range: z.enum(['1h', '24h', '7d']).optional().meta({
    description: 'Created within the last hour, day or week, counted back from the request (instead of `from`).',
  }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created at or after this time.' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'Created before this time.' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .meta({
      ...notBlank,
      description: 'Text search: the exact job id, or a part of the type or of the error message (any case).',
    }),
  limit: z.coerce.number().int().min(1).max(JOB_LIMITS.maxListLimit).default(JOB_LIMITS.defaultListLimit),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListJobsQuery = z.infer<typeof listJobsQuerySchema>;

export const listJobLogsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(JOB_LIMITS.maxLogListLimit).default(JOB_LIMITS.defaultLogListLimit),
  cursor: z.string().min(1).max(200).optional(),
});
export type ListJobLogsQuery = z.infer<typeof listJobLogsQuerySchema>;

export const jobLogLineSchema = z
  .object({
    seq: z.number().int().meta({ description: 'The `seq` of the `job.log` event that carried the line.' }),
    line: z.string(),
    at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'JobLogLine' });
export type JobLogLine = z.infer<typeof jobLogLineSchema>;

export const jobLogListSchema = z
  .object({ items: z.array(jobLogLineSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'JobLogList', description: 'Log lines of a job, oldest first.' });

export const claimSchema = z
  .object({ id: z.string(), name: z.string(), at: z.string().meta({ format: 'date-time' }) })
  .meta({ id: 'Claim' });

export const jobSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    queue: z.string(),
    status: jobStatusSchema,
    progress: z.number().min(0).max(100),
    payload: z.record(z.string(), z.unknown()),
    result: z.unknown(),
    error: z.object({ message: z.string() }).nullable(),
    errorStack: z
      .string()
      .nullable()
      .meta({ description: 'Where the handler threw (its first lines), when the failure came from a thrown error.' }),
    attemptsMade: z.number().int(),
    attempts: z.number().int(),
    priority: z.number().int(),
    backoff: orNull(backoffSchema),
    timeoutMs: z.number().int().nullable(),
    idempotencyKey: z.string().nullable(),
    webhookUrl: z.string().nullable(),
    createdAt: z.string().meta({ format: 'date-time' }),
    runAt: z.string().nullable().meta({ format: 'date-time' }),
    startedAt: z.string().nullable().meta({ format: 'date-time' }),
    finishedAt: z.string().nullable().meta({ format: 'date-time' }),
    claimedBy: claimSchema
      .nullable()
      .meta({ description: 'Who said "I\'m on it" (POST /v1/jobs/{id}/claim), or null.' }),
  })
  .meta({ id: 'Job' });

export const submittedJobSchema = z
  .object({ id: z.string(), status: jobStatusSchema })
  .meta({ id: 'SubmittedJob', description: 'Answer to a submit: the job id and its status.' });

export const jobListSchema = z
  .object({ items: z.array(jobSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'JobList' });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const webhookSecretSchema = z
  .object({
    secret: z.string().meta({
      description:
        'The key of the HMAC-SHA256 of the body in `Flightdeck-Signature` and of `<t>.<body>` in `Flightdeck-Signature-Timestamped` (base64url text, used as is).',
    }),
  })
  .meta({ id: 'WebhookSecret' });

export const webhookAttemptSchema = z
  .object({
    deliveryId: z.string().meta({ description: '`<jobId>:<eventType>:<seq>`, also sent as `Flightdeck-Delivery`.' }),
    eventType: z.enum(['job.completed', 'job.failed', 'job.cancelled']),
    url: z.string(),
    attempt: z.number().int().min(1),
    status: z.number().int().nullable().meta({ description: 'The HTTP status, or null when there was no answer.' }),
    ok: z.boolean(),
    error: z.string().nullable(),
    at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'WebhookAttempt' });
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookAttemptListSchema = z
  .object({ items: z.array(webhookAttemptSchema) })
  .meta({ id: 'WebhookAttemptList', description: 'Every webhook delivery attempt of a job, oldest first.' });

/** What each run of a schedule submits: a job as `POST /v1/jobs` takes it, without per-submit fields. */
export const scheduleJobSchema = submitJobSchema
  .pick({ type: true, payload: true, priority: true, attempts: true, backoff: true, timeoutMs: true })
  .meta({ id: 'ScheduleJob', description: 'The job each run submits; validated like a submit.' });
export type ScheduleJob = z.infer<typeof scheduleJobSchema>;

const scheduleName = z.string().min(1).max(JOB_LIMITS.maxScheduleNameLength).meta({ example: 'nightly cleanup' });
const cronExpression = z.string().min(1).max(JOB_LIMITS.maxCronLength).meta({
  description:
    'A cron expression: five fields (minute hour day-of-month month day-of-week) or six with seconds first; aliases such as `@daily` work.',
  example: '0 3 * * *',
});
const timeZone = z
  .string()
  .min(1)
  .max(100)
  .meta({ description: 'An IANA time zone the cron expression is read in.', example: 'Europe/Paris' });

export const createScheduleSchema = z
  .strictObject({ name: scheduleName, cron: cronExpression, timezone: timeZone.optional(), job: scheduleJobSchema })
  .meta({ id: 'CreateSchedule' });
export type CreateSchedule = z.infer<typeof createScheduleSchema>;

export const updateScheduleSchema = z
  .strictObject({
    name: scheduleName.optional(),
    cron: cronExpression.optional(),
    timezone: timeZone.optional(),
    job: scheduleJobSchema.optional().meta({ description: 'Replaces the job whole.' }),
  })
  .meta({ id: 'UpdateSchedule' });
export type UpdateSchedule = z.infer<typeof updateScheduleSchema>;

export const scheduleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    cron: z.string(),
    timezone: z.string(),
    job: scheduleJobSchema,
    nextRunAt: z
      .string()
      .nullable()
      .meta({ format: 'date-time', description: 'When the cron expression next fires, or null if never again.' }),
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof scheduleSchema>;

export const scheduleListSchema = z
  .object({ items: z.array(scheduleSchema) })
  .meta({ id: 'ScheduleList', description: 'Every schedule of the workspace, oldest first.' });

export const WEBHOOK_ENDPOINT_EVENTS = ['job.completed', 'job.failed', 'job.cancelled'] as const;

export const createWebhookEndpointSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .max(JOB_LIMITS.maxWebhookUrlLength)
      .meta({ example: 'https://ops.example.com/hooks/flightdeck' }),
    events: z
      .array(z.enum(WEBHOOK_ENDPOINT_EVENTS))
      .min(1)
      .optional()
      .meta({ description: 'Which final events it receives; all three by default.' }),
  })
  .meta({ id: 'CreateWebhookEndpoint' });

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_ENDPOINT_EVENTS)),
    createdAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({
    id: 'WebhookEndpoint',
    description: "A URL that receives every matching job's final event in the workspace, signed like per-job webhooks.",
  });
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;
export const webhookEndpointListSchema = z
  .object({ items: z.array(webhookEndpointSchema) })
  .meta({ id: 'WebhookEndpointList' });
