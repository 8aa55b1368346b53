import { z } from 'zod';

/**
 * Fair share between workspaces (`GET /v1/fair-share`, `PUT /v1/workspaces/{id}/limits`): the limits
 * operators set per workspace and what each workspace is getting. Shared by the backend, which
 * validates and builds them, and the console, which shows and edits them.
 */

/** Bounds of the limits an operator may set. */
export const FAIR_SHARE_LIMITS = {
  minWeight: 1,
  maxWeight: 100,
  /** Caps are at least 1 (0 would stop a workspace for good: that is a pause, not a limit). */
  minCap: 1,
  maxCap: 1_000_000_000,
  /** The window that `startedLastMinute` and `share` count. */
  windowSeconds: 60,
} as const;

const cap = (what: string) =>
  z
    .number()
    .int()
    .min(FAIR_SHARE_LIMITS.minCap)
    .max(FAIR_SHARE_LIMITS.maxCap)
    .nullable()
    .meta({ description: `${what}; \`null\`: the deployment's default.` });

const weight = z.number().int().min(FAIR_SHARE_LIMITS.minWeight).max(FAIR_SHARE_LIMITS.maxWeight).nullable().meta({
  description:
    "Share of the workers relative to other workspaces with work waiting (3 gets three times the jobs started of 1); `null`: the deployment's default.",
});

/** The limits as an operator set them: `null` is the deployment's default. */
export const workspaceLimitsSchema = z
  .object({
    maxRunning: cap('Most jobs of the workspace running at once'),
    maxPending: cap(
      'Most jobs of the workspace waiting (queued or delayed); a submit beyond it is `429 quota_exceeded`',
    ),
    weight,
  })
  .meta({ id: 'WorkspaceLimits' });
export type WorkspaceLimits = z.infer<typeof workspaceLimitsSchema>;

/**
 * `PUT /v1/workspaces/{id}/limits`: the limits, replaced whole. A field left out or `null` is the
 * deployment's default.
 */
export const setWorkspaceLimitsSchema = z
  .strictObject({
    maxRunning: workspaceLimitsSchema.shape.maxRunning.optional(),
    maxPending: workspaceLimitsSchema.shape.maxPending.optional(),
    weight: workspaceLimitsSchema.shape.weight.optional(),
  })
  .meta({ id: 'SetWorkspaceLimits' });
export type SetWorkspaceLimits = z.infer<typeof setWorkspaceLimitsSchema>;

/** The limits in force: a set limit, else the default. `null` caps are unlimited. */
export const effectiveLimitsSchema = z
  .object({
    maxRunning: z.number().int().nullable().meta({ description: 'Null: no limit.' }),
    maxPending: z.number().int().nullable().meta({ description: 'Null: no limit.' }),
    weight: z.number().int(),
  })
  .meta({ id: 'EffectiveLimits' });
export type EffectiveLimits = z.infer<typeof effectiveLimitsSchema>;

/** A workspace's limits, as set and as in force. */
export const workspaceLimitsAnswerSchema = z
  .object({
    workspaceId: z.string(),
    limits: workspaceLimitsSchema,
    effective: effectiveLimitsSchema,
  })
  .meta({ id: 'WorkspaceLimitsAnswer' });
export type WorkspaceLimitsAnswer = z.infer<typeof workspaceLimitsAnswerSchema>;

/** One workspace's line of the fair share. */
export const workspaceShareSchema = workspaceLimitsAnswerSchema
  .extend({
    name: z.string(),
    slug: z.string(),
    pending: z.number().int().meta({ description: 'Jobs waiting (queued or delayed), in every queue.' }),
    running: z.number().int().meta({ description: 'Jobs running now.' }),
    startedLastMinute: z.number().int().meta({ description: 'Jobs that started in the last minute.' }),
    share: z.number().min(0).max(1).nullable().meta({
      description:
        "The workspace's share of the jobs started in the last minute, across the deployment (0–1); `null` when none started.",
    }),
  })
  .meta({ id: 'WorkspaceShare' });
export type WorkspaceShare = z.infer<typeof workspaceShareSchema>;

/** `GET /v1/fair-share`. */
export const fairShareSchema = z
  .object({
    operator: z.boolean().meta({
      description:
        'Whether the caller operates the deployment (`queues:write` in the operator workspace): then `workspaces` holds every workspace and the caller may set limits.',
    }),
    /** The deployment's defaults. */
    defaults: effectiveLimitsSchema,
    windowSeconds: z.number().int(),
    workspaces: z.array(workspaceShareSchema).meta({
      description: "Every workspace for an operator, busiest first; anyone else's own workspace only.",
    }),
    at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'FairShare' });
export type FairShare = z.infer<typeof fairShareSchema>;
