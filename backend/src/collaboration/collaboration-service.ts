import type { Redis } from 'ioredis';
import { ulid } from 'ulid';
import {
  COLLABORATION_LIMITS,
  PERSON_ACTIVITY_ACTIONS,
  type ActivityAction,
  type ActivityEntry,
  type ActivityFeed,
  type Actor,
  type Claim,
  type Comment,
  type Job,
  type ListActivityQuery,
  type PersonActivityAction,
} from '@flightdeck/contract';
import type { JobEventStream, RedisKeys } from '@flightdeck/workers';
import { ConflictError, ForbiddenError } from '../domain-errors';
import { decodeCursor, encodeCursor, keysetPage, pageById } from '../db/keyset-pages';
import { ActivityModel, CommentModel, JobRecordModel, type ActivityDoc, type CommentDoc } from '../db/models';
import type { JobService } from '../jobs/job-service';

/** Actions people take on a job, recorded in its activity. */
export type PersonAction = PersonActivityAction;

/**
 * The id of a person's action in the job's activity, made before the action so that its event can
 * carry it (`event.activity.id`): a ULID, like every id the API makes.
 */
export const newActivityId = (): string => ulid();

/** How much of a comment its activity entry keeps, for the workspace's feed to quote. */
const COMMENT_EXCERPT_LENGTH = 140;

/**
 * The multiplayer side of a job: comments, claims and the activity that names who did what. Claims
 * are decided in Redis (`SET NX` on the job's claim key: of two people claiming at once exactly one
 * wins), then announced with `job.claimed` / `job.released` events, which also put `claimedBy` on the
 * job's snapshot and, through the projector, on its record.
 */
export class CollaborationService {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly events: JobEventStream,
    private readonly jobs: JobService,
  ) {}

  async comment(workspaceId: string, jobId: string, body: string, author: Actor): Promise<Comment> {
    await this.jobs.get(workspaceId, jobId);
    const comment: Comment = { id: ulid(), jobId, body, author, createdAt: new Date().toISOString() };
    await CommentModel.create({ ...comment, _id: comment.id, workspaceId, createdAt: new Date(comment.createdAt) });
    const activity = { id: newActivityId(), action: 'commented' as const };
    await this.events.append(workspaceId, [{ type: 'comment.created', jobId, actor: author, comment, activity }]);
    const excerpt = body.length > COMMENT_EXCERPT_LENGTH ? `${body.slice(0, COMMENT_EXCERPT_LENGTH - 1)}…` : body;
    await this.recordActivity(workspaceId, jobId, 'commented', author, { commentId: comment.id, excerpt }, activity.id);
    return comment;
  }

  /** Comments oldest first; the cursor is the id of the last comment of the previous page. */
  async comments(
    workspaceId: string,
    jobId: string,
    query: { limit?: number; cursor?: string },
  ): Promise<{ items: Comment[]; nextCursor: string | null }> {
    await this.jobs.get(workspaceId, jobId);
    return pageById(
      CommentModel as never,
      { workspaceId, jobId },
      { order: 'oldest', limit: query.limit ?? COLLABORATION_LIMITS.defaultCommentListLimit, cursor: query.cursor },
      (record: CommentDoc & { _id: string }) => ({
        id: record._id,
        jobId: record.jobId,
        body: record.body,
        author: record.author as Actor,
        createdAt: record.createdAt.toISOString(),
      }),
    );
  }

  /** Claims the job for `actor`. Claiming a job one already holds changes nothing; someone else's: 409. */
  async claim(workspaceId: string, jobId: string, actor: Actor): Promise<Job> {
    const job = await this.jobs.get(workspaceId, jobId);
    const claim: Claim = { id: actor.id, name: actor.name, at: new Date().toISOString() };
    const key = this.keys.claim(workspaceId, jobId);
    const won = await this.redis.set(key, JSON.stringify(claim), 'NX');
    if (!won) {
      const holder = JSON.parse((await this.redis.get(key)) ?? 'null') as Claim | null;
      if (holder && holder.id !== actor.id) {
        throw new ConflictError('job_claimed', `${holder.name} is already on this job (claimed ${holder.at})`);
      }
      if (holder && job.claimedBy?.id === actor.id) return job;
      // Ours but not yet announced (an earlier claim stopped half-way): announce it now.
      if (holder) Object.assign(claim, holder);
      else await this.redis.set(key, JSON.stringify(claim));
    }
    const activity = { id: newActivityId(), action: 'claimed' as const };
    await this.events.append(workspaceId, [{ type: 'job.claimed', jobId, actor, claimedBy: claim, activity }]);
    await this.recordActivity(workspaceId, jobId, 'claimed', actor, {}, activity.id);
    return { ...job, claimedBy: claim };
  }

  /** Releases the claim: its holder may, and so may anyone allowed to override (admins). */
  async release(workspaceId: string, jobId: string, actor: Actor, mayOverride: boolean): Promise<Job> {
    const job = await this.jobs.get(workspaceId, jobId);
    const key = this.keys.claim(workspaceId, jobId);
    const holder = JSON.parse((await this.redis.get(key)) ?? 'null') as Claim | null;
    if (!holder) return { ...job, claimedBy: null };
    if (holder.id !== actor.id && !mayOverride) {
      throw new ForbiddenError(`only ${holder.name}, who holds the claim, or an admin can release it`);
    }
    await this.redis.del(key);
    const activity = { id: newActivityId(), action: 'released' as const };
    await this.events.append(workspaceId, [{ type: 'job.released', jobId, actor, claimedBy: null, activity }]);
    const details = holder.id !== actor.id ? { holder } : {};
    await this.recordActivity(workspaceId, jobId, 'released', actor, details, activity.id);
    return { ...job, claimedBy: null };
  }

  async recordActivity(
    workspaceId: string,
    jobId: string,
    action: PersonAction,
    actor: Actor,
    details: Record<string, unknown> = {},
    /** The id its event carried (`event.activity.id`), when it had one. */
    id: string = newActivityId(),
  ): Promise<void> {
    await ActivityModel.create({ _id: id, workspaceId, jobId, action, actor, details, at: new Date() });
  }

  /**
   * The workspace's activity, newest first by time (then id): what people did (`actor: people`, the
   * default) or that and every job's attempt milestones (`all`), optionally of one action. Each page
   * is one range of an index on `(workspaceId, at, _id)` — or, for people and single actions, on
   * `(workspaceId, action, at, _id)` — plus one look-up of the page's job types.
   */
  async workspaceActivity(workspaceId: string, query: ListActivityQuery): Promise<ActivityFeed> {
    const limit = query.limit ?? COLLABORATION_LIMITS.defaultActivityListLimit;
    const filter: Record<string, unknown> = { workspaceId };
    const people = (query.actor ?? 'people') === 'people';
    if (query.action) {
      // A milestone has no actor: asked for among people's actions, there is none.
      if (people && !isPersonAction(query.action)) return { items: [], nextCursor: null };
      filter.action = query.action;
    } else if (people) {
      // People's actions are exactly the entries with an actor; by action, the query stays on an index.
      filter.action = { $in: PERSON_ACTIVITY_ACTIONS };
    }
    if (query.cursor) {
      const after = decodeActivityCursor(query.cursor);
      // `at ≤` bounds the index range; the `$or` only skips what the previous page already showed.
      filter.at = { $lte: after.at };
      filter.$or = [{ at: { $lt: after.at } }, { _id: { $lt: after.id } }];
    }
    await this.jobs.waitForHistory();
    const records = await ActivityModel.find(filter)
      .sort({ at: -1, _id: -1 })
      .limit(limit + 1)
      .lean<(ActivityDoc & { _id: string })[]>();
    const page = records.slice(0, limit);
    const jobIds = [...new Set(page.map((record) => record.jobId))];
    const jobs =
      jobIds.length === 0
        ? []
        : await JobRecordModel.find({ workspaceId, _id: { $in: jobIds } })
            .select({ type: 1 })
            .lean<{ _id: string; type: string }[]>();
    const typeOf = new Map(jobs.map((job) => [job._id, job.type]));
    return keysetPage(
      records,
      limit,
      (record) => ({
        id: record._id,
        jobId: record.jobId,
        jobType: typeOf.get(record.jobId) ?? null,
        action: record.action as ActivityAction,
        actor: (record.actor as Actor | null) ?? null,
        at: record.at.toISOString(),
        details: (record.details ?? {}) as Record<string, unknown>,
      }),
      (last) => encodeCursor(last.at.getTime(), last._id),
    );
  }

  /** What happened to the job, oldest first: its attempts and what people did, with who. */
  async activity(workspaceId: string, jobId: string): Promise<{ items: ActivityEntry[] }> {
    const job = await this.jobs.get(workspaceId, jobId);
    await this.jobs.waitForHistory();
    const records = await ActivityModel.find({ workspaceId, jobId }).sort({ at: 1, _id: 1 }).limit(1000).lean();
    const created: ActivityEntry = {
      id: `${jobId}:created`,
      action: 'created',
      actor: null,
      at: job.createdAt,
      details: { type: job.type },
    };
    return {
      items: [
        created,
        ...records.map((record) => ({
          id: record._id,
          action: record.action as ActivityAction,
          actor: (record.actor as Actor | null) ?? null,
          at: record.at.toISOString(),
          details: (record.details ?? {}) as Record<string, unknown>,
        })),
      ],
    };
  }
}

const isPersonAction = (action: ActivityAction): action is PersonAction =>
  (PERSON_ACTIVITY_ACTIONS as readonly string[]).includes(action);

/** A page of the workspace's activity ends at `<at ms>:<id>` of its last entry (base64url). */
function decodeActivityCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = decodeCursor(cursor, /^(\d{1,15}):([\x21-\x7e]{1,140})$/);
  return { at: new Date(Number(at)), id };
}
