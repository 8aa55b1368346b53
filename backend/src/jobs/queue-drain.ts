import type { Actor } from '@flightdeck/contract';
import type { JobData } from '@flightdeck/workers';
import type { Queue } from 'bullmq';
import { AuditLog, type AuditContext } from '../audit/audit-log';
import { NotFoundError } from '../domain-errors';
import type { FairShare } from '../fair-share/fair-share';
import { mapWithConcurrency } from './bounded-concurrency';
import { JobActions, type DrainedJob } from './job-actions';
import type { JobService } from './job-service';
import type { QueueOverview, QueueOverviewService } from './queue-overview';

/** Job ids read from the queue at a time. */
const DRAIN_PAGE_SIZE = 500;
/** Jobs cancelled at once: each cancel is a few Redis round trips. */
const CANCELS_AT_ONCE = 16;

/** BullMQ states of jobs that wait: plain, prioritized, and (when asked) delayed. */
type WaitingState = 'wait' | 'prioritized' | 'delayed';

export interface DrainOptions {
  /** Also cancel delayed jobs (and jobs waiting out a retry backoff). */
  delayed: boolean;
}

export interface DrainResult {
  queue: QueueOverview;
  /** Jobs cancelled. */
  drained: number;
  /** Jobs found waiting and not cancelled: taken by a worker or ended meanwhile, or upcoming schedule runs. */
  skipped: number;
  /** Jobs cancelled, by the workspace they belong to. */
  byWorkspace: Map<string, number>;
}

/** What became of one waiting job. */
type Outcome =
  | { kind: 'cancelled'; workspaceId: string; activityId: string }
  /** It is no longer waiting (a worker took it, it ended, or it was removed). */
  | { kind: 'moved-on' }
  /** It waits on and is not the drain's to cancel: a schedule's upcoming run, which the schedule owns. */
  | { kind: 'stays' };

/**
 * Draining a queue: every job waiting in it is cancelled through the path of people's actions on jobs
 * (`JobActions.cancelWaiting`), so each gets its `job.cancelled` event, attributed to whoever drained,
 * in its own workspace's stream — and from there its history record and webhook — and a `cancelled`
 * entry in its activity; the drain is audited in the drainer's workspace and in each other one it
 * touched. Active jobs are left to finish. Not BullMQ's `drain()`, which deletes jobs without a trace.
 */
export class QueueDrainService {
  constructor(
    private readonly overview: QueueOverviewService,
    jobs: JobService,
    /** Fair share: jobs of a shared queue wait in the workspaces' lanes before BullMQ has them. */
    private readonly fairShare?: FairShare,
    private readonly actions = new JobActions(jobs, new AuditLog()),
  ) {}

  /** Drains queue `name` for the caller (`workspaceId`, `context`: who, from where), and audits it. */
  async drain(name: string, workspaceId: string, context: AuditContext, options: DrainOptions): Promise<DrainResult> {
    const queue = this.overview.queueNamed(name);
    const { actor } = context;
    const states: WaitingState[] = options.delayed ? ['wait', 'prioritized', 'delayed'] : ['wait', 'prioritized'];
    const tally: Omit<DrainResult, 'queue'> = { drained: 0, skipped: 0, byWorkspace: new Map() };
    // The lanes first: a job a dispatch moves to BullMQ meanwhile is found there next.
    if (this.fairShare?.covers(name)) await this.drainLanes(name, actor, options, tally);
    for (const state of states) await this.drainState(queue, state, actor, tally);
    const result = { queue: await this.overview.describeNamed(name), ...tally };
    await this.actions.auditDrain(workspaceId, context, name, { ...tally, delayed: options.delayed });
    return result;
  }

  /**
   * Cancels the jobs of one state, oldest first, a page at a time. The drain takes as many jobs as the
   * state held when it began, so it ends even while submitters keep adding jobs. Cancelled jobs leave
   * the state, so each page is read from the start again, past the jobs that stay.
   */
  private async drainState(
    queue: Queue<JobData>,
    state: WaitingState,
    actor: Actor,
    tally: Omit<DrainResult, 'queue'>,
  ): Promise<void> {
    let budget = await queue.getJobCountByTypes(state);
    const staying = new Set<string>();
    while (budget > 0) {
      const end = staying.size + Math.min(DRAIN_PAGE_SIZE, budget) - 1;
      const ids = (await queue.getRanges([state], 0, end, true)).filter((id) => !staying.has(id));
      if (ids.length === 0) return;
      budget -= ids.length;
      const outcomes = await mapWithConcurrency(ids, CANCELS_AT_ONCE, (id) => this.cancelOne(queue, id, actor));
      const cancelled: DrainedJob[] = [];
      outcomes.forEach((outcome, index) => {
        const jobId = ids[index]!;
        if (outcome.kind === 'cancelled') {
          cancelled.push({ workspaceId: outcome.workspaceId, jobId, activityId: outcome.activityId });
          tally.byWorkspace.set(outcome.workspaceId, (tally.byWorkspace.get(outcome.workspaceId) ?? 0) + 1);
        } else {
          if (outcome.kind === 'stays') staying.add(jobId);
          tally.skipped++;
        }
      });
      tally.drained += cancelled.length;
      await this.actions.recordDrained(cancelled, actor, queue.name);
    }
  }

  /** Cancels the jobs waiting in the queue's lanes (and due-time sets, when delayed jobs are drained too). */
  private async drainLanes(
    queue: string,
    actor: Actor,
    options: DrainOptions,
    tally: Omit<DrainResult, 'queue'>,
  ): Promise<void> {
    const waiting = await this.fairShare!.laneJobs(queue, options.delayed);
    for (let start = 0; start < waiting.length; start += DRAIN_PAGE_SIZE) {
      const page = waiting.slice(start, start + DRAIN_PAGE_SIZE);
      const outcomes = await mapWithConcurrency(page, CANCELS_AT_ONCE, ({ workspaceId, jobId }) =>
        this.actions.cancelWaiting(workspaceId, jobId, actor).catch(() => null),
      );
      const cancelled: DrainedJob[] = [];
      outcomes.forEach((activityId, index) => {
        const { workspaceId, jobId } = page[index]!;
        if (!activityId) {
          tally.skipped++;
          return;
        }
        cancelled.push({ workspaceId, jobId, activityId });
        tally.byWorkspace.set(workspaceId, (tally.byWorkspace.get(workspaceId) ?? 0) + 1);
      });
      tally.drained += cancelled.length;
      await this.actions.recordDrained(cancelled, actor, queue);
    }
  }

  private async cancelOne(queue: Queue<JobData>, id: string, actor: Actor): Promise<Outcome> {
    const bullJob = await queue.getJob(id);
    if (!bullJob) return { kind: 'moved-on' };
    const { workspaceId } = bullJob.data;
    let activityId: string | null;
    try {
      activityId = await this.actions.cancelWaiting(workspaceId, id, actor);
      if (!activityId) return { kind: 'moved-on' };
    } catch (error) {
      // Unknown to the workspace: a schedule's run, announced only when a worker first takes it.
      if (error instanceof NotFoundError) return { kind: 'stays' };
      throw error;
    }
    return { kind: 'cancelled', workspaceId, activityId };
  }
}
