import type { Job } from '@flightdeck/contract';

/** The latest known state of a job, kept in Redis beside the event that produced it. */
export type JobSnapshot = Job & { workspaceId: string; seq: number };

type SnapshotFields = Partial<Job> & { workspaceId?: string };

/** Hash fields for a (partial) job: one field per attribute, each value JSON-encoded. */
export function encodeSnapshotFields(fields: SnapshotFields): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) flat.push(name, JSON.stringify(value));
  }
  return flat;
}

export function decodeSnapshot(hash: Record<string, string>): JobSnapshot | null {
  if (!hash.id || !hash.workspaceId) return null;
  const decoded: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(hash)) decoded[name] = JSON.parse(value);
  return decoded as unknown as JobSnapshot;
}

/** The job exactly as REST shows it, from a (possibly partial) snapshot. */
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
    webhookUrl: snapshot.webhookUrl ?? null,
    createdAt: snapshot.createdAt ?? '',
    runAt: snapshot.runAt ?? null,
    startedAt: snapshot.startedAt ?? null,
    finishedAt: snapshot.finishedAt ?? null,
    claimedBy: snapshot.claimedBy ?? null,
  };
}
