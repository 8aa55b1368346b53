import type { Job } from '@flightdeck/contract';
import { presentSnapshot, type JobSnapshot } from '@flightdeck/workers';
import type { JobRecordDoc } from '../db/models';

export type JobRecord = JobRecordDoc & { _id: string };

const iso = (value: Date | string | null | undefined) =>
  value == null ? null : value instanceof Date ? value.toISOString() : value;

/** The job exactly as REST shows it, from its MongoDB record, overlaid with a newer partial snapshot if any. */
export function presentRecord(record: JobRecord, newer?: Partial<JobSnapshot>): Job {
  const fromRecord = presentSnapshot({
    id: record._id,
    type: record.type,
    queue: record.queue,
    status: record.status as Job['status'],
    progress: record.progress ?? 0,
    payload: JSON.parse(record.payload ?? '{}') as Record<string, unknown>,
    result: JSON.parse(record.result ?? 'null') as unknown,
    error: (record.error as Job['error']) ?? null,
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
  });
  const { workspaceId: _workspaceId, seq: _seq, ...changes } = newer ?? {};
  return { ...fromRecord, ...changes };
}
