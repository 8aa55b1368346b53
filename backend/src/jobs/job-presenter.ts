import type { Job } from '@flightdeck/contract';
import type { JobSnapshot } from '@flightdeck/workers';
import type { JobRecordDoc } from '../db/models';

export type JobRecord = JobRecordDoc & { _id: string };

const iso = (value: Date | string | null | undefined) =>
  value == null ? null : value instanceof Date ? value.toISOString() : value;

/** The job exactly as REST shows it, from its Redis snapshot. */
export function presentSnapshot(snapshot: Partial<JobSnapshot> & Pick<JobSnapshot, 'id'>): Job {
  return {
    id: snapshot.id,
    type: snapshot.type ?? '',
    queue: snapshot.queue ?? '',
    status: snapshot.status ?? 'queued',
    progress: snapshot.progress ?? 0,
    payload: snapshot.payload ?? {},
    result: snapshot.result ?? null,
    error: snapshot.error ?? null,
    attemptsMade: snapshot.attemptsMade ?? 0,
    attempts: snapshot.attempts ?? 1,
    priority: snapshot.priority ?? 0,
    backoff: snapshot.backoff ?? null,
    timeoutMs: snapshot.timeoutMs ?? null,
    idempotencyKey: snapshot.idempotencyKey ?? null,
    createdAt: snapshot.createdAt ?? '',
    runAt: snapshot.runAt ?? null,
    startedAt: snapshot.startedAt ?? null,
    finishedAt: snapshot.finishedAt ?? null,
  };
}

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
    createdAt: iso(record.createdAt) ?? '',
    runAt: iso(record.runAt),
    startedAt: iso(record.startedAt),
    finishedAt: iso(record.finishedAt),
  });
  const { workspaceId: _workspaceId, seq: _seq, ...changes } = newer ?? {};
  return { ...fromRecord, ...changes };
}
