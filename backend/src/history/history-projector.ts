import type { Redis } from 'ioredis';
import type { mongo } from 'mongoose';
import type { Logger } from 'pino';
import { decodeEvent, entryFields, type RedisKeys } from '@flightdeck/workers';
import { ActivityModel, JobLogModel, JobRecordModel, WorkspaceModel } from '../db/models';
import { RedisLease } from '../ops/redis-lease';
import { WEBHOOK_EVENT_TYPES, type WebhookDelivery, type WebhookEnqueuer } from '../webhooks/webhook-deliverer';
import { endpointDeliveries } from '../webhooks/webhook-endpoints';

const DATE_FIELDS = new Set(['createdAt', 'runAt', 'startedAt', 'finishedAt']);
const JSON_FIELDS = new Set(['payload', 'result']);
const LEADERSHIP_MS = 10_000;
const DUPLICATE_KEY = 11000;
const RECORD_FIELDS = ['type', 'queue', 'status', 'payload', 'createdAt'];
const WEBHOOK_EVENTS = new Set<string>(WEBHOOK_EVENT_TYPES);

/** The driver's collection behind the model: inserts without mongoose's per-document work. Ids are strings. */
const jobRecords = () => JobRecordModel.collection as unknown as mongo.Collection<{ _id: string }>;
const jobLogs = () => JobLogModel.collection as unknown as mongo.Collection<{ _id: string }>;
const activities = () => ActivityModel.collection as unknown as mongo.Collection<{ _id: string }>;

/** The attempt milestones a job's activity shows, by the event that marks them. */
const ATTEMPT_ACTIONS: Partial<Record<string, string>> = {
  'job.active': 'started',
  'job.retrying': 'retrying',
  'job.completed': 'completed',
  'job.failed': 'failed',
};

/** Whether a change holds everything a new job record needs. */
const isWholeRecord = (change: Record<string, unknown>) => RECORD_FIELDS.every((field) => change[field] !== undefined);
/**
 * Updates per bulk-write command. FerretDB 1.24 (SQLite) never answers an update command of 100 or
 * more statements that match existing documents, and then blocks later writes; smaller commands
 * are fine there and cost MongoDB little.
 */
const WRITES_PER_COMMAND = 50;

type StreamEntry = [id: string, fields: string[]];

/**
 * Writes job events into MongoDB history in batches. One projector in the deployment leads at a
 * time (a lease in Redis), reads the history stream in order from its cursor, writes each batch
 * with one bulk write, then advances the cursor and trims what it wrote. A crash between write and
 * cursor replays the batch, which converges to the same documents.
 */
export class HistoryProjector {
  private readonly lease: RedisLease;
  private running = false;
  private loop: Promise<void> | null = null;

  /** `redis` is the projector's own connection (it blocks on reads); `stop` closes it. */
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly batchSize: number,
    private readonly logger: Logger,
    /** Receives the webhook deliveries of final events, after their batch is written. */
    private readonly webhooks?: WebhookEnqueuer,
  ) {
    this.lease = new RedisLease(redis, keys.historyLeader, LEADERSHIP_MS);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.lease.release().catch(() => undefined);
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.lease.hold())) {
          await sleep(1_000);
          continue;
        }
        const cursor = (await this.redis.get(this.keys.historyCursor)) ?? '0-0';
        const answer = (await this.redis.xread(
          'COUNT',
          this.batchSize,
          'BLOCK',
          500,
          'STREAMS',
          this.keys.history,
          cursor,
        )) as [string, StreamEntry[]][] | null;
        const entries = answer?.[0]?.[1] ?? [];
        if (entries.length === 0) continue;
        await this.write(entries);
        const last = entries[entries.length - 1]![0];
        await this.redis.multi().set(this.keys.historyCursor, last).xtrim(this.keys.history, 'MINID', last).exec();
      } catch (error) {
        if (!this.running) break;
        this.logger.error({ err: error }, 'history projection failed; retrying');
        await sleep(1_000);
      }
    }
  }

  private async write(entries: StreamEntry[]): Promise<void> {
    const changes = new Map<string, Record<string, unknown>>();
    const logLines: Record<string, unknown>[] = [];
    const attempts: Record<string, unknown>[] = [];
    const deliveries: WebhookDelivery[] = [];
    /** Final events whose job came partial (its snapshot had expired): their URL is in the record. */
    const partialFinals: Omit<WebhookDelivery, 'url'>[] = [];
    /** Every final event, for the workspaces' webhook endpoints. */
    const finals: Omit<WebhookDelivery, 'url'>[] = [];
    const decoded = entries.map(([, fields]) => entryFields(fields));
    // A deleted workspace's history is gone; what its jobs' workers report after the delete (a
    // running job's cancellation, say) must not bring records of it back.
    const existing = await existingWorkspaces(decoded.map((entry) => entry.w!));
    for (const entry of decoded) {
      if (!existing.has(entry.w!)) continue;
      const event = decodeEvent(Number(entry.s), entry);
      if (event.type === 'job.log') {
        if (!event.jobId) continue;
        const seq = Number(entry.s);
        const at = new Date(event.at);
        (event.lines ?? []).forEach((line, index) =>
          logLines.push({
            _id: `${event.jobId}:${seq}:${index}`,
            workspaceId: entry.w,
            jobId: event.jobId,
            seq,
            index,
            line,
            at,
          }),
        );
        continue;
      }
      if (event.type === 'job.claimed' || event.type === 'job.released') {
        if (!event.jobId) continue;
        const change = changes.get(event.jobId) ?? { workspaceId: entry.w };
        change.claimedBy = event.claimedBy ?? null;
        change.seq = Number(entry.s);
        changes.set(event.jobId, change);
        continue;
      }
      // Comments are written to MongoDB when they are made; their events are for live delivery.
      if (event.type === 'comment.created' || !event.jobId || !event.job) continue;
      const milestone = ATTEMPT_ACTIONS[event.type];
      if (milestone) {
        const { attemptsMade = 0, error } = event.job;
        attempts.push({
          _id: `${event.jobId}:${entry.s}`,
          workspaceId: entry.w,
          jobId: event.jobId,
          action: milestone,
          actor: null,
          // The attempt an event is about: `active` comes before its attempt counts as made.
          details: {
            attempt: event.type === 'job.active' ? attemptsMade + 1 : attemptsMade,
            ...(error ? { error: error.message } : {}),
          },
          at: new Date(event.at),
        });
      }
      if (this.webhooks && WEBHOOK_EVENTS.has(event.type)) {
        const delivery = {
          workspaceId: entry.w!,
          jobId: event.jobId,
          eventType: event.type as WebhookDelivery['eventType'],
          deliveryId: `${event.jobId}:${event.type}:${entry.s}`,
        };
        finals.push(delivery);
        if (event.job.webhookUrl) deliveries.push({ ...delivery, url: event.job.webhookUrl });
        else if (!event.job.type) partialFinals.push(delivery);
      }
      const change = changes.get(event.jobId) ?? { workspaceId: entry.w };
      for (const [name, value] of Object.entries(event.job)) {
        if (name === 'id' || value === undefined) continue;
        change[name] =
          DATE_FIELDS.has(name) && value
            ? new Date(value as string)
            : JSON_FIELDS.has(name)
              ? JSON.stringify(value)
              : value;
      }
      change.seq = Number(entry.s);
      changes.set(event.jobId, change);
    }
    // A job first seen in this batch with its whole record (its submit) is inserted: inserts are
    // cheap everywhere, where an upsert on FerretDB scans the collection. If it exists after all
    // (a retry re-announces the whole job, or this batch is replayed), it is updated instead.
    const updates = [...changes].filter(([, change]) => !isWholeRecord(change));
    const inserts = [...changes].filter(([, change]) => isWholeRecord(change));
    if (inserts.length > 0) {
      const documents = inserts.map(([id, change]) => ({ _id: id, ...change }));
      try {
        await jobRecords().insertMany(documents, { ordered: false });
      } catch (error) {
        const failed = (error as { writeErrors?: { index: number; code?: number }[] }).writeErrors;
        if (!onlyDuplicates(failed)) throw error;
        updates.push(...failed.map((write) => inserts[write.index]!));
      }
    }
    await insertIgnoringDuplicates(jobLogs(), logLines);
    await insertIgnoringDuplicates(activities(), attempts);
    const writes = updates.map(([id, change]) => ({
      updateOne: { filter: { _id: id }, update: { $set: change }, upsert: true },
    }));
    for (let start = 0; start < writes.length; start += WRITES_PER_COMMAND) {
      await JobRecordModel.bulkWrite(writes.slice(start, start + WRITES_PER_COMMAND), { ordered: false });
    }
    if (this.webhooks) {
      deliveries.push(...(await withRecordedUrls(partialFinals)), ...(await endpointDeliveries(finals)));
      // After the write and before the cursor moves: a crash replays the batch, and the deliveries'
      // deterministic ids keep a replay from queueing any twice.
      await this.webhooks.enqueue(deliveries);
    }
  }
}

/** Which of `ids` are workspaces that exist. */
async function existingWorkspaces(ids: string[]): Promise<Set<string>> {
  const found = await WorkspaceModel.find({ _id: { $in: [...new Set(ids)] } }, { _id: 1 }).lean<{ _id: string }[]>();
  return new Set(found.map((workspace) => workspace._id));
}

/** The deliveries whose job record has a webhook URL, with it. */
async function withRecordedUrls(partial: Omit<WebhookDelivery, 'url'>[]): Promise<WebhookDelivery[]> {
  if (partial.length === 0) return [];
  const records = await JobRecordModel.find(
    { _id: { $in: partial.map((delivery) => delivery.jobId) } },
    { webhookUrl: 1 },
  ).lean<{ _id: string; webhookUrl?: string | null }[]>();
  const urls = new Map(records.map((record) => [record._id, record.webhookUrl]));
  return partial.flatMap((delivery) => {
    const url = urls.get(delivery.jobId);
    return url ? [{ ...delivery, url }] : [];
  });
}

/** Inserts in commands of at most `WRITES_PER_COMMAND`; documents already there (a replay) are skipped. */
async function insertIgnoringDuplicates(
  collection: mongo.Collection<{ _id: string }>,
  documents: Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < documents.length; start += WRITES_PER_COMMAND) {
    const chunk = documents.slice(start, start + WRITES_PER_COMMAND) as { _id: string }[];
    try {
      await collection.insertMany(chunk, { ordered: false });
    } catch (error) {
      if (!onlyDuplicates((error as { writeErrors?: { code?: number }[] }).writeErrors)) throw error;
    }
  }
}

/**
 * Whether a bulk insert failed only because some documents were there already (a replay). A bulk
 * error with no write errors at all failed on the connection (MongoDB went away mid-batch): nothing
 * says what was written, so the batch must be written again, not taken as done.
 */
function onlyDuplicates(writeErrors: { code?: number }[] | undefined): writeErrors is { code?: number }[] {
  return !!writeErrors && writeErrors.length > 0 && writeErrors.every((write) => write.code === DUPLICATE_KEY);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
