import type { Job, JobEventType, StreamEvent } from '@flightdeck/contract';

let counter = 0;

/** A whole job as REST shows it; ids sort by creation like the server's ULIDs. */
export function buildJob(overrides: Partial<Job> = {}): Job {
  counter++;
  const createdAt = overrides.createdAt ?? new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString();
  return {
    id: `01JOB${String(counter).padStart(21, '0')}`,
    type: 'demo.sleep',
    queue: 'demo',
    status: 'queued',
    progress: 0,
    payload: { ms: 1000 },
    result: null,
    error: null,
    errorStack: null,
    attemptsMade: 0,
    attempts: 1,
    priority: 0,
    backoff: null,
    timeoutMs: null,
    idempotencyKey: null,
    webhookUrl: null,
    createdAt,
    runAt: null,
    startedAt: null,
    finishedAt: null,
    claimedBy: null,
    ...overrides,
  };
}

/** A state-change event: carries the whole job. */
export function stateEvent(seq: number, type: JobEventType, job: Job): StreamEvent {
  return { seq, type, jobId: job.id, job, at: new Date().toISOString() };
}

/** A `job.progress` event: only id, status and progress, as the workers send it. */
export function progressEvent(seq: number, id: string, progress: number): StreamEvent {
  return {
    seq,
    type: 'job.progress',
    jobId: id,
    job: { id, status: 'active', progress },
    at: new Date().toISOString(),
  };
}
