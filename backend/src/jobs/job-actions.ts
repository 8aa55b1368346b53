import type { Actor, Job, PersonActivityAction } from '@flightdeck/contract';
import type { AuditContext, AuditLog } from '../audit/audit-log';
import { newActivityId } from '../collaboration/collaboration-service';
import { ActivityModel } from '../db/models';
import { DomainError } from '../domain-errors';
import { mapWithConcurrency } from './bounded-concurrency';
import type { JobService } from './job-service';

/** What a person may do to a job by hand, one at a time or in bulk. */
export type JobAction = 'cancel' | 'retry' | 'promote';

/** One job's result in a bulk action: the job after it, or why it was refused. */
export type BulkJobResult =
  { id: string; ok: true; job: Job } | { id: string; ok: false; error: { code: string; message: string } };

/** A job a drain cancelled, and the id of the activity entry that records it. */
export interface DrainedJob {
  workspaceId: string;
  jobId: string;
  activityId: string;
}

const DONE: Record<JobAction, 'cancelled' | 'retried' | 'promoted'> = {
  cancel: 'cancelled',
  retry: 'retried',
  promote: 'promoted',
};
/** Jobs of one bulk selection acted on at once. */
const BULK_AT_ONCE = 8;

/**
 * One path for a person's action on jobs — a single job, a bulk selection, a queue drain: the id of
 * its activity entry is made first, so the action's event names it (`event.activity`); then the
 * action (`JobService`), the activity entry (who did it; `bulk` or `drainedQueue` when that is how),
 * and the audit entry (who, from where). Claims are the collaboration service's (`claim`, `release`).
 */
export class JobActions {
  constructor(
    private readonly jobs: JobService,
    private readonly audit: AuditLog,
  ) {}

  /** One job: `cancel`, `retry` or `promote`, attributed to the caller, in its activity and the audit log. */
  async perform(
    action: JobAction,
    workspaceId: string,
    id: string,
    context: AuditContext,
    details: { bulk?: true } = {},
  ): Promise<Job> {
    const activityId = newActivityId();
    const job = await this.jobs[action](workspaceId, id, context.actor, activityId);
    const done = DONE[action];
    await recordActivity([{ workspaceId, jobId: id, activityId }], done, context.actor, details);
    await this.audit.record(workspaceId, context, `job.${done}`, { type: 'job', id }, { type: job.type, ...details });
    return job;
  }

  /**
   * A bulk selection: each job as `perform` does it (marked `bulk`), a few at a time; one result per
   * id, in order. A refusal of one job (not found, not cancellable…) is its result; an outage fails all.
   */
  performEach(action: JobAction, workspaceId: string, ids: string[], context: AuditContext): Promise<BulkJobResult[]> {
    return mapWithConcurrency(ids, BULK_AT_ONCE, async (id): Promise<BulkJobResult> => {
      try {
        return { id, ok: true, job: await this.perform(action, workspaceId, id, context, { bulk: true }) };
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
        return { id, ok: false, error: { code: error.code, message: error.message } };
      }
    });
  }

  /**
   * A drain's cancel of one job, only while it waits (`JobService.cancelWaiting`): the id of the
   * activity entry its event names, or null when it no longer waits. `recordDrained` writes the entries.
   */
  async cancelWaiting(workspaceId: string, jobId: string, actor: Actor): Promise<string | null> {
    const activityId = newActivityId();
    const cancelled = await this.jobs.cancelWaiting(workspaceId, jobId, actor, activityId);
    return cancelled ? activityId : null;
  }

  /**
   * The activity entries of jobs a drain cancelled — who cancelled each, as after a single cancel, and
   * that a drain of `queue` did it — one insert per page, as a round trip per job would make a drain
   * of thousands crawl.
   */
  async recordDrained(drained: DrainedJob[], actor: Actor, queue: string): Promise<void> {
    await recordActivity(drained, 'cancelled', actor, { drainedQueue: queue });
  }

  /**
   * The audit entries of a drain: one in the drainer's workspace with the totals, and one in each
   * other workspace whose jobs it cancelled, naming who did it (not from which address).
   */
  async auditDrain(
    workspaceId: string,
    context: AuditContext,
    queue: string,
    result: { drained: number; skipped: number; byWorkspace: Map<string, number>; delayed: boolean },
  ): Promise<void> {
    const { drained, skipped, byWorkspace, delayed } = result;
    const target = { type: 'queue', id: queue };
    await this.audit.record(workspaceId, context, 'queue.drained', target, {
      count: drained,
      delayed,
      skipped,
      workspaces: byWorkspace.size,
    });
    const elsewhere = { actor: context.actor, ip: null, userAgent: null };
    await Promise.all(
      [...byWorkspace]
        .filter(([affected]) => affected !== workspaceId)
        .map(([affected, count]) =>
          this.audit.record(affected, elsewhere, 'queue.drained', target, { count, delayed }),
        ),
    );
  }
}

/** The activity entries of one action on jobs, each under the id its event named. */
async function recordActivity(
  jobs: { workspaceId: string; jobId: string; activityId: string }[],
  action: PersonActivityAction,
  actor: Actor,
  details: Record<string, unknown>,
): Promise<void> {
  if (jobs.length === 0) return;
  const at = new Date();
  await ActivityModel.insertMany(
    jobs.map(({ workspaceId, jobId, activityId }) => ({
      _id: activityId,
      workspaceId,
      jobId,
      action,
      actor,
      details,
      at,
    })),
  );
}
