import { z } from 'zod';
import { JOB_LIMITS, backoffSchema } from './api-schemas';

/** Limits of the job-type registry, in one place. */
export const JOB_TYPE_LIMITS = {
  maxNameLength: 100,
  maxQueueLength: 40,
  /** Types one workspace may register (each name counts once, whatever its versions). */
  maxTypesPerWorkspace: 200,
  /** Size of one JSON Schema as JSON text: schemas are compiled and kept in every API process. */
  maxSchemaBytes: 64 * 1024,
} as const;

/** The queue a registered type names when it names none. */
export const DEFAULT_REGISTERED_QUEUE = 'default';

/**
 * A job type's name: lowercase words joined by `.`, `-` or `_` (`email.render`). One spelling for
 * names keeps them usable as metric labels and in URLs without escaping.
 */
export const jobTypeNameSchema = z
  .string()
  .min(1)
  .max(JOB_TYPE_LIMITS.maxNameLength)
  .regex(/^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/, 'lowercase words joined by ".", "-" or "_", e.g. "email.render"')
  .meta({ example: 'email.render' });

/** A registered type's queue, within its workspace: kebab case, like Flightdeck's own queue names. */
export const registeredQueueNameSchema = z
  .string()
  .min(1)
  .max(JOB_TYPE_LIMITS.maxQueueLength)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters and digits joined by "-", e.g. "emails"');

/** A JSON Schema (draft 2020-12), as an object; whether it compiles is checked by the server. */
export const jsonSchemaObjectSchema = z
  .record(z.string(), z.unknown())
  .meta({ id: 'JsonSchema', description: 'A JSON Schema (draft 2020-12).' });

export const jobTypeDefaultsSchema = z
  .strictObject({
    attempts: z.number().int().min(1).max(JOB_LIMITS.maxAttempts).optional(),
    backoff: backoffSchema.optional(),
    timeoutMs: z.number().int().min(1).max(JOB_LIMITS.maxTimeoutMs).optional(),
  })
  .meta({ id: 'JobTypeDefaults', description: 'Used when a submitter gives none.' });
export type JobTypeDefaults = z.infer<typeof jobTypeDefaultsSchema>;

/** `PUT /v1/job-types/{name}`: what a workspace's worker declares about a type it runs. */
export const registerJobTypeSchema = z
  .strictObject({
    queue: registeredQueueNameSchema.optional().meta({
      description: `The workspace's queue its jobs wait in ("${DEFAULT_REGISTERED_QUEUE}" when not given).`,
    }),
    payloadSchema: jsonSchemaObjectSchema,
    resultSchema: jsonSchemaObjectSchema.optional(),
    defaults: jobTypeDefaultsSchema.optional(),
  })
  .meta({ id: 'RegisterJobType' });
export type RegisterJobType = z.infer<typeof registerJobTypeSchema>;

export const remoteWorkerSchema = z
  .object({
    id: z.string(),
    sdkVersion: z.string(),
    concurrency: z.number().int(),
    inFlight: z.number().int().meta({ description: 'Jobs it runs now (as of `lastSeen`).' }),
    connectedAt: z.string().meta({ format: 'date-time' }),
    lastSeen: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'RemoteWorker', description: "One of the workspace's own worker processes, connected now." });
export type RemoteWorkerInfo = z.infer<typeof remoteWorkerSchema>;

export const jobTypeWorkersSchema = z
  .object({
    count: z.number().int().min(0).meta({ description: 'Worker processes serving the type now.' }),
    concurrency: z.number().int().min(0).meta({ description: 'Jobs of its queue they run at once, together.' }),
    instances: z
      .array(remoteWorkerSchema)
      .optional()
      .meta({ description: "For registered types: each of the workspace's workers serving it." }),
  })
  .meta({ id: 'JobTypeWorkers' });

export const jobTypeSchema = z
  .object({
    name: z.string(),
    queue: z.string().meta({ description: 'The BullMQ queue its jobs wait in (the `queue` of its jobs).' }),
    source: z.enum(['built-in', 'registered']),
    payloadSchema: jsonSchemaObjectSchema,
    resultSchema: jsonSchemaObjectSchema.optional(),
    version: z.number().int().min(1).meta({ description: 'Grows by one whenever the registered definition changes.' }),
    defaults: jobTypeDefaultsSchema,
    registeredAt: z
      .string()
      .nullable()
      .meta({ format: 'date-time', description: 'When this version was registered; null for built-in types.' }),
    workers: jobTypeWorkersSchema,
  })
  .meta({ id: 'JobType' });
export type JobTypeInfo = z.infer<typeof jobTypeSchema>;

export const jobTypeListSchema = z.object({ types: z.array(jobTypeSchema) }).meta({ id: 'JobTypeList' });
export type JobTypeList = z.infer<typeof jobTypeListSchema>;
