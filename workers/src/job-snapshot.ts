import type { Job, JobError } from '@flightdeck/contract';

/** A job as Flightdeck keeps it: its failure whole (message and stack in one), as drafts report it. */
export type StoredJob = Omit<Job, 'error' | 'errorStack'> & { error: JobError | null };

/** The latest known state of a job, kept in Redis beside the event that produced it. */
export type JobSnapshot = StoredJob & { workspaceId: string; seq: number };

type SnapshotFields = Partial<StoredJob> & { workspaceId?: string };

/** A job as REST shows it, back in the shape Flightdeck stores (its stack inside `error`). */
export function storedJob(job: Job): StoredJob {
  const { errorStack, ...rest } = job;
  return { ...rest, error: job.error ? { ...job.error, ...(errorStack ? { stack: errorStack } : {}) } : null };
}

/** A stored failure as REST and events show it: `error: { message }` and `errorStack`. */
export function presentError(error: JobError | null | undefined): Pick<Job, 'error' | 'errorStack'> {
  return { error: error ? { message: error.message } : null, errorStack: error?.stack ?? null };
}

/**
 * A stack trace kept short, as a failure is stored: the first lines say where it broke; whole traces
 * would ride every event.
 */
export function capStack(stack: string): string {
  return stack.split('\n').slice(0, 12).join('\n').slice(0, 4000);
}

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
    ...presentError(snapshot.error),
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
