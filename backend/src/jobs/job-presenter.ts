import type { Job } from '@flightdeck/contract';
import { presentSnapshot, type JobSnapshot, type StoredJob } from '@flightdeck/workers';
import type { JobRecordDoc } from '../db/models';

export type JobRecord = JobRecordDoc & { _id: string };

const iso = (value: Date | string | null | undefined) =>
  value == null ? null : value instanceof Date ? value.toISOString() : value;

/** The job exactly as REST shows it, from its MongoDB record, overlaid with a newer partial snapshot if any. */
export function presentRecord(record: JobRecord, newer?: Partial<JobSnapshot>): Job {
  const { workspaceId: _workspaceId, seq: _seq, ...changes } = newer ?? {};
  return presentSnapshot({
    id: record._id,
    type: record.type,
    queue: record.queue,
    status: record.status as Job['status'],
    progress: record.progress ?? 0,
    payload: JSON.parse(record.payload ?? '{}') as Record<string, unknown>,
    result: JSON.parse(record.result ?? 'null') as unknown,
    error: storedError(record),
    attemptsMade: record.attemptsMade ?? 0,
    attempts: record.attempts ?? 1,
    priority: record.priority ?? 0,
    backoff: (record.backoff as Job['backoff']) ?? null,
    timeoutMs: record.timeoutMs ?? null,
    idempotencyKey: record.idempotencyKey ?? null,
    webhookUrl: record.webhookUrl ?? null,
    createdAt: iso(record.createdAt) ?? '',
    runAt: iso(record.runAt),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
    claimedBy: (record.claimedBy as Job['claimedBy']) ?? null,
    ...changes,
  });
}

/** The record's failure as stored jobs keep it (its stack inside), from `error` and `errorStack`. */
function storedError(record: JobRecord): StoredJob['error'] {
  const error = record.error as StoredJob['error'] | null | undefined;
  if (!error) return null;
  return record.errorStack ? { ...error, stack: record.errorStack } : error;
}
