import type { Redis } from 'ioredis';
import { ulid } from 'ulid';
import {
  COLLABORATION_LIMITS,
  type ActivityAction,
  type ActivityEntry,
  type Actor,
  type Claim,
  type Comment,
  type Job,
} from '@flightdeck/contract';
import type { JobEventStream, RedisKeys } from '@flightdeck/workers';
import { conflict, forbidden } from '../api/http-errors';
import { pageById } from '../db/id-pages';
import { ActivityModel, CommentModel, type CommentDoc } from '../db/models';
import type { JobService } from '../jobs/job-service';

/** Actions people take on a job, recorded in its activity. */
export type PersonAction = Extract<
  ActivityAction,
  'cancelled' | 'retried' | 'promoted' | 'claimed' | 'released' | 'commented'
>;

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
    await this.events.append(workspaceId, [{ type: 'comment.created', jobId, actor: author, comment }]);
    await this.recordActivity(workspaceId, jobId, 'commented', author, { commentId: comment.id });
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
        throw conflict('job_claimed', `${holder.name} is already on this job (claimed ${holder.at})`);
      }
      if (holder && job.claimedBy?.id === actor.id) return job;
      // Ours but not yet announced (an earlier claim stopped half-way): announce it now.
      if (holder) Object.assign(claim, holder);
      else await this.redis.set(key, JSON.stringify(claim));
    }
    await this.events.append(workspaceId, [{ type: 'job.claimed', jobId, actor, claimedBy: claim }]);
    await this.recordActivity(workspaceId, jobId, 'claimed', actor);
    return { ...job, claimedBy: claim };
  }

  /** Releases the claim: its holder may, and so may anyone allowed to override (admins). */
  async release(workspaceId: string, jobId: string, actor: Actor, mayOverride: boolean): Promise<Job> {
    const job = await this.jobs.get(workspaceId, jobId);
    const key = this.keys.claim(workspaceId, jobId);
    const holder = JSON.parse((await this.redis.get(key)) ?? 'null') as Claim | null;
    if (!holder) return { ...job, claimedBy: null };
    if (holder.id !== actor.id && !mayOverride) {
      throw forbidden(`only ${holder.name}, who holds the claim, or an admin can release it`);
    }
    await this.redis.del(key);
    await this.events.append(workspaceId, [{ type: 'job.released', jobId, actor, claimedBy: null }]);
    await this.recordActivity(workspaceId, jobId, 'released', actor, holder.id !== actor.id ? { holder } : {});
    return { ...job, claimedBy: null };
  }

  async recordActivity(
    workspaceId: string,
    jobId: string,
    action: PersonAction,
    actor: Actor,
    details: Record<string, unknown> = {},
  ): Promise<void> {
    await ActivityModel.create({ _id: ulid(), workspaceId, jobId, action, actor, details, at: new Date() });
  }

  /** What happened to the job, oldest first: its attempts and what people did, with who. */
  async activity(workspaceId: string, jobId: string): Promise<{ items: ActivityEntry[] }> {
    const job = await this.jobs.get(workspaceId, jobId);
    await this.jobs.waitForHistory();
    const records = await ActivityModel.find({ workspaceId, jobId }).sort({ at: 1, _id: 1 }).limit(1000).lean();
    const created: ActivityEntry = { action: 'created', actor: null, at: job.createdAt, details: { type: job.type } };
    return {
      items: [
        created,
        ...records.map((record) => ({
          action: record.action as ActivityAction,
          actor: (record.actor as Actor | null) ?? null,
          at: record.at.toISOString(),
          details: (record.details ?? {}) as Record<string, unknown>,
        })),
      ],
    };
  }
}
