import { getNextMillis, type JobSchedulerTemplateOptions } from 'bullmq';
import { ulid } from 'ulid';
import type { CreateSchedule, Schedule, ScheduleJob, UpdateSchedule } from '@flightdeck/contract';
import { findJobType, type JobData } from '@flightdeck/workers';
import { ScheduleModel } from '../db/models';
import { InvalidInputError, NotFoundError, UnavailableError } from '../domain-errors';
import { validatedJobType } from '../jobs/job-validation';
import type { QueueRegistry } from '../jobs/queue-registry';
import type { JobTypeRegistry } from '../job-types/job-type-registry';
import type { RegisteredQueues } from '../job-types/registered-queues';

interface ScheduleRecord {
  _id: string;
  workspaceId: string;
  name: string;
  cron: string;
  timezone: string;
  queue: string;
  job: string;
  createdAt: Date;
  updatedAt: Date;
}

const DEFAULT_TIMEZONE = 'UTC';

/**
 * Schedules: stored in MongoDB (the source of truth) and mirrored into a BullMQ job scheduler with
 * the same id on the job type's queue. BullMQ creates each run as an ordinary job of that queue,
 * with `scheduleId` in its data; the worker announces it with a `job.queued` event when it first
 * picks it up (see JobReporter.scheduledRun).
 */
export class ScheduleService {
  constructor(
    private readonly queues: QueueRegistry,
    /** A workspace's own job types, and their queues: schedules may name them too. */
    private readonly registered?: { registry: JobTypeRegistry; queues: RegisteredQueues },
  ) {}

  async create(workspaceId: string, input: CreateSchedule): Promise<Schedule> {
    const timezone = input.timezone ?? DEFAULT_TIMEZONE;
    nextRun(input.cron, timezone);
    const queue = (await this.validatedType(workspaceId, input.job)).queue;
    const now = new Date();
    const record: ScheduleRecord = {
      _id: ulid(now.getTime()),
      workspaceId,
      name: input.name,
      cron: input.cron,
      timezone,
      queue,
      job: JSON.stringify(input.job),
      createdAt: now,
      updatedAt: now,
    };
    await ScheduleModel.create(record);
    try {
      await this.mirror(record);
    } catch (error) {
      await ScheduleModel.deleteOne({ _id: record._id }).catch(() => undefined);
      throw unavailable(error);
    }
    return presentSchedule(record);
  }

  async list(workspaceId: string): Promise<{ items: Schedule[] }> {
    const records = await ScheduleModel.find({ workspaceId }).sort({ _id: 1 }).lean<ScheduleRecord[]>();
    return { items: records.map(presentSchedule) };
  }

  async get(workspaceId: string, id: string): Promise<Schedule> {
    return presentSchedule(await this.find(workspaceId, id));
  }

  /**
   * MongoDB first, then the job scheduler. If the mirror fails the answer is 503, and the same request
   * again converges (an upsert of the same scheduler is idempotent).
   */
  async update(workspaceId: string, id: string, changes: UpdateSchedule): Promise<Schedule> {
    const current = await this.find(workspaceId, id);
    const cron = changes.cron ?? current.cron;
    const timezone = changes.timezone ?? current.timezone;
    nextRun(cron, timezone);
    const job = changes.job ? JSON.stringify(changes.job) : current.job;
    const queue = changes.job ? (await this.validatedType(workspaceId, changes.job)).queue : current.queue;
    const updated: ScheduleRecord = {
      ...current,
      name: changes.name ?? current.name,
      cron,
      timezone,
      queue,
      job,
      updatedAt: new Date(),
    };
    const { _id, workspaceId: _workspaceId, createdAt: _createdAt, ...fields } = updated;
    await ScheduleModel.updateOne({ _id, workspaceId }, { $set: fields });
    try {
      // A new job type may live on another queue: its old scheduler must go.
      if (queue !== current.queue) await this.queueFor(current.queue).removeJobScheduler(id);
      await this.mirror(updated);
    } catch (error) {
      throw unavailable(error);
    }
    return presentSchedule(updated);
  }

  /** The job scheduler first: if that fails, the schedule is still there to delete again. */
  async remove(workspaceId: string, id: string): Promise<void> {
    const current = await this.find(workspaceId, id);
    try {
      await this.queueFor(current.queue).removeJobScheduler(id);
    } catch (error) {
      throw unavailable(error);
    }
    await ScheduleModel.deleteOne({ _id: id, workspaceId });
  }

  /**
   * Re-creates the job schedulers Redis lost (a wiped or restored-from-old-backup Redis) from MongoDB,
   * the source of truth; run at start. Returns how many it restored.
   */
  async restoreMissing(): Promise<number> {
    let restored = 0;
    for await (const record of ScheduleModel.find().sort({ _id: 1 }).lean<ScheduleRecord[]>().cursor()) {
      const queue = this.queues.get(record.queue);
      if (!queue || (await queue.getJobScheduler(record._id))) continue;
      await this.mirror(record as ScheduleRecord);
      restored++;
    }
    return restored;
  }

  private async find(workspaceId: string, id: string): Promise<ScheduleRecord> {
    const record = await ScheduleModel.findOne({ _id: id, workspaceId }).lean<ScheduleRecord>();
    if (!record) throw new NotFoundError(`schedule ${id} not found`);
    return record;
  }

  /** Validates the job like a submit (a workspace's own types too): the queue its type runs on, its defaults. */
  private async validatedType(workspaceId: string, job: ScheduleJob) {
    const registered =
      this.registered && !findJobType(job.type)
        ? await this.registered.registry.typesFor(workspaceId, [job.type])
        : undefined;
    return validatedJobType(job.type, job.payload ?? {}, 'job.', registered);
  }

  private async mirror(record: ScheduleRecord): Promise<void> {
    const job = JSON.parse(record.job) as ScheduleJob;
    const defaults = (await this.validatedType(record.workspaceId, job)).defaults ?? {};
    const timeoutMs = job.timeoutMs ?? defaults.timeoutMs;
    const backoff = job.backoff ?? defaults.backoff;
    const data: JobData = {
      workspaceId: record.workspaceId,
      payload: job.payload ?? {},
      scheduleId: record._id,
      ...(timeoutMs ? { timeoutMs } : {}),
    };
    const opts: JobSchedulerTemplateOptions = {
      attempts: job.attempts ?? defaults.attempts ?? 1,
      ...(job.priority ? { priority: job.priority } : {}),
      ...(backoff ? { backoff: { type: backoff.type, delay: backoff.delayMs } } : {}),
    };
    await this.queueFor(record.queue).upsertJobScheduler(
      record._id,
      { pattern: record.cron, tz: record.timezone },
      { name: job.type, data, opts },
    );
  }

  private queueFor(name: string) {
    const queue = this.queues.get(name) ?? this.registered?.queues.get(name);
    if (!queue) throw new UnavailableError(`queue ${name} is not configured here`);
    return queue;
  }
}

function presentSchedule(record: ScheduleRecord): Schedule {
  const next = nextRun(record.cron, record.timezone);
  return {
    id: record._id,
    name: record.name,
    cron: record.cron,
    timezone: record.timezone,
    job: JSON.parse(record.job) as ScheduleJob,
    nextRunAt: next === undefined ? null : new Date(next).toISOString(),
    createdAt: new Date(record.createdAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  };
}

/**
 * When the expression next fires, computed by BullMQ's own strategy (so what we accept is what the
 * scheduler runs); a bad time zone or expression is a 422 that says which and why.
 */
function nextRun(cron: string, timezone: string): number | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InvalidInputError(
      'validation_failed',
      `unknown time zone "${timezone}": use an IANA name such as Europe/Paris`,
      [{ path: 'timezone', message: 'not an IANA time zone' }],
    );
  }
  try {
    return getNextMillis(Date.now(), { pattern: cron, tz: timezone });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError('validation_failed', `invalid cron expression "${cron}": ${reason}`, [
      { path: 'cron', message: reason },
    ]);
  }
}

function unavailable(cause: unknown) {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new UnavailableError(`the job scheduler is unavailable (${reason}); try again`);
}
