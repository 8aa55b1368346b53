import { z } from 'zod';
import { actorSchema } from './account-schemas';
import { jobSchema, listJobsQuerySchema, notBlank, orNull } from './api-schemas';

export const COLLABORATION_LIMITS = {
  maxBulkJobs: 200,
  maxSavedViews: 100,
  maxCommentLength: 5000,
  maxCommentListLimit: 200,
  defaultCommentListLimit: 100,
  maxActivityListLimit: 200,
  defaultActivityListLimit: 50,
} as const;

export const createCommentSchema = z
  .strictObject({
    body: z
      .string()
      .trim()
      .min(1, 'write something')
      .max(COLLABORATION_LIMITS.maxCommentLength)
      .meta({ ...notBlank, example: 'upstream timed out, retrying after 10:00' }),
  })
  .meta({ id: 'CreateComment' });

export const commentSchema = z
  .object({
    id: z.string(),
    jobId: z.string(),
    body: z.string(),
    author: actorSchema,
    createdAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'Comment' });

export const commentListSchema = z
  .object({ items: z.array(commentSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'CommentList', description: "A job's comments, oldest first." });

export const listCommentsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(COLLABORATION_LIMITS.maxCommentListLimit).optional(),
  cursor: z.string().min(1).max(100).optional(),
});

/** What people (or API keys) do to a job: the activity entries that name an actor. */
export const PERSON_ACTIVITY_ACTIONS = [
  'cancelled',
  'retried',
  'promoted',
  'claimed',
  'released',
  'commented',
] as const;
export type PersonActivityAction = (typeof PERSON_ACTIVITY_ACTIONS)[number];

/** A job's own milestones after `created`, with no actor. */
const JOB_MILESTONE_ACTIONS = ['started', 'retrying', 'completed', 'failed'] as const;

/** What a job's activity lists: what people did to it, and its own milestones (no actor). */
export const ACTIVITY_ACTIONS = ['created', ...JOB_MILESTONE_ACTIONS, ...PERSON_ACTIVITY_ACTIONS] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** What the workspace's activity holds: every action but `created`, which only a job's own activity shows. */
export const FEED_ACTIVITY_ACTIONS = [...JOB_MILESTONE_ACTIONS, ...PERSON_ACTIVITY_ACTIONS] as const;

export const activityEntrySchema = z
  .object({
    id: z.string().meta({
      description:
        "The entry's id. A person's action carries it live too, as its event's `activity.id`; a milestone's id is `<jobId>:<seq>` of the event that marked it; a job's `created` entry is `<jobId>:created`.",
    }),
    action: z.enum(ACTIVITY_ACTIONS),
    actor: orNull(actorSchema).meta({ description: 'Who did it; null for what the job did on its own.' }),
    at: z.string().meta({ format: 'date-time' }),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ActivityEntry' });
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const activityListSchema = z
  .object({ items: z.array(activityEntrySchema) })
  .meta({ id: 'ActivityList', description: 'Everything that happened to a job, oldest first.' });

/** `GET /v1/activity`: the workspace's activity, newest first. */
export const listActivityQuerySchema = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(COLLABORATION_LIMITS.maxActivityListLimit)
    .optional()
    .meta({ description: `Entries per page (default ${COLLABORATION_LIMITS.defaultActivityListLimit}).` }),
  cursor: z.string().min(1).max(300).optional().meta({ description: "The previous page's `nextCursor`." }),
  actor: z.enum(['people', 'all']).optional().meta({
    description:
      "`people` (the default): what people and API keys did, the entries with an actor. `all`: jobs' own attempt milestones (started, retrying, completed, failed) too.",
  }),
  action: z
    .enum(FEED_ACTIVITY_ACTIONS)
    .optional()
    .meta({ description: 'Only entries of this action (together with `actor`: `people` has no milestones).' }),
});
export type ListActivityQuery = z.infer<typeof listActivityQuerySchema>;

export const activityFeedItemSchema = activityEntrySchema
  .extend({
    jobId: z.string(),
    jobType: z.string().nullable().meta({ description: "The job's type; null when its record is not there." }),
  })
  .meta({ id: 'ActivityFeedItem' });
export type ActivityFeedItem = z.infer<typeof activityFeedItemSchema>;

export const activityFeedSchema = z
  .object({ items: z.array(activityFeedItemSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ActivityFeed', description: "A page of the workspace's activity, newest first." });
export type ActivityFeed = z.infer<typeof activityFeedSchema>;

/** A jobs view's filters, as `GET /v1/jobs` takes them (without paging). */
export const jobFiltersSchema = listJobsQuerySchema.omit({ limit: true, cursor: true }).meta({ id: 'JobFilters' });
export type JobFilters = z.infer<typeof jobFiltersSchema>;

export const createSavedViewSchema = z
  .strictObject({
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .meta({ ...notBlank, example: 'Failed http jobs today' }),
    filters: jobFiltersSchema,
  })
  .meta({ id: 'CreateSavedView' });

export const savedViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    filters: jobFiltersSchema,
    createdBy: actorSchema,
    createdAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'SavedView', description: 'A named set of job filters, shared by the workspace.' });
export type SavedView = z.infer<typeof savedViewSchema>;
export const savedViewListSchema = z.object({ items: z.array(savedViewSchema) }).meta({ id: 'SavedViewList' });

export const bulkJobActionSchema = z
  .strictObject({
    action: z.enum(['cancel', 'retry']),
    ids: z.array(z.string().min(1).max(64)).min(1).max(COLLABORATION_LIMITS.maxBulkJobs),
  })
  .meta({ id: 'BulkJobAction' });
export type BulkJobAction = z.infer<typeof bulkJobActionSchema>;

export const bulkJobResultSchema = z
  .object({
    results: z.array(
      z.union([
        z.object({ id: z.string(), ok: z.literal(true), job: jobSchema }),
        z.object({ id: z.string(), ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
      ]),
    ),
  })
  .meta({ id: 'BulkJobResult', description: 'One result per id, in the order given.' });
