import { randomBytes } from 'node:crypto';
import { UnrecoverableError, type Job as BullJob } from 'bullmq';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { WorkerJob } from '@flightdeck/contract';
import type { AnyJobType, JobContext, JobData, WorkerRuntime } from '@flightdeck/workers';

/** One connected worker process of a workspace, as the pool sees it. */
export interface RemoteSession {
  readonly id: string;
  readonly workspaceId: string;
  readonly concurrency: number;
  readonly sdkVersion: string;
  /** The types it runs, by BullMQ queue: name → registered version. */
  readonly types: ReadonlyMap<string, ReadonlyMap<string, number>>;
  send(job: WorkerJob): void;
  cancel(dispatchId: string, reason: string): void;
}

/** A job sent to a session and not yet reported ended. */
interface Dispatch {
  dispatchId: string;
  jobId: string;
  queue: string;
  session: RemoteSession;
  context: JobContext;
  /** Cancelled, timed out or handed back here: the worker was told to stop; its slot frees when it reports. */
  stopped: boolean;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface QueueEntry {
  runtime: Promise<WorkerRuntime>;
  sessions: Set<RemoteSession>;
}

export interface RemoteWorkerPoolOptions {
  /** Starts a BullMQ worker on a queue that runs each job through `jobTypeFor`. */
  startRuntime(
    queue: string,
    jobTypeFor: (job: BullJob<JobData>) => AnyJobType,
    concurrency: number,
  ): Promise<WorkerRuntime>;
  /** How long a gone worker's jobs wait for it before they go back to their queue. */
  graceMs: number;
  logger: Logger;
}

/** Acts on a queue's runtime once it runs; one that failed to start was reported by `join`. */
function withRuntime(entry: QueueEntry, act: (runtime: WorkerRuntime) => unknown): void {
  entry.runtime.then(act, () => undefined).catch(() => undefined);
}

/** A registered type's payload was checked on submit (Ajv) and is checked again by the worker (zod). */
const anyPayload = z.record(z.string(), z.unknown());
/** How long a job waits for a free worker of its type before it goes back to its queue. */
const SLOT_WAIT_MS = 2_000;
/** How long such a job then waits before it is taken again. */
const UNSERVED_RETRY_MS = 5_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs registered types' jobs on the workspaces' own worker processes. For each queue that some
 * connected worker serves, a BullMQ worker here holds the jobs on their behalf (lock renewal, state
 * moves, retries, the JobReporter's events, cancellation and timeouts, as for built-in types) and
 * hands each to one connected worker with a free slot: its concurrency is the sum of theirs, and no
 * worker is ever sent more jobs than its own concurrency. A worker that goes away gets `graceMs`;
 * then its jobs go back to their queue (attempt not counted) and run elsewhere.
 */
export class RemoteWorkerPool {
  private readonly queues = new Map<string, QueueEntry>();
  private readonly dispatches = new Map<string, Dispatch>();
  private readonly load = new Map<RemoteSession, number>();
  /** Workers that are closing: they finish what they run and get nothing new. */
  private readonly draining = new Set<RemoteSession>();
  private closed = false;

  constructor(private readonly options: RemoteWorkerPoolOptions) {}

  /** A worker starts serving its types' queues. */
  async join(session: RemoteSession): Promise<void> {
    if (this.closed) throw new Error('the worker pool is closing');
    this.load.set(session, 0);
    for (const queue of session.types.keys()) {
      let entry = this.queues.get(queue);
      if (!entry) {
        entry = {
          sessions: new Set(),
          runtime: this.options.startRuntime(queue, (job) => this.proxyType(queue, job), session.concurrency),
        };
        this.queues.set(queue, entry);
      }
      entry.sessions.add(session);
      const runtime = await entry.runtime.catch((error: unknown) => {
        // Redis away, say: the next worker to come starts the queue's runtime afresh.
        if (this.queues.get(queue) === entry) this.queues.delete(queue);
        this.leave(session, 0);
        throw error;
      });
      runtime.setConcurrency(this.slots(entry));
    }
  }

  /** A worker went away: after the grace its jobs go back to their queues. */
  leave(session: RemoteSession, graceMs = this.options.graceMs): void {
    this.draining.delete(session);
    if (!this.load.delete(session)) return;
    for (const queue of session.types.keys()) {
      const entry = this.queues.get(queue);
      if (!entry) continue;
      entry.sessions.delete(session);
      if (entry.sessions.size > 0) withRuntime(entry, (runtime) => runtime.setConcurrency(this.slots(entry)));
    }
    const orphans = [...this.dispatches.values()].filter((dispatch) => dispatch.session === session);
    if (orphans.length === 0) return this.closeIdleQueues();
    setTimeout(() => {
      for (const dispatch of orphans) {
        if (this.dispatches.get(dispatch.dispatchId) !== dispatch) continue;
        this.end(dispatch);
        if (dispatch.stopped) continue;
        this.options.logger.info(
          { jobId: dispatch.jobId, worker: session.id },
          'remote worker gone: handing its job back',
        );
        const entry = this.queues.get(dispatch.queue);
        if (entry) withRuntime(entry, (runtime) => runtime.handBack(dispatch.jobId));
      }
      this.closeIdleQueues();
    }, graceMs).unref();
  }

  /** A worker that is closing gets no more jobs; its queues' concurrency drops by its share. */
  drain(session: RemoteSession): void {
    if (!this.load.has(session) || this.draining.has(session)) return;
    this.draining.add(session);
    for (const queue of session.types.keys()) {
      const entry = this.queues.get(queue);
      if (entry) withRuntime(entry, (runtime) => runtime.setConcurrency(this.slots(entry)));
    }
  }

  /** The dispatch a worker reports on, if it is that worker's and still running. */
  dispatchOf(session: RemoteSession, dispatchId: string): Dispatch | undefined {
    const dispatch = this.dispatches.get(dispatchId);
    return dispatch?.session === session ? dispatch : undefined;
  }

  /** Jobs a worker runs now. */
  inFlight(session: RemoteSession): number {
    return this.load.get(session) ?? 0;
  }

  completed(dispatch: Dispatch, result: unknown): void {
    this.end(dispatch);
    if (!dispatch.stopped) dispatch.resolve(result);
  }

  failed(dispatch: Dispatch, report: { message: string; stack?: string; unrecoverable?: boolean }): void {
    this.end(dispatch);
    if (dispatch.stopped) return;
    const error = report.unrecoverable ? new UnrecoverableError(report.message) : new Error(report.message);
    if (report.stack) error.stack = report.stack;
    dispatch.reject(error);
  }

  /** Stops every queue's worker: jobs still running after `timeoutMs` go back to their queues. */
  async close(timeoutMs: number): Promise<void> {
    this.closed = true;
    const entries = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(
      entries.map((entry) =>
        entry.runtime.then(
          (runtime) => runtime.close(timeoutMs),
          () => undefined,
        ),
      ),
    );
  }

  private slots(entry: QueueEntry): number {
    let slots = 0;
    for (const session of entry.sessions) if (!this.draining.has(session)) slots += session.concurrency;
    return Math.max(1, slots);
  }

  /** Closes the workers of queues no connected worker serves (their jobs wait in Redis meanwhile). */
  private closeIdleQueues(): void {
    for (const [queue, entry] of this.queues) {
      if (entry.sessions.size > 0) continue;
      this.queues.delete(queue);
      withRuntime(entry, (runtime) => runtime.close(0));
    }
  }

  private end(dispatch: Dispatch): void {
    const load = this.load.get(dispatch.session);
    if (this.dispatches.delete(dispatch.dispatchId) && load !== undefined)
      this.load.set(dispatch.session, Math.max(0, load - 1));
  }

  /** How the queue's BullMQ worker runs one of its jobs: on a connected worker of its workspace. */
  private proxyType(queue: string, job: BullJob<JobData>): AnyJobType {
    return {
      type: job.name,
      queue: queue as AnyJobType['queue'],
      payloadSchema: anyPayload,
      run: (payload: Record<string, unknown>, context: JobContext) => this.dispatch(queue, job, payload, context),
    };
  }

  private async dispatch(
    queue: string,
    job: BullJob<JobData>,
    payload: Record<string, unknown>,
    context: JobContext,
  ): Promise<unknown> {
    const session = await this.freeSession(queue, job);
    // It may have left in the await: its jobs were handed back without this one.
    if (!session || !this.load.has(session)) {
      // No worker of this type has room (one left, or the queue's workers serve other types): back to
      // the queue for a while, attempt not counted, behind the jobs that can run (at the head it
      // would be taken again at once, in front of them). The handler's signal then ends this call.
      const entry = this.queues.get(queue);
      if (entry) withRuntime(entry, (runtime) => runtime.handBack(context.jobId, UNSERVED_RETRY_MS));
      return new Promise(() => undefined);
    }
    const dispatchId = randomBytes(12).toString('base64url');
    return new Promise((resolve, reject) => {
      const dispatch: Dispatch = {
        dispatchId,
        jobId: context.jobId,
        queue,
        session,
        context,
        stopped: false,
        resolve,
        reject,
      };
      this.dispatches.set(dispatchId, dispatch);
      context.signal.addEventListener(
        'abort',
        () => {
          if (!this.dispatches.has(dispatchId)) return;
          // The attempt ends here now (BullMQ's processor races the signal); the worker's slot stays
          // taken until it says its handler stopped, so it never holds more than its concurrency.
          dispatch.stopped = true;
          session.cancel(dispatchId, String((context.signal.reason as Error)?.message ?? 'stopped'));
        },
        { once: true },
      );
      session.send({
        dispatchId,
        jobId: context.jobId,
        type: job.name,
        version: session.types.get(queue)?.get(job.name) ?? 0,
        payload,
        attempt: context.attempt,
      });
    });
  }

  /**
   * The least busy connected worker of the job's workspace that runs its type and has a free slot,
   * which is taken at once: between choosing and sending there is an await, and another job of the
   * queue must not be given the same slot meanwhile.
   */
  private async freeSession(queue: string, job: BullJob<JobData>): Promise<RemoteSession | undefined> {
    const deadline = Date.now() + SLOT_WAIT_MS;
    for (;;) {
      let best: RemoteSession | undefined;
      for (const session of this.queues.get(queue)?.sessions ?? []) {
        // Queues are per workspace; this is the second lock on that door.
        if (session.workspaceId !== job.data.workspaceId || !session.types.get(queue)?.has(job.name)) continue;
        if (this.draining.has(session)) continue;
        const load = this.load.get(session) ?? 0;
        if (load < session.concurrency && (!best || load < (this.load.get(best) ?? 0))) best = session;
      }
      if (best) {
        this.load.set(best, (this.load.get(best) ?? 0) + 1);
        return best;
      }
      if (Date.now() > deadline) return undefined;
      await sleep(50);
    }
  }
}
